"""Annual plans (kế hoạch năm): a board's target per indicator per year (DOMAIN.md §3)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zones.models import Board


class Plan(models.Model):
    """A board's target value for one indicator code (reports.indicators) in one year."""

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

        from .indicators import INDICATOR_CODES

        if self.indicator and self.indicator not in INDICATOR_CODES:
            raise ValidationError(
                {"indicator": _("Không có chỉ tiêu mã '%(code)s' trong danh mục.") % {"code": self.indicator}}
            )


class ReportState(models.Model):
    """One (scope, period) that has been built: the lock for building it, and whether it is stale.

    A saved licence event or report marks the states of its board's scopes whose period ends on or
    after the change as stale (`stale_since`, and the earliest date changed in `stale_from`); the
    rebuild clears the mark only if nobody marked it again meanwhile.
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
    # SHA-256 of the latest snapshot's numbers (services.fingerprint): a build compares against it
    # instead of loading the snapshot. Empty for states built before it existed.
    latest_digest = models.CharField(_("dấu vân tay bản mới nhất"), max_length=64, blank=True)

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
