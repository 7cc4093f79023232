"""Boards, their zones and who works for which board."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import BoardKind, MembershipRole, ZoneKind, ZoneStatus
from .specs import ZONE

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]*$",
    _("Mã chỉ gồm chữ in hoa không dấu, chữ số, '-' và '_'."),
)


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// for a bare domain (Django 6's default, adopted now)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def _area(name: str) -> dict:
    # The column holds what the spec allows: hectares with two decimals, never negative.
    return {"max_digits": 12, "decimal_places": 2, "validators": ZONE[name].model_validators()}


def occupancy_pct(leased_ha, industrial_ha) -> Decimal | None:
    """Tỷ lệ lấp đầy (DOMAIN.md §5): leased ÷ industrial land × 100, one decimal; None without industrial land.

    Over several zones it is computed from the sums, never averaged.
    """
    if leased_ha is None or not industrial_ha:
        return None
    return (Decimal(leased_ha) * 100 / Decimal(industrial_ha)).quantize(Decimal("0.1"))


class Board(models.Model):
    """A provincial management board (Ban Quản lý): the tenant of the portal."""

    code = models.CharField(_("mã"), max_length=10, unique=True, validators=[code_validator])
    name = models.CharField(_("tên"), max_length=255)
    province = models.CharField(_("tỉnh/thành phố"), max_length=100)
    kind = models.CharField(_("loại Ban"), max_length=3, choices=BoardKind.choices, default=BoardKind.KCN)
    bloc_code = models.CharField(_("mã khối thi đua"), max_length=10, blank=True, validators=[code_validator])
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = HttpsURLField(_("trang thông tin"), blank=True)

    class Meta:
        verbose_name = _("Ban quản lý")
        verbose_name_plural = _("Ban quản lý")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def occupancy_pct(self) -> Decimal | None:
        """Occupancy over the board's zones, from the land sums that selectors.board_list annotates."""
        return occupancy_pct(getattr(self, "leased_land_sum", None), getattr(self, "industrial_land_sum", None))


class Zone(models.Model):
    """An industrial, export-processing or economic zone run by one board."""

    code = models.CharField(_("mã khu"), max_length=ZONE["code"].max_length, unique=True, validators=[code_validator])
    name = models.CharField(_("tên khu"), max_length=ZONE["name"].max_length)
    board = models.ForeignKey(Board, verbose_name=_("Ban quản lý"), on_delete=models.PROTECT, related_name="zones")
    kind = models.CharField(_("loại khu"), max_length=20, choices=ZoneKind.choices, default=ZoneKind.KCN)
    status = models.CharField(_("tình trạng"), max_length=20, choices=ZoneStatus.choices, default=ZoneStatus.OPERATING)
    natural_area_ha = models.DecimalField(_("diện tích tự nhiên (ha)"), **_area("natural_area_ha"))
    industrial_land_ha = models.DecimalField(_("diện tích đất công nghiệp (ha)"), **_area("industrial_land_ha"))
    leased_land_ha = models.DecimalField(_("diện tích đã cho thuê (ha)"), **_area("leased_land_ha"))
    developer = models.CharField(_("chủ đầu tư hạ tầng"), max_length=ZONE["developer"].max_length, blank=True)
    established_decision_no = models.CharField(
        _("số quyết định thành lập"), max_length=ZONE["established_decision_no"].max_length, blank=True
    )
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    has_wastewater_plant = models.BooleanField(_("có nhà máy xử lý nước thải tập trung"), default=False)
    # Bumped on every save: a form or API client that saw an older version is refused.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("khu")
        verbose_name_plural = _("khu")
        ordering = ["board__code", "code"]
        indexes = [models.Index(fields=["board", "code"], name="zone_board_code_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(natural_area_ha__gte=0, industrial_land_ha__gte=0, leased_land_ha__gte=0),
                name="zone_areas_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(leased_land_ha__lte=models.F("industrial_land_ha")),
                name="zone_leased_within_industrial",
            ),
            models.CheckConstraint(
                condition=models.Q(industrial_land_ha__lte=models.F("natural_area_ha")),
                name="zone_industrial_within_natural",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def clean(self):
        # One place for the land rules: forms, the API and the importer all reach it via full_clean().
        errors = {}
        natural, industrial, leased = self.natural_area_ha, self.industrial_land_ha, self.leased_land_ha
        if industrial is not None and leased is not None and leased > industrial:
            errors["leased_land_ha"] = ZONE.rule("leased_within_industrial")
        if natural is not None and industrial is not None and industrial > natural:
            errors["industrial_land_ha"] = ZONE.rule("industrial_within_natural")
        if errors:
            raise ValidationError(errors)

    @property
    def occupancy_pct(self) -> Decimal | None:
        return occupancy_pct(self.leased_land_ha, self.industrial_land_ha)


# The fields people edit (forms, API, import, admin); the rest is managed by the services.
BOARD_FIELDS = ("code", "name", "province", "kind", "bloc_code", "address", "phone", "email", "website")
ZONE_FIELDS = (
    "code",
    "name",
    "board",
    "kind",
    "status",
    "natural_area_ha",
    "industrial_land_ha",
    "leased_land_ha",
    "developer",
    "established_decision_no",
    "established_on",
    "has_wastewater_plant",
)


class Membership(models.Model):
    """A user working for a board in a role (staff or leader)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="memberships"
    )
    board = models.ForeignKey(
        Board, verbose_name=_("Ban quản lý"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.STAFF)

    class Meta:
        verbose_name = _("thành viên Ban")
        verbose_name_plural = _("thành viên Ban")
        ordering = ["board__code", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "board"], name="membership_user_board_unique")]

    def __str__(self):
        return f"{self.user} @ {self.board.code} ({self.get_role_display()})"
