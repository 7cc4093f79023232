"""Emulation blocs by year, movements, registrations, scoring tables and rounds, rankings and awards.

DOMAIN.md §8 is the year this models: a bloc's members, leader and deputy for a year; the scoring
table it adopts; each member's registration; the rounds in which members self-score and the leader
and deputy review; the published ranking; award decisions and the eligibility rules read from them.
Titles, criteria and thresholds are data (the law and the provinces change them).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zones.models import code_validator

from .enums import (
    AwardFor,
    AwardKind,
    AwardLevel,
    LaunchLevel,
    MovementKind,
    MovementStatus,
    RecipientKind,
    RoundKind,
    RoundStatus,
    RuleKind,
    SubmissionStatus,
)

QUARTER = Decimal("0.25")


def quarter_points(value) -> None:
    """Points are given in steps of 0.25 (the scoring tables' smallest unit)."""
    if value is not None and Decimal(value) % QUARTER != 0:
        raise ValidationError(_("Điểm phải là bội số của 0,25."), code="quarter")


POINTS = {
    "max_digits": 7,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), quarter_points],
}


class Bloc(models.Model):
    """An emulation bloc (Khối thi đua): a group of boards that score and rank each other each year."""

    code = models.CharField(_("mã khối"), max_length=10, unique=True, validators=[code_validator])
    name = models.CharField(_("tên khối"), max_length=255)
    ministry = models.CharField(_("Bộ quản lý"), max_length=255)

    class Meta:
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"


