"""The field spec of a zone (kcn_portal.core.specs): its limits and the messages of its land rules, written once.

zones.Zone takes its lengths, its area validators and its `clean()` messages from here; ZoneForm (the pages
and the workbook importer) its areas, read the Vietnamese or the plain way (core.amounts); the API its area
messages. The text fields and the choices keep Django's and DRF's wording, which the tests of each layer pin
("Trường này không được bỏ trống.", "Hãy chọn một lựa chọn hợp lệ. …"); the areas keep, on the API, the
precise DRF messages below (a JSON number there, not the pages' typed text).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kcn_portal.core import amounts
from kcn_portal.core.specs import AMOUNT, CHOICE, DATE, TEXT, FieldSpec, RecordSpec

from .enums import ZoneKind, ZoneStatus

AREA_NOUN = _("diện tích một khu")
USUAL_MAX_HA = Decimal(200_000)  # an economic zone reaches tens of thousands of hectares


def _area(label) -> FieldSpec:
    return FieldSpec(AMOUNT, required=True, amount=amounts.area_amount(label, AREA_NOUN, USUAL_MAX_HA))


ZONE = RecordSpec(
    {
        "code": FieldSpec(TEXT, required=True, max_length=20),
        "name": FieldSpec(TEXT, required=True, max_length=255),
        "kind": FieldSpec(CHOICE, choices=ZoneKind, required=True),
        "status": FieldSpec(CHOICE, choices=ZoneStatus, required=True),
        "natural_area_ha": _area(_("Diện tích tự nhiên (ha)")),
        "industrial_land_ha": _area(_("Diện tích đất công nghiệp (ha)")),
        "leased_land_ha": _area(_("Diện tích đã cho thuê (ha)")),
        "developer": FieldSpec(TEXT, max_length=255),
        "established_decision_no": FieldSpec(TEXT, max_length=60),
        "established_on": FieldSpec(DATE),
    },
    rules={
        "leased_within_industrial": _("Diện tích đã cho thuê không được lớn hơn diện tích đất công nghiệp."),
        "industrial_within_natural": _("Diện tích đất công nghiệp không được lớn hơn diện tích tự nhiên."),
    },
)

# {name: AmountSpec} of the zone's areas (unit, label, bounds, usual range).
ZONE_AMOUNTS = ZONE.amounts

# The API's messages for an area (DRF's own are not in Vietnamese; these say it of an area precisely).
AREA_API_MESSAGES = {
    "required": _("Cần nhập diện tích (ha)."),
    "null": _("Cần nhập diện tích (ha)."),
    "invalid": _("Diện tích phải là một số (ha)."),
    "min_value": _("Diện tích không được âm."),
    "max_digits": _("Diện tích có tối đa {max_digits} chữ số."),
    "max_decimal_places": _("Diện tích chỉ ghi tối đa {max_decimal_places} chữ số thập phân."),
    "max_whole_digits": _("Phần nguyên của diện tích có tối đa {max_whole_digits} chữ số."),
}
