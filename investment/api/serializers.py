"""JSON shapes of projects, their licence ledger, enterprise reports and exchange rates.

Serializers validate the shape of the input only; every write goes through investment.services,
which applies the ledger rules and answers with Vietnamese field errors. Amounts travel as JSON
numbers; a `*_derived` flag says the amount was converted with the exchange-rate catalogue.

Amounts written are read by `AmountField` with the pages' parser and specs (kcn_portal.core.amounts):
a JSON number, or a string in the Vietnamese ("1.234.567,89") or plain ("1234567.89") form. NaN,
Infinity and numbers too large for the column (1e400 reads as Infinity) are a 400 naming the field.
The pages' plausibility confirmation does not apply: an amount within the field's bounds is stored
as sent (integrations send figures from their own systems; the pages ask a person).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from investment.enums import EventKind, ProjectKind, TerminationGround
from investment.models import REPORT_FIGURES, EnterpriseReport, ExchangeRate, LicenceEvent, Project, ProjectInvestor
from kcn_portal.core import amounts
from zones import access
from zones.models import Zone

# --- projects ------------------------------------------------------------------------------------


class ProjectInvestorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="investor.name", read_only=True)
    country = serializers.CharField(source="investor.country.code", read_only=True)

    class Meta:
        model = ProjectInvestor
        fields = ["name", "country", "share_pct"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """A project and its current licence state (cached from the ledger)."""

    zone = serializers.CharField(source="zone.code", read_only=True)
    board = serializers.CharField(source="zone.board.code", read_only=True)
    investors = ProjectInvestorSerializer(source="shares", many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail", lookup_field="code")

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "zone",
            "board",
            "kind",
            "sector",
            "status",
            "issued_on",
            "terminated_on",
            "capital_vnd",
            "capital_usd",
            "capital_vnd_derived",
            "capital_usd_derived",
            "land_area_ha",
            "investors",
            "version",
            "url",
        ]
        read_only_fields = fields


@extend_schema_field({"$ref": "#/components/schemas/ProjectKindEnum"})
class _ProjectKindField(serializers.ChoiceField):
    """FDI/DDI on input. The schema refers to the read shape's enum, so the enum keeps one owner (Project →
    ProjectKindEnum): shared by three components, drf-spectacular would give it a hashed name and a warning."""

    def __init__(self, **kwargs):
        super().__init__(choices=ProjectKind.choices, **kwargs)


def _writable_zone_field(**kwargs) -> serializers.SlugRelatedField:
    # One message for "unknown" and "not yours", so the answer does not reveal other boards' zones.
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Zone.objects.none(),
        error_messages={
            "does_not_exist": _("Khu “{value}” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho khu này."),
            "invalid": _("Mã khu không hợp lệ."),
        },
        **kwargs,
    )


class _WritableZoneMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Lazy queryset: evaluated only when a zone code is actually written.
            self.fields["zone"].queryset = Zone.objects.filter(board__in=access.writable_boards(request.user))


class InvestorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    country = serializers.CharField(max_length=2, help_text=_("Mã quốc gia ISO 3166-1 alpha-2, ví dụ KR, VN."))
    share_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)


# Optional certificate figures, read like the pages' (core.amounts.LICENCE_EVENT): whole đồng, USD cents.
# "Positive" is the spec's; "a currency is missing" is the ledger's, answered by the services.
class AmountField(serializers.Field):
    """An amount of `spec`: a JSON number or a string typed the Vietnamese or the plain way."""

    def __init__(self, spec: amounts.AmountSpec, **kwargs):
        self.spec = spec
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            value = amounts.read(self.spec, data)
        except amounts.AmountRefused as exc:
            raise serializers.ValidationError(str(exc), code=exc.code) from None
        if value is None and not self.allow_null:
            self.fail("null")
        return value

    def to_representation(self, value):
        return value


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "example": "1.234.567"}], "nullable": True})
class WholeAmountField(AmountField):
    pass


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "example": "1.234.567,89"}], "nullable": True})
class DecimalAmountField(AmountField):
    pass


def amount_field(spec: amounts.AmountSpec, **kwargs) -> AmountField:
    return (WholeAmountField if spec.unit.decimals == 0 else DecimalAmountField)(spec, **kwargs)


def _vnd():
    return amount_field(amounts.LICENCE_EVENT["capital_vnd"])


def _usd():
    return amount_field(amounts.LICENCE_EVENT["capital_usd"])


def _area():
    return amount_field(amounts.LICENCE_EVENT["land_area_ha"])


def _employees():
    return amount_field(amounts.LICENCE_EVENT["planned_employees"])


class ProjectCreateSerializer(_WritableZoneMixin, serializers.Serializer):
    """A new project with its first certificate (cấp mới); a missing currency is derived from the other."""

    zone = _writable_zone_field()
    code = serializers.CharField(max_length=20)
    kind = _ProjectKindField()
    sector = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    investors = InvestorInputSerializer(many=True)
    certificate_no = serializers.CharField(max_length=60)
    event_date = serializers.DateField()
    project_name = serializers.CharField(max_length=500)
    capital_vnd = _vnd()
    capital_usd = _usd()
    land_area_ha = _area()
    planned_employees = _employees()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectUpdateSerializer(_WritableZoneMixin, serializers.Serializer):
    """What may change on a project itself; its name and capital change only through certificates."""

    zone = _writable_zone_field(required=False)
    kind = _ProjectKindField(required=False)
    sector = serializers.CharField(max_length=6, required=False, allow_blank=True)


# --- the licence ledger --------------------------------------------------------------------------


class LicenceEventSerializer(serializers.ModelSerializer):
    """One version of one licence event; `is_current` false for a version a correction replaced."""

    label = serializers.CharField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)
    # "" on issues and adjustments: the schema says so (the model field's choices alone would not).
    termination_ground = serializers.ChoiceField(choices=TerminationGround.choices, allow_blank=True, read_only=True)

    class Meta:
        model = LicenceEvent
        fields = [
            "id",
            "kind",
            "adjust_no",
            "label",
            "certificate_no",
            "event_date",
            "project_name",
            "capital_vnd",
            "capital_usd",
            "capital_vnd_derived",
            "capital_usd_derived",
            "capital_change_vnd",
            "capital_change_usd",
            "land_area_ha",
            "planned_employees",
            "changes_note",
            "termination_ground",
            "termination_case",
            "note",
            "version",
            "is_current",
            "voided",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


# The fields each kind of new event takes; anything else in the body is ignored.
ADJUST_FIELDS = (
    "certificate_no",
    "event_date",
    "project_name",
    "capital_vnd",
    "capital_usd",
    "land_area_ha",
    "planned_employees",
    "changes_note",
    "note",
)
TERMINATE_FIELDS = ("certificate_no", "event_date", "project_name", "termination_ground", "termination_case", "note")


class LicenceEventAppendSerializer(serializers.Serializer):
    """A new certificate: `adjust` (capital *after* it; project name defaults to the current) or `terminate`."""

    kind = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in (EventKind.ADJUST, EventKind.TERMINATE)]
    )
    certificate_no = serializers.CharField(max_length=60)
    event_date = serializers.DateField()
    project_name = serializers.CharField(max_length=500, required=False, allow_blank=True)
    capital_vnd = _vnd()
    capital_usd = _usd()
    land_area_ha = _area()
    planned_employees = _employees()
    changes_note = serializers.CharField(required=False, allow_blank=True)
    termination_ground = serializers.ChoiceField(choices=TerminationGround.choices, required=False, allow_blank=True)
    termination_case = serializers.CharField(max_length=255, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)

    def service_data(self) -> tuple[str, dict]:
        """The event kind and the fields its service takes."""
        data = dict(self.validated_data)
        kind = data.pop("kind")
        names = ADJUST_FIELDS if kind == EventKind.ADJUST else TERMINATE_FIELDS
        return kind, {name: value for name, value in data.items() if name in names}


class LicenceEventCorrectionSerializer(serializers.Serializer):
    """A correction: the reason, and only the fields that change (or `voided` to cancel the event)."""

    reason = serializers.CharField(
        error_messages={"required": _("Cần ghi lý do đính chính."), "blank": _("Cần ghi lý do đính chính.")}
    )
    voided = serializers.BooleanField(required=False, default=False)
    certificate_no = serializers.CharField(max_length=60, required=False)
    event_date = serializers.DateField(required=False)
    project_name = serializers.CharField(max_length=500, required=False)
    capital_vnd = _vnd()
    capital_usd = _usd()
    land_area_ha = _area()
    planned_employees = _employees()
    changes_note = serializers.CharField(required=False, allow_blank=True)
    termination_ground = serializers.ChoiceField(choices=TerminationGround.choices, required=False, allow_blank=True)
    termination_case = serializers.CharField(max_length=255, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


# --- enterprise reports --------------------------------------------------------------------------


class EnterpriseReportSerializer(serializers.ModelSerializer):
    """A project's figures for one quarter; the project, year and quarter are fixed once created."""

    project = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Project.objects.none(),
        error_messages={
            "does_not_exist": _("Dự án “{value}” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho dự án này."),
            "invalid": _("Mã số dự án không hợp lệ."),
        },
    )
    board = serializers.CharField(source="project.zone.board.code", read_only=True)
    period = serializers.CharField(read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:enterprise-report-detail")

    class Meta:
        model = EnterpriseReport
        fields = [
            "id",
            "project",
            "board",
            "year",
            "quarter",
            "period",
            *REPORT_FIGURES,
            "version",
            "updated_by",
            "updated_at",
            "url",
        ]
        read_only_fields = ["id", "version", "updated_at"]
        # The quarter's uniqueness is answered by the view with a clearer message than DRF's.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_FIGURES:
            # The figures are read as the pages read them (core.amounts.ENTERPRISE_REPORT).
            self.fields[name] = amount_field(amounts.ENTERPRISE_REPORT[name])
        if self.instance is not None and not isinstance(self.instance, (list, tuple)):
            # A report stays with its project and quarter; to move figures, write the other quarter.
            for name in ("project", "year", "quarter"):
                self.fields[name].read_only = True
        request = self.context.get("request")
        if request is not None and not self.fields["project"].read_only:
            self.fields["project"].queryset = Project.objects.filter(
                zone__board__in=access.writable_boards(request.user)
            )


class ExchangeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "valid_from", "valid_to", "vnd_per_usd", "source"]
        read_only_fields = fields
