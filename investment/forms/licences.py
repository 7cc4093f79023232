"""Forms of the licence ledger pages: adjust, terminate, correct an event (the issue fields are shared with
the registration form of investment.forms.projects).

The forms check what a field can check alone (whole đồng, two decimals for USD, positive
capital, no future date) with Vietnamese messages; the ledger rules (order of events,
unique certificate numbers, FDI share) are the services', shown with add_service_errors.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kcn_portal.core.amounts import LICENCE_EVENT
from kcn_portal.core.forms import AmountField, DateField, PlausibleAmountsForm

from ..enums import EventKind, TerminationGround
from ..models import LicenceEvent


def not_in_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(
            _("Ngày %(date)s ở tương lai."), code="future", params={"date": value.strftime("%d/%m/%Y")}
        )


def event_date_field(label=None) -> forms.DateField:
    return DateField(label=label or _("Ngày cấp"), validators=[not_in_future])


# The certificate's amounts: parsed the Vietnamese or the plain way (core.amounts), whole đồng, USD cents.
def capital_vnd_field() -> AmountField:
    return AmountField(LICENCE_EVENT["capital_vnd"])


def capital_usd_field() -> AmountField:
    return AmountField(LICENCE_EVENT["capital_usd"])


def land_field() -> AmountField:
    return AmountField(LICENCE_EVENT["land_area_ha"])


def employees_field() -> AmountField:
    return AmountField(LICENCE_EVENT["planned_employees"])


def note_field(label=None) -> forms.CharField:
    return forms.CharField(label=label or _("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def version_field() -> forms.IntegerField:
    # The project's version when the form was opened: a save after someone else's is refused.
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class IssueFieldsMixin(PlausibleAmountsForm):
    """The figures stated on an issue or adjustment certificate (unusual amounts need a confirmation)."""

    certificate_no = forms.CharField(label=_("Số giấy chứng nhận đăng ký đầu tư"), max_length=60)
    event_date = event_date_field()
    project_name = forms.CharField(label=_("Tên dự án"), max_length=500)
    capital_vnd = capital_vnd_field()
    capital_usd = capital_usd_field()
    land_area_ha = land_field()
    planned_employees = employees_field()


class AdjustForm(IssueFieldsMixin):
    """An adjustment certificate (điều chỉnh lần N) with the figures *after* it."""

    changes_note = note_field(_("Nội dung điều chỉnh"))
    note = note_field()
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_no"].label = _("Số giấy chứng nhận điều chỉnh")
        self.fields["event_date"].label = _("Ngày cấp điều chỉnh")
        self.fields["capital_vnd"].label = _("Vốn đầu tư sau điều chỉnh (đồng)")
        self.fields["capital_usd"].label = _("Vốn đầu tư sau điều chỉnh (USD)")


class TerminateForm(forms.Form):
    """The decision ending a project, with its ground under Art. 48 of the Law on Investment."""

    certificate_no = forms.CharField(label=_("Số quyết định chấm dứt"), max_length=60)
    event_date = event_date_field(_("Ngày chấm dứt"))
    termination_ground = forms.ChoiceField(
        label=_("Căn cứ chấm dứt"), choices=TerminationGround.choices, widget=forms.RadioSelect
    )
    termination_case = forms.CharField(
        label=_("Trường hợp chấm dứt"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: điểm a khoản 1 Điều 48 – nhà đầu tư quyết định chấm dứt."),
    )
    note = note_field()
    version = version_field()


def correct_form_class(kind: str) -> type[forms.Form]:
    """The correction form for an event of `kind`: its own fields plus the reason and "void"."""
    base = TerminateForm if kind == EventKind.TERMINATE else AdjustForm

    class CorrectForm(base):
        reason = forms.CharField(label=_("Lý do đính chính"), widget=forms.Textarea(attrs={"rows": 2}))
        voided = forms.BooleanField(
            label=_("Hủy sự kiện nhập nhầm"),
            required=False,
            help_text=_("Sự kiện vẫn được giữ trong sổ, gạch ngang, cùng lý do hủy."),
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if kind == EventKind.ISSUE:
                self.fields["certificate_no"].label = _("Số giấy chứng nhận đăng ký đầu tư")
                self.fields["event_date"].label = _("Ngày cấp mới")
                self.fields["capital_vnd"].label = _("Vốn đầu tư (đồng)")
                self.fields["capital_usd"].label = _("Vốn đầu tư (USD)")
                del self.fields["changes_note"]
                del self.fields["voided"]  # the services refuse to void an issue: correct it instead
            if "voided" in self.fields and self.data.get(self.add_prefix("voided")):
                # Voiding keeps the stated values; only the reason matters, so nothing else is required.
                self.check_plausibility = False
                for name, field in self.fields.items():
                    if name not in ("reason", "voided", "version"):
                        field.required = False

    return CorrectForm


def event_initial(event: LicenceEvent) -> dict:
    """The event's stated values as a form's initial data; a derived amount is left blank (re-derived)."""
    fields = ["certificate_no", "event_date", "project_name", "land_area_ha", "planned_employees"]
    fields += ["changes_note", "termination_ground", "termination_case", "note"]
    initial = {name: getattr(event, name) for name in fields}
    if not event.capital_vnd_derived:
        initial["capital_vnd"] = event.capital_vnd
    if not event.capital_usd_derived:
        initial["capital_usd"] = event.capital_usd
    return initial
