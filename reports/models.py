"""Plans, report states and versions, downloads, and the approval workflow of a board's period data."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zones.models import Board

from .enums import CorrectionStatus, ReminderKind, ReopenStatus


class Plan(models.Model):
    """A board's target value for one indicator code (kcn_portal.indicators) in one year."""

    board = models.ForeignKey(Board, verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    indicator = models.CharField(_("chỉ tiêu"), max_length=60)
    value = models.DecimalField(_("giá trị kế hoạch"), max_digits=24, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        ordering = ["board__code", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["board", "year", "indicator"], name="plan_board_year_indicator_unique")
        ]

    def __str__(self):
        return f"{self.board.code} {self.year} {self.indicator} = {self.value}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from kcn_portal.indicators import INDICATOR_CODES

        if self.indicator and self.indicator not in INDICATOR_CODES:
            raise ValidationError(
                {"indicator": _("Không có chỉ tiêu mã '%(code)s' trong danh mục.") % {"code": self.indicator}}
            )


class ReportState(models.Model):
    """One (scope, period) that has been built: the lock for building it, and whether it is stale.

    Once a saved licence event or report commits, the states of its board's scopes whose period ends on
    or after the change are marked stale (`stale_since`, the earliest date changed in `stale_from`, the
    kinds of records in `stale_records`); the rebuild clears the mark only if nobody marked it again
    meanwhile.
    """

    scope = models.CharField(_("phạm vi"), max_length=40)
    period = models.CharField(_("kỳ"), max_length=12)
    start = models.DateField(_("ngày đầu kỳ"))
    end = models.DateField(_("ngày cuối kỳ"))
    latest_version = models.PositiveIntegerField(_("phiên bản mới nhất"), default=0)
    built_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    stale_since = models.DateTimeField(_("cần tính lại từ"), null=True, blank=True)
    # The earliest record date among the changes marked since the last build: a stale report whose
    # changes all fall after the end of the same period last year keeps last year's figures.
    stale_from = models.DateField(_("thay đổi sớm nhất từ ngày"), null=True, blank=True)
    # The kinds of records those changes were made to (reports.enums.StaleRecords bits; 0: any, or not
    # stale): a rebuild computes only the figures they can alter and keeps the others of the latest snapshot.
    stale_records = models.PositiveSmallIntegerField(_("loại dữ liệu đã thay đổi"), default=0)
    # SHA-256 of the latest snapshot's numbers (services.fingerprint): a build compares against it
    # instead of loading the snapshot. Empty for states built before it existed.
    latest_digest = models.CharField(_("dấu vân tay bản mới nhất"), max_length=64, blank=True)
    # When the data-quality rules (reports.engine.quality) last ran on a board's quarter, half or year. A build runs
    # them again only when the report was marked stale since (its records changed) or never checked.
    checked_at = models.DateTimeField(_("kiểm tra chất lượng dữ liệu lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("trạng thái báo cáo")
        verbose_name_plural = _("trạng thái báo cáo")
        ordering = ["scope", "period"]
        constraints = [models.UniqueConstraint(fields=["scope", "period"], name="report_state_scope_period_unique")]
        indexes = [models.Index(fields=["scope", "end"], name="report_state_scope_end_idx")]

    def __str__(self):
        return f"{self.scope} {self.period} v{self.latest_version}"


class ReportSnapshot(models.Model):
    """One version of a report (DOMAIN.md §7): the indicators of a scope and period as built then.

    Versions are never changed; a build that finds the same numbers makes no new version.
    """

    scope = models.CharField(_("phạm vi"), max_length=40)
    period = models.CharField(_("kỳ"), max_length=12)
    version = models.PositiveIntegerField(_("phiên bản"))
    start = models.DateField(_("ngày đầu kỳ"))
    end = models.DateField(_("ngày cuối kỳ"))
    indicators = models.JSONField(_("chỉ tiêu"))
    members = models.JSONField(_("các Ban"), default=list)
    member_values = models.JSONField(_("số liệu từng Ban"), default=dict)
    rate_rule = models.TextField(_("quy tắc tỷ giá"))
    generated_at = models.DateTimeField(_("tạo lúc"))
    task_run = models.ForeignKey(
        "core.TaskRun",
        verbose_name=_("công việc nền"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Approved by a board or accepted by the ministry at some time (set when pinned, never unset).
    relied_on = models.BooleanField(_("đã được phê duyệt, tiếp nhận"), default=False)
    # "Restated": the newest earlier version someone relied on (approved, accepted or downloaded) whose
    # figures this one replaces; the page shows the difference.
    restates = models.ForeignKey(
        "self", verbose_name=_("điều chỉnh số liệu của phiên bản"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("bản báo cáo")
        verbose_name_plural = _("bản báo cáo")
        ordering = ["scope", "period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "period", "version"], name="report_snapshot_version_unique")
        ]

    def __str__(self):
        return f"{self.scope} {self.period} v{self.version}"


class ReportDownload(models.Model):
    """Who downloaded which version of a report, and in which format."""

    snapshot = models.ForeignKey(
        ReportSnapshot, verbose_name=_("bản báo cáo"), on_delete=models.PROTECT, related_name="downloads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user_name = models.CharField(_("tên người tải"), max_length=150)
    file_format = models.CharField(_("định dạng"), max_length=10)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt tải báo cáo")
        verbose_name_plural = _("lượt tải báo cáo")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user_name} {self.snapshot} {self.file_format}"


# --- approval, reopening, corrections (issue 7) -----------------------------------------------------


class PeriodApproval(models.Model):
    """A board leader approved the board's data for a period (quarter, half or year).

    It locks the licence events dated in the period and the enterprise reports of its quarters
    (reports.locks) and pins the board's report version that bloc and national summaries use
    (`snapshot`). A correction or the end of a reopening moves the pin to the rebuilt version.
    """

    board = models.ForeignKey(Board, verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("kỳ"), max_length=12)
    start = models.DateField(_("ngày đầu kỳ"))
    end = models.DateField(_("ngày cuối kỳ"))
    snapshot = models.ForeignKey(
        ReportSnapshot, verbose_name=_("phiên bản được phê duyệt"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người phê duyệt"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("phê duyệt lúc"))
    issue_count = models.PositiveIntegerField(_("số cảnh báo dữ liệu khi phê duyệt"), default=0)
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("phê duyệt số liệu kỳ")
        verbose_name_plural = _("phê duyệt số liệu kỳ")
        ordering = ["board__code", "-start", "end"]
        constraints = [models.UniqueConstraint(fields=["board", "period"], name="period_approval_unique")]
        indexes = [models.Index(fields=["board", "start", "end"], name="period_approval_range")]

    def __str__(self):
        return f"{self.board.code} {self.period}"


class ReopenRequest(models.Model):
    """Staff ask to reopen an approved period; the leader grants it until a time, after which it locks again."""

    approval = models.ForeignKey(
        PeriodApproval, verbose_name=_("kỳ đã phê duyệt"), on_delete=models.CASCADE, related_name="reopen_requests"
    )
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReopenStatus.choices, default=ReopenStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề nghị"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("đề nghị lúc"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người quyết định"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    open_until = models.DateTimeField(_("mở đến"), null=True, blank=True)
    ended_at = models.DateTimeField(_("khóa lại lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị mở lại kỳ")
        verbose_name_plural = _("đề nghị mở lại kỳ")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.approval} ({self.get_status_display()})"


def _correction_path(instance, filename):
    return f"corrections/{instance.board_id}/{filename}"


class Correction(models.Model):
    """A change of a licence event in an approved period: proposed by staff with a reason and a file,
    applied (as a new version of the event) only when the board leader approves it."""

    board = models.ForeignKey(Board, verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        "investment.LicenceEvent", verbose_name=_("sự kiện được đính chính"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    changes = models.JSONField(_("giá trị đề nghị"), default=dict)
    voided = models.BooleanField(_("hủy sự kiện"), default=False)
    reason = models.TextField(_("lý do"))
    attachment = models.FileField(_("tệp kèm theo"), upload_to=_correction_path, max_length=255)
    attachment_name = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề nghị"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )  # fmt: skip
    proposed_at = models.DateTimeField(_("đề nghị lúc"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người quyết định"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    applied_event = models.ForeignKey(
        "investment.LicenceEvent", verbose_name=_("phiên bản mới của sự kiện"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("đề nghị đính chính")
        verbose_name_plural = _("đề nghị đính chính")
        ordering = ["-proposed_at", "-id"]

    def __str__(self):
        return f"{self.board.code} #{self.pk}"


class SummaryAcceptance(models.Model):
    """The ministry accepted a bloc's or the nation's summary of a period (once every member approved)."""

    scope = models.CharField(_("phạm vi"), max_length=40)
    period = models.CharField(_("kỳ"), max_length=12)
    snapshot = models.ForeignKey(
        ReportSnapshot, verbose_name=_("phiên bản được tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tiếp nhận"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )  # fmt: skip
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"))

    class Meta:
        verbose_name = _("tiếp nhận báo cáo tổng hợp")
        verbose_name_plural = _("tiếp nhận báo cáo tổng hợp")
        constraints = [models.UniqueConstraint(fields=["scope", "period"], name="summary_acceptance_unique")]

    def __str__(self):
        return f"{self.scope} {self.period}"


class DataIssue(models.Model):
    """A data-quality warning found by the build of a board's report (reports.engine.quality); replaced each build."""

    board = models.ForeignKey(Board, verbose_name=_("Ban quản lý"), on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("kỳ"), max_length=12)
    rule = models.CharField(_("quy tắc"), max_length=40)
    message = models.TextField(_("nội dung"))
    project_code = models.CharField(_("mã dự án"), max_length=20, blank=True)
    found_at = models.DateTimeField(_("phát hiện lúc"))

    class Meta:
        verbose_name = _("cảnh báo chất lượng dữ liệu")
        verbose_name_plural = _("cảnh báo chất lượng dữ liệu")
        ordering = ["board", "period", "rule", "project_code", "id"]
        indexes = [models.Index(fields=["board", "period"], name="data_issue_board_period")]

    def __str__(self):
        return f"{self.period} {self.rule} {self.project_code}"


class ReminderLog(models.Model):
    """A reminder e-mail sent to a board's leaders about a period's deadline (one per kind and day)."""

    board = models.ForeignKey(Board, verbose_name=_("Ban quản lý"), on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("kỳ"), max_length=12)
    kind = models.CharField(_("loại"), max_length=10, choices=ReminderKind.choices)
    sent_on = models.DateField(_("ngày gửi"))
    recipients = models.JSONField(_("người nhận"), default=list)

    class Meta:
        verbose_name = _("thư nhắc hạn báo cáo")
        verbose_name_plural = _("thư nhắc hạn báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["board", "period", "kind", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.period} {self.kind} {self.sent_on}"
