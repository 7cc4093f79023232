"""Forms of the licence ledger pages: adjust, terminate, correct an event (the issue fields are shared with
the registration form of investment.forms.projects).

The forms check what a field can check alone (whole đồng, two decimals for USD, positive
capital, no future date) with Vietnamese messages; the ledger rules (order of events,
unique certificate numbers, FDI share) are the services', shown with add_service_errors.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kcn_portal.core.forms import PlausibleAmountsForm

from ..enums import EventKind
from ..models import LicenceEvent
from ..specs import LICENCE_EVENT


def event_field(name: str, **kwargs) -> forms.Field:
    """The form field of a licence event's `name` (investment.specs): its limits and messages, and for the
    amounts the Vietnamese or plain reading of core.amounts (whole đồng, USD cents, unusual amounts warned)."""
    return LICENCE_EVENT[name].form_field(**kwargs)


def note_field(name: str = "note", label=None) -> forms.CharField:
    return event_field(name, **({"label": label} if label else {}), widget=forms.Textarea(attrs={"rows": 2}))


def version_field() -> forms.IntegerField:
    # The project's version when the form was opened: a save after someone else's is refused.
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class IssueFieldsMixin(PlausibleAmountsForm):
    """The figures stated on an issue or adjustment certificate (unusual amounts need a confirmation)."""

    certificate_no = event_field("certificate_no")
    event_date = event_field("event_date")
    project_name = event_field("project_name")
    capital_vnd = event_field("capital_vnd")
    capital_usd = event_field("capital_usd")
    land_area_ha = event_field("land_area_ha")
    planned_employees = event_field("planned_employees")


class AdjustForm(IssueFieldsMixin):
    """An adjustment certificate (điều chỉnh lần N) with the figures *after* it."""

    changes_note = note_field("changes_note")
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

    certificate_no = event_field("certificate_no", label=_("Số quyết định chấm dứt"))
    event_date = event_field("event_date", label=_("Ngày chấm dứt"))
    termination_ground = event_field("termination_ground", required=True, widget=forms.RadioSelect)
    termination_case = event_field(
        "termination_case", help_text=_("Ví dụ: điểm a khoản 1 Điều 48 – nhà đầu tư quyết định chấm dứt.")
    )
    note = note_field()
    version = version_field()


def correct_form_class(kind: str) -> type[forms.Form]:
    """The correction form for an event of `kind`: its own fields plus the reason and "void"."""
    base = TerminateForm if kind == EventKind.TERMINATE else AdjustForm

    class CorrectForm(base):
        reason = event_field("reason", required=True, widget=forms.Textarea(attrs={"rows": 2}))
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
