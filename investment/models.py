"""Investors, projects, the licence-event ledger, enterprise quarterly reports, exchange rates.

The ledger (DOMAIN.md §3) is append-only: a licence event is never edited. A correction
inserts a new version of the event (same `series`, `version` + 1, a required `reason`) and
marks the previous version as no longer current; the ledger page shows both. Only the
*derived* columns (adjustment number, capital change) and the project's cached current
state are recomputed by investment.ledger whenever a project's ledger changes.

The limits of the fields people enter (lengths, bounds, the messages) are investment.specs'.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from zones.models import Zone

from .enums import EventKind, InvestorKind, ProjectKind, ProjectStatus, TerminationGround
from .specs import ENTERPRISE_REPORT, INVESTOR, LICENCE_EVENT, PROJECT

REPORT = ENTERPRISE_REPORT  # shorter in the field definitions below

AREA = {"max_digits": 12, "decimal_places": 2, "validators": LICENCE_EVENT["land_area_ha"].model_validators()}
USD = {"max_digits": 18, "decimal_places": 2}


def validate_project_code(value: str) -> None:
    """Mã số dự án: digits only, exactly KCN_PROJECT_CODE_LENGTH long (a setting, 10 in practice)."""
    length = settings.KCN_PROJECT_CODE_LENGTH
    if not (value.isascii() and value.isdigit() and len(value) == length):
        raise ValidationError(
            _("Mã số dự án phải gồm đúng %(length)s chữ số (đang là '%(value)s')."),
            code="project_code",
            params={"length": length, "value": value},
        )


sector_validator = RegexValidator(
    r"^[A-U](\d{2}(\d{1,3})?)?$",
    _("Mã ngành VSIC gồm chữ cái của ngành cấp 1 và tới 5 chữ số, ví dụ C hoặc C26 hoặc C2610."),
)


class Investor(models.Model):
    """An investor named on a certificate; shared by every project it invests in."""

    name = models.CharField(_("tên nhà đầu tư"), max_length=INVESTOR["name"].max_length)
    country = CountryField(_("quốc gia/vùng lãnh thổ"))
    kind = models.CharField(
        _("loại nhà đầu tư"), max_length=20, choices=InvestorKind.choices, default=InvestorKind.ORGANISATION
    )

    class Meta:
        verbose_name = _("nhà đầu tư")
        verbose_name_plural = _("nhà đầu tư")
        ordering = ["name", "country"]
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="investor_name_country_unique")]

    def __str__(self):
        return f"{self.name} ({self.country.code})"


class Project(models.Model):
    """An investment project inside a zone (hence a board). Its licence state comes from its ledger."""

    code = models.CharField(
        _("mã số dự án"), max_length=PROJECT["code"].max_length, unique=True, validators=[validate_project_code]
    )
    zone = models.ForeignKey(Zone, verbose_name=_("khu"), on_delete=models.PROTECT, related_name="projects")
    kind = models.CharField(_("loại dự án"), max_length=3, choices=ProjectKind.choices)
    sector = models.CharField(
        _("ngành VSIC"), max_length=PROJECT["sector"].max_length, blank=True, validators=[sector_validator]
    )
    investors = models.ManyToManyField(
        Investor, through="ProjectInvestor", verbose_name=_("nhà đầu tư"), related_name="projects"
    )
    # --- the current state, cached from the ledger by investment.ledger; never edited directly ---
    name = models.CharField(_("tên dự án"), max_length=LICENCE_EVENT["project_name"].max_length)
    status = models.CharField(_("tình trạng"), max_length=12, choices=ProjectStatus.choices)
    issued_on = models.DateField(_("ngày cấp mới"))
    terminated_on = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    capital_vnd = models.BigIntegerField(_("vốn đăng ký (đồng)"), null=True, blank=True)
    capital_usd = models.DecimalField(_("vốn đăng ký (USD)"), null=True, blank=True, **USD)
    capital_vnd_derived = models.BooleanField(_("vốn VND quy đổi"), default=False)
    capital_usd_derived = models.BooleanField(_("vốn USD quy đổi"), default=False)
    land_area_ha = models.DecimalField(_("diện tích đất (ha)"), null=True, blank=True, **AREA)
    # Bumped by every write to the project or its ledger: a stale form or API client is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("dự án")
        verbose_name_plural = _("dự án")
        ordering = ["-issued_on", "code"]
        indexes = [
            models.Index(fields=["zone", "-issued_on"], name="project_zone_issued_idx"),
            models.Index(fields=["-issued_on", "code"], name="project_issued_code_idx"),
            models.Index(fields=["status", "kind"], name="project_status_kind_idx"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"


class ProjectInvestor(models.Model):
    """An investor's share in a project (FDI when foreign investors hold more than 50 %)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shares")
    investor = models.ForeignKey(Investor, verbose_name=_("nhà đầu tư"), on_delete=models.PROTECT)
    share_pct = models.DecimalField(
        _("tỷ lệ góp vốn (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("nhà đầu tư của dự án")
        verbose_name_plural = _("nhà đầu tư của dự án")
        ordering = ["project", models.F("share_pct").desc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "investor"], name="project_investor_unique"),
        ]

    def __str__(self):
        return f"{self.investor} – {self.share_pct or '?'} %"