class BlocYear(models.Model):
    """A bloc in one year: members, leader (Khối trưởng), deputy (Khối phó), host of the year-end review.

    `alternate_reviewer` is the member the bloc names to review the leader and the deputy when the
    other of the two cannot. The `next_*` fields are what the year-end review decided for next year.
    """

    bloc = models.ForeignKey(Bloc, verbose_name=_("khối"), on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("năm"))
    members = models.ManyToManyField(
        "zones.Board", verbose_name=_("thành viên"), through="BlocMember", related_name="bloc_years"
    )
    leader = models.ForeignKey(
        "zones.Board", verbose_name=_("Khối trưởng"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deputy = models.ForeignKey(
        "zones.Board", verbose_name=_("Khối phó"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    host = models.ForeignKey(
        "zones.Board",
        verbose_name=_("đơn vị đăng cai tổng kết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    alternate_reviewer = models.ForeignKey(
        "zones.Board",
        verbose_name=_("thành viên thẩm định thay"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_no = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    next_leader = models.ForeignKey(
        "zones.Board",
        verbose_name=_("Khối trưởng năm sau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_deputy = models.ForeignKey(
        "zones.Board",
        verbose_name=_("Khối phó năm sau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_host = models.ForeignKey(
        "zones.Board",
        verbose_name=_("đơn vị đăng cai năm sau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    concluded_at = models.DateTimeField(_("kết thúc năm lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("khối thi đua theo năm")
        verbose_name_plural = _("khối thi đua theo năm")
        ordering = ["bloc__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="bloc_year_unique"),
            models.CheckConstraint(
                condition=Q(leader__isnull=True) | ~Q(leader=models.F("deputy")), name="bloc_year_leader_not_deputy"
            ),
        ]

    def __str__(self):
        return f"{self.bloc.code} {self.year}"


class BlocMember(models.Model):
    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("khối theo năm"), on_delete=models.CASCADE, related_name="memberships"
    )
    board = models.ForeignKey("zones.Board", verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        ordering = ["bloc_year", "order", "board__code"]
        constraints = [models.UniqueConstraint(fields=["bloc_year", "board"], name="bloc_member_unique")]

    def __str__(self):
        return f"{self.bloc_year} – {self.board.code}"


# --- movements -----------------------------------------------------------------------------------


class Movement(models.Model):
    """An emulation movement (phong trào thi đua) and who takes part in it."""

    name = models.CharField(_("tên phong trào"), max_length=500)
    launched_by_level = models.CharField(_("cấp phát động"), max_length=10, choices=LaunchLevel.choices)
    launched_by = models.CharField(_("cơ quan phát động"), max_length=255)
    launched_by_board = models.ForeignKey(
        "zones.Board",
        verbose_name=_("Ban phát động"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="launched_movements",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=MovementKind.choices, default=MovementKind.REGULAR)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    decision_no = models.CharField(_("số quyết định, kế hoạch"), max_length=60, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    content = models.TextField(_("nội dung"), blank=True)
    slogan = models.CharField(_("khẩu hiệu"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MovementStatus.choices, default=MovementStatus.LAUNCHED
    )
    blocs = models.ManyToManyField(Bloc, verbose_name=_("khối tham gia"), blank=True, related_name="movements")
    boards = models.ManyToManyField("zones.Board", verbose_name=_("Ban tham gia"), blank=True, related_name="movements")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="movement_dates_order"
            )
        ]

    def __str__(self):
        return self.name


class Attachment(models.Model):
    """A file attached to a movement or given as evidence for a score (checked by core.files)."""

    file = models.FileField(_("tệp"), upload_to="emulation/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("loại tệp"), max_length=100)
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("phong trào"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    score = models.ForeignKey(
        "Score", verbose_name=_("điểm"), on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(movement__isnull=False, score__isnull=True) | Q(movement__isnull=True, score__isnull=False),
                name="attachment_one_owner",
            )
        ]

    def __str__(self):
        return self.name


# --- awards catalogue ------------------------------------------------------------------------------


class AwardTitle(models.Model):
    """An emulation title, form of commendation or evaluation result (editable catalogue data)."""

    code = models.CharField(_("mã"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=12, choices=AwardKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=AwardLevel.choices)
    awarded_to = models.CharField(_("đối tượng"), max_length=10, choices=AwardFor.choices, default=AwardFor.BOTH)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("danh hiệu, hình thức khen thưởng")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class EligibilityRule(models.Model):
    """One condition a title needs, read from the recipient's earlier awards.

    "At least `min_count` of `required` titles" — within the `window_years` years before the year
    checked when set (else at any earlier time), and in `min_count` consecutive years ending the
    year before when `consecutive`.
    """

    title = models.ForeignKey(
        AwardTitle, verbose_name=_("danh hiệu cần xét"), on_delete=models.CASCADE, related_name="rules"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.CharField(_("điều kiện"), max_length=500)
    required = models.ManyToManyField(AwardTitle, verbose_name=_("danh hiệu, hình thức tính"), related_name="+")
    min_count = models.PositiveSmallIntegerField(_("số lần tối thiểu"), default=1, validators=[MinValueValidator(1)])
    window_years = models.PositiveSmallIntegerField(_("trong số năm gần nhất"), null=True, blank=True)
    consecutive = models.BooleanField(_("các năm liên tục"), default=False)

    class Meta:
        verbose_name = _("điều kiện xét khen thưởng")
        verbose_name_plural = _("điều kiện xét khen thưởng")
        ordering = ["title", "order", "pk"]

    def __str__(self):
        return self.description

    def clean(self):
        # Fewer years to look at than the consecutive years required: the rule could never be met.
        window, count = self.window_years, self.min_count
        if self.consecutive and window is not None and count is not None and window < count:
            raise ValidationError({"window_years": _("Số năm xét nhỏ hơn số năm liên tục cần có.")})


class Recipient(models.Model):
    """Who receives awards: a board, a unit of a board, or a person working there."""

    kind = models.CharField(_("loại"), max_length=10, choices=RecipientKind.choices)
    board = models.ForeignKey(
        "zones.Board", verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="award_recipients"
    )
    name = models.CharField(_("tên"), max_length=255)
    position = models.CharField(_("chức vụ, đơn vị"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("đối tượng khen thưởng")
        verbose_name_plural = _("đối tượng khen thưởng")
        ordering = ["board__code", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["board", "kind", "name"], name="recipient_unique")]

    def __str__(self):
        return self.name


class AwardDecision(models.Model):
    """A decision awarding one title or form to its recipients (quyết định khen thưởng)."""

    number = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày quyết định"))
    issuer = models.CharField(_("cơ quan, người ký"), max_length=255)
    title = models.ForeignKey(
        AwardTitle, verbose_name=_("danh hiệu, hình thức"), on_delete=models.PROTECT, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("phong trào"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    recipients = models.ManyToManyField(Recipient, verbose_name=_("người, tập thể được khen"), related_name="decisions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-date", "number"]
        constraints = [models.UniqueConstraint(fields=["issuer", "number", "title"], name="award_decision_unique")]

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"


# --- registration ----------------------------------------------------------------------------------


class Registration(models.Model):
    """A member's registration for the year: titles aimed for and the covenant targets it promises."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("khối theo năm"), on_delete=models.CASCADE, related_name="registrations"
    )
    board = models.ForeignKey("zones.Board", verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="+")
    titles = models.ManyToManyField(AwardTitle, verbose_name=_("danh hiệu đăng ký"), blank=True, related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["bloc_year", "board__code"]
        constraints = [models.UniqueConstraint(fields=["bloc_year", "board"], name="registration_unique")]

    def __str__(self):
        return f"{self.bloc_year} – {self.board.code}"


class CovenantTarget(models.Model):
    """A target the member promises: free text, or an indicator code of the reports catalogue and a value."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="targets"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.CharField(_("chỉ tiêu"), max_length=500)
    indicator = models.CharField(_("mã chỉ tiêu báo cáo"), max_length=60, blank=True)
    target_value = models.DecimalField(_("giá trị cam kết"), max_digits=22, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu giao ước")
        verbose_name_plural = _("chỉ tiêu giao ước")
        ordering = ["registration", "order", "pk"]

    def __str__(self):
        return self.description


# --- scoring tables --------------------------------------------------------------------------------


class ScoringTable(models.Model):
    """A bloc's scoring table for a year: groups of criteria, bonus and penalty rules, the tie-break.

    Locked (`locked_at`) once a round of the year opens: scores are given against it unchanged.
    """

    bloc_year = models.OneToOneField(
        BlocYear, verbose_name=_("khối theo năm"), on_delete=models.CASCADE, related_name="table"
    )
    bonus_cap = models.DecimalField(_("điểm thưởng tối đa"), **POINTS)
    penalty_cap = models.DecimalField(_("điểm trừ tối đa"), **POINTS)
    tie_break = models.JSONField(_("thứ tự xét khi bằng điểm"), default=list)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("sao chép từ"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("bảng chấm điểm")
        verbose_name_plural = _("bảng chấm điểm")

    def __str__(self):
        return str(self.bloc_year)


class CriterionGroup(models.Model):
    table = models.ForeignKey(
        ScoringTable, verbose_name=_("bảng chấm điểm"), on_delete=models.CASCADE, related_name="groups"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("nhóm tiêu chí"), max_length=500)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["table", "order"]
        constraints = [models.UniqueConstraint(fields=["table", "order"], name="criterion_group_order_unique")]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    group = models.ForeignKey(
        CriterionGroup, verbose_name=_("nhóm tiêu chí"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.CharField(_("số hiệu"), max_length=12)
    name = models.TextField(_("tiêu chí"))
    max_points = models.DecimalField(_("điểm chuẩn"), **POINTS)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["group__order", "order"]
        constraints = [models.UniqueConstraint(fields=["group", "order"], name="criterion_order_unique")]

    def __str__(self):
        return f"{self.code}. {self.name}"


class ScoringRule(models.Model):
    """A bonus or penalty: points per occurrence, capped per rule (the table caps the totals)."""

    table = models.ForeignKey(
        ScoringTable, verbose_name=_("bảng chấm điểm"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=RuleKind.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("nội dung"), max_length=500)
    points = models.DecimalField(_("điểm mỗi lần"), **POINTS)
    cap = models.DecimalField(_("tối đa"), **POINTS)

    class Meta:
        verbose_name = _("điểm thưởng, điểm trừ")
        verbose_name_plural = _("điểm thưởng, điểm trừ")
        ordering = ["table", "kind", "order", "pk"]

    def __str__(self):
        return self.name


# --- rounds, scores, ranking -------------------------------------------------------------------------


class ScoringRound(models.Model):
    """A mid-year (sơ kết) or year-end (tổng kết) scoring round of a bloc year."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("khối theo năm"), on_delete=models.CASCADE, related_name="rounds"
    )
    kind = models.CharField(_("đợt"), max_length=10, choices=RoundKind.choices)
    opens_on = models.DateField(_("mở từ ngày"))
    closes_on = models.DateField(_("hạn chấm"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    closed_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đợt chấm điểm")
        verbose_name_plural = _("đợt chấm điểm")
        ordering = ["bloc_year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "kind"], name="scoring_round_unique"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="scoring_round_dates"),
        ]

    def __str__(self):
        return f"{self.bloc_year} – {self.get_kind_display()}"


class Scorecard(models.Model):
    """A member's scores in a round: self-scored by its staff, submitted by its leader, then reviewed."""

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("đợt chấm"), on_delete=models.CASCADE, related_name="scorecards"
    )
    board = models.ForeignKey("zones.Board", verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_note = models.TextField(_("lý do trả lại"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        ordering = ["round", "board__code"]
        constraints = [models.UniqueConstraint(fields=["round", "board"], name="scorecard_unique")]

    def __str__(self):
        return f"{self.round} – {self.board.code}"


class Score(models.Model):
    """One criterion of a scorecard: the self score with its evidence, and the reviewed score."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("phiếu chấm"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("điểm tự chấm"), null=True, blank=True, **POINTS)
    evidence = models.TextField(_("minh chứng"), blank=True)
    reviewed_points = models.DecimalField(_("điểm thẩm định"), null=True, blank=True, **POINTS)
    review_comment = models.TextField(_("nhận xét thẩm định"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by_board = models.ForeignKey(
        "zones.Board",
        verbose_name=_("Ban thẩm định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["scorecard", "criterion__group__order", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_unique")]

    def __str__(self):
        return f"{self.scorecard} – {self.criterion.code}"


class RuleClaim(models.Model):
    """A bonus or penalty applied to a scorecard: occurrences claimed by the member and as reviewed."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("phiếu chấm"), on_delete=models.CASCADE, related_name="claims"
    )
    rule = models.ForeignKey(ScoringRule, verbose_name=_("nội dung"), on_delete=models.PROTECT, related_name="+")
    self_count = models.PositiveSmallIntegerField(_("số lần tự kê"), default=0)
    reviewed_count = models.PositiveSmallIntegerField(_("số lần thẩm định"), null=True, blank=True)
    note = models.TextField(_("giải trình"), blank=True)

    class Meta:
        verbose_name = _("điểm thưởng, trừ của phiếu")
        verbose_name_plural = _("điểm thưởng, trừ của phiếu")
        ordering = ["scorecard", "rule__kind", "rule__order"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "rule"], name="rule_claim_unique")]

    def __str__(self):
        return f"{self.scorecard} – {self.rule}"


class RankingEntry(models.Model):
    """A member's place in a closed round: frozen at closing, shown to members once published."""

    round = models.ForeignKey(
        ScoringRound, verbose_name=_("đợt chấm"), on_delete=models.CASCADE, related_name="ranking"
    )
    board = models.ForeignKey("zones.Board", verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(_("tổng tự chấm"), max_digits=8, decimal_places=2)
    reviewed_points = models.DecimalField(_("tổng thẩm định"), max_digits=8, decimal_places=2)
    bonus = models.DecimalField(_("điểm thưởng"), max_digits=8, decimal_places=2)
    penalty = models.DecimalField(_("điểm trừ"), max_digits=8, decimal_places=2)
    total = models.DecimalField(_("tổng điểm"), max_digits=8, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"))
    tie_note = models.CharField(_("xét bằng điểm"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("xếp hạng")
        verbose_name_plural = _("xếp hạng")
        ordering = ["round", "rank", "board__code"]
        constraints = [models.UniqueConstraint(fields=["round", "board"], name="ranking_entry_unique")]

    def __str__(self):
        return f"{self.round} – {self.rank}. {self.board.code}"


class Proposal(models.Model):
    """A member the bloc proposes, at the year's close, for a flag or certificate (Cờ thi đua, Bằng khen)."""

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("khối theo năm"), on_delete=models.CASCADE, related_name="proposals"
    )
    board = models.ForeignKey("zones.Board", verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="+")
    title = models.ForeignKey(AwardTitle, verbose_name=_("đề nghị"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["bloc_year", "title__order", "board__code"]
        constraints = [models.UniqueConstraint(fields=["bloc_year", "board", "title"], name="proposal_unique")]

    def __str__(self):
        return f"{self.bloc_year} – {self.board.code}: {self.title}"