# Largest share first, unknown shares last (NULLs sort differently on SQLite and PostgreSQL).
SHARE_ORDER = (models.F("share_pct").desc(nulls_last=True), "id")


def live_event_q(prefix: str = "") -> models.Q:
    """The events that count: the current version of each, unless that version voids it."""
    return models.Q(**{f"{prefix}is_current": True, f"{prefix}voided": False})


class LicenceEvent(models.Model):
    """One version of one certificate event: issue (cấp mới), adjust (điều chỉnh lần N) or terminate."""

    project = models.ForeignKey(Project, verbose_name=_("dự án"), on_delete=models.PROTECT, related_name="events")
    # Every version of one event shares its series; exactly one version is current.
    series = models.UUIDField(_("chuỗi phiên bản"), default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    is_current = models.BooleanField(_("là bản hiện hành"), default=True)
    voided = models.BooleanField(_("đã hủy"), default=False)
    reason = models.TextField(_("lý do đính chính"), blank=True)

    kind = models.CharField(_("loại sự kiện"), max_length=10, choices=EventKind.choices)
    certificate_no = models.CharField(
        _("số GCNĐKĐT / quyết định"), max_length=LICENCE_EVENT["certificate_no"].max_length
    )
    event_date = models.DateField(_("ngày"))
    project_name = models.CharField(
        _("tên dự án trên giấy chứng nhận"), max_length=LICENCE_EVENT["project_name"].max_length
    )
    investor = models.ForeignKey(
        Investor, verbose_name=_("nhà đầu tư"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    capital_vnd = models.BigIntegerField(
        _("vốn đầu tư (đồng)"), null=True, blank=True, validators=LICENCE_EVENT["capital_vnd"].model_validators()
    )
    capital_usd = models.DecimalField(
        _("vốn đầu tư (USD)"), null=True, blank=True, validators=LICENCE_EVENT["capital_usd"].model_validators(), **USD
    )
    capital_vnd_derived = models.BooleanField(_("VND quy đổi theo tỷ giá"), default=False)
    capital_usd_derived = models.BooleanField(_("USD quy đổi theo tỷ giá"), default=False)
    land_area_ha = models.DecimalField(_("diện tích đất (ha)"), null=True, blank=True, **AREA)
    planned_employees = models.PositiveIntegerField(_("lao động dự kiến"), null=True, blank=True)
    changes_note = models.TextField(_("nội dung điều chỉnh"), blank=True)
    termination_ground = models.CharField(
        _("căn cứ chấm dứt"), max_length=10, choices=TerminationGround.choices, blank=True
    )
    termination_case = models.CharField(
        _("trường hợp chấm dứt"), max_length=LICENCE_EVENT["termination_case"].max_length, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # --- derived from the project's live events by investment.ledger ---
    adjust_no = models.PositiveSmallIntegerField(_("lần điều chỉnh"), null=True, blank=True)
    capital_change_vnd = models.BigIntegerField(_("vốn tăng/giảm (đồng)"), null=True, blank=True)
    capital_change_usd = models.DecimalField(_("vốn tăng/giảm (USD)"), null=True, blank=True, **USD)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện cấp phép")
        verbose_name_plural = _("sự kiện cấp phép")
        ordering = ["project", "event_date", "certificate_no", "version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="event_series_version_unique"),
            models.UniqueConstraint(
                fields=["series"], condition=models.Q(is_current=True), name="event_one_current_version"
            ),
            models.UniqueConstraint(
                fields=["project", "certificate_no"], condition=live_event_q(), name="event_certificate_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(capital_vnd__isnull=True) | models.Q(capital_vnd__gt=0),
                name="event_capital_vnd_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(capital_usd__isnull=True) | models.Q(capital_usd__gt=0),
                name="event_capital_usd_positive",
            ),
        ]
        indexes = [
            # The reports aggregate live events by kind and date; a project's ledger is read by project.
            models.Index(fields=["event_date", "kind"], condition=live_event_q(), name="event_live_date_idx"),
            models.Index(fields=["project", "event_date"], name="event_project_date_idx"),
        ]

    def __str__(self):
        return f"{self.label} {self.certificate_no} ({self.event_date:%d/%m/%Y})"

    @property
    def label(self) -> str:
        if self.kind == EventKind.ADJUST and self.adjust_no:
            return _("Điều chỉnh lần %(no)s") % {"no": self.adjust_no}
        return str(self.get_kind_display())

    @property
    def is_live(self) -> bool:
        return self.is_current and not self.voided

    def clean_fields(self, exclude=None):
        # Django's checks, worded as investment.specs words them (the pages, the API and the importer alike).
        LICENCE_EVENT.clean_fields(self, exclude, super().clean_fields)


class EnterpriseReport(models.Model):
    """An enterprise's operating figures for one project and one quarter (DOMAIN.md §3)."""

    project = models.ForeignKey(
        Project, verbose_name=_("dự án"), on_delete=models.PROTECT, related_name="enterprise_reports"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=REPORT["year"].model_validators())
    quarter = models.PositiveSmallIntegerField(_("quý"), validators=REPORT["quarter"].model_validators())
    revenue_vnd = models.BigIntegerField(
        _("doanh thu (đồng)"), null=True, blank=True, validators=REPORT["revenue_vnd"].model_validators()
    )
    production_value_vnd = models.BigIntegerField(
        _("giá trị sản xuất công nghiệp (đồng)"),
        null=True,
        blank=True,
        validators=REPORT["production_value_vnd"].model_validators(),
    )
    export_usd = models.DecimalField(
        _("xuất khẩu (USD)"), null=True, blank=True, validators=REPORT["export_usd"].model_validators(), **USD
    )
    import_usd = models.DecimalField(
        _("nhập khẩu (USD)"), null=True, blank=True, validators=REPORT["import_usd"].model_validators(), **USD
    )
    budget_vnd = models.BigIntegerField(
        _("nộp ngân sách (đồng)"), null=True, blank=True, validators=REPORT["budget_vnd"].model_validators()
    )
    employees = models.PositiveIntegerField(_("lao động cuối quý"), null=True, blank=True)
    employees_foreign = models.PositiveIntegerField(_("trong đó lao động nước ngoài"), null=True, blank=True)
    implemented_capital_vnd = models.BigIntegerField(
        _("vốn thực hiện lũy kế (đồng)"),
        null=True,
        blank=True,
        validators=REPORT["implemented_capital_vnd"].model_validators(),
    )
    implemented_capital_usd = models.DecimalField(
        _("vốn thực hiện lũy kế (USD)"),
        null=True,
        blank=True,
        validators=REPORT["implemented_capital_usd"].model_validators(),
        **USD,
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    # When the board first received the report (its timeliness against the reporting deadline).
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
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
        verbose_name = _("báo cáo quý của doanh nghiệp")
        verbose_name_plural = _("báo cáo quý của doanh nghiệp")
        ordering = ["project", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "quarter"], name="report_project_quarter_unique"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=REPORT["quarter"].minimum, quarter__lte=REPORT["quarter"].maximum),
                name="report_quarter_1_4",
            ),
            models.CheckConstraint(
                condition=models.Q(employees_foreign__isnull=True)
                | models.Q(employees__isnull=False, employees_foreign__lte=models.F("employees")),
                name="report_foreign_within_employees",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "project"], name="report_quarter_idx")]

    def __str__(self):
        return f"{self.project.code} {self.period}"

    @property
    def period(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def clean(self):
        if self.employees_foreign is not None and (self.employees is None or self.employees_foreign > self.employees):
            raise ValidationError({"employees_foreign": REPORT.rule("foreign_within_total")})


# The figures of a report, in the order of the workbook and the forms (investment.specs.ENTERPRISE_REPORT's).
REPORT_FIGURES = tuple(ENTERPRISE_REPORT.amounts)


class ExchangeRate(models.Model):
    """USD→VND rate for a date range; used only to derive an amount a certificate does not state."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    vnd_per_usd = models.DecimalField(
        _("tỷ giá (đồng/USD)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("1"))]
    )
    source = models.CharField(_("nguồn"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tỷ giá USD/VND")
        verbose_name_plural = _("tỷ giá USD/VND")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="rate_range_ordered",
            ),
        ]

    def __str__(self):
        end = f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "…"
        return f"{self.vnd_per_usd} ({self.valid_from:%d/%m/%Y} – {end})"

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        if self.valid_from:
            others = ExchangeRate.objects.exclude(pk=self.pk)
            overlap = others.filter(
                models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from),
            )
            if self.valid_to:
                overlap = overlap.filter(valid_from__lte=self.valid_to)
            clash = overlap.first()
            if clash:
                raise ValidationError({"valid_from": _("Khoảng ngày trùng với tỷ giá %(other)s.") % {"other": clash}})
