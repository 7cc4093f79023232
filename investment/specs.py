"""The field specs of investment's records (kcn_portal.core.specs): every limit and message written once.

The models take their lengths, bounds and validators from here; the forms (investment.forms), the API
(investment.api), the services (a rule the model cannot check alone: a termination's ground, a
correction's reason) and the bulk writer (investment.services.bulk, no form per row) take the same limits
with the same messages. Where a layer's tests pin the framework's own wording for a rule, `layers` says
so here (the pages' "Trường này là bắt buộc." for a correction's reason and a termination's ground).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from kcn_portal.core import amounts
from kcn_portal.core.specs import AMOUNT, CHOICE, DATE, FORM, FRAMEWORK, NUMBER, TEXT, FieldSpec, RecordSpec

from .enums import EventKind, ProjectKind, TerminationGround

CAPITAL = _("vốn đầu tư")
POSITIVE_CAPITAL = _("Vốn đầu tư phải lớn hơn 0.")

# investment.LicenceEvent: one version of one certificate event (and Project, which caches its figures).
LICENCE_EVENT = RecordSpec(
    {
        "kind": FieldSpec(
            CHOICE,
            choices=EventKind,
            required=True,
            messages={"invalid_choice": _("Loại sự kiện phải là %(choices)s, không phải '%(value)s'.")},
        ),
        "certificate_no": FieldSpec(
            TEXT,
            label=_("Số giấy chứng nhận đăng ký đầu tư"),
            required=True,
            max_length=60,
            messages={
                "required": _("Cần nhập số giấy chứng nhận hoặc quyết định."),
                "max_length": _("Số giấy chứng nhận dài quá %(limit)s ký tự."),
            },
        ),
        "event_date": FieldSpec(
            DATE,
            label=_("Ngày cấp"),
            required=True,
            not_after_today=True,
            messages={"required": _("Cần nhập ngày của sự kiện."), "future": _("Ngày %(date)s ở tương lai.")},
        ),
        "project_name": FieldSpec(
            TEXT,
            label=_("Tên dự án"),
            required=True,
            max_length=500,
            messages={"required": _("Cần nhập tên dự án."), "max_length": _("Tên dự án dài quá %(limit)s ký tự.")},
        ),
        # Whole đồng and USD cents, positive; "a currency is missing" is the record's rule below.
        "capital_vnd": FieldSpec(
            AMOUNT,
            amount=amounts.vnd_amount(_("Vốn đầu tư (đồng)"), CAPITAL, minimum=1),
            messages={"min_value": POSITIVE_CAPITAL},
        ),
        "capital_usd": FieldSpec(
            AMOUNT,
            amount=amounts.usd_amount(_("Vốn đầu tư (USD)"), CAPITAL, minimum=Decimal("0.01")),
            messages={"min_value": POSITIVE_CAPITAL, "decimals": _("Số tiền USD có tối đa hai chữ số thập phân.")},
        ),
        "land_area_ha": FieldSpec(
            AMOUNT,
            amount=amounts.area_amount(_("Diện tích đất (ha)"), _("diện tích đất của một dự án"), Decimal(5_000)),
        ),
        "planned_employees": FieldSpec(
            AMOUNT, amount=amounts.people_amount(_("Lao động dự kiến (người)"), _("lao động của một dự án"), 100_000)
        ),
        "changes_note": FieldSpec(TEXT, label=_("Nội dung điều chỉnh")),
        # Required on a termination only (Art. 48 of the Law on Investment); the page's radio keeps Django's words.
        "termination_ground": FieldSpec(
            CHOICE,
            label=_("Căn cứ chấm dứt"),
            choices=TerminationGround,
            messages={"required": _("Cần chọn căn cứ chấm dứt (Điều 48 Luật Đầu tư).")},
            layers={FORM: {"required": FRAMEWORK}},
        ),
        "termination_case": FieldSpec(
            TEXT,
            label=_("Trường hợp chấm dứt"),
            max_length=255,
            messages={"max_length": _("Trường hợp chấm dứt dài quá %(limit)s ký tự.")},
        ),
        "note": FieldSpec(TEXT, label=_("Ghi chú")),
        # Required on a correction only; the page keeps Django's words (the API and the services say this).
        "reason": FieldSpec(
            TEXT,
            label=_("Lý do đính chính"),
            messages={"required": _("Cần ghi lý do đính chính.")},
            layers={FORM: {"required": FRAMEWORK}},
        ),
    },
    rules={"capital_required": _("Cần nhập vốn đầu tư (VND hoặc USD).")},
)

# The stated fields of an event a person enters (and a correction may change).
EVENT_FIELDS = (
    "certificate_no",
    "event_date",
    "project_name",
    "capital_vnd",
    "capital_usd",
    "land_area_ha",
    "planned_employees",
    "changes_note",
    "termination_ground",
    "termination_case",
    "note",
)

# What each kind of new certificate states: an adjustment no termination ground, a termination no figures.
TERMINATION_FIELDS = ("termination_ground", "termination_case")
ADJUST_FIELDS = tuple(name for name in EVENT_FIELDS if name not in TERMINATION_FIELDS)
TERMINATE_FIELDS = ("certificate_no", "event_date", "project_name", *TERMINATION_FIELDS, "note")

# investment.Project's own fields (its name and figures come from its certificates: LICENCE_EVENT).
PROJECT = RecordSpec(
    {
        "code": FieldSpec(TEXT, label=_("Mã số dự án"), required=True, max_length=20),
        "kind": FieldSpec(
            CHOICE,
            label=_("Loại dự án"),
            choices=ProjectKind,
            required=True,
            messages={"invalid_choice": _("Loại dự án phải là %(choices)s, không phải '%(value)s'.")},
        ),
        "sector": FieldSpec(TEXT, label=_("Ngành VSIC"), max_length=6),
    }
)

# investment.Investor: shared by every project it invests in.
INVESTOR = RecordSpec(
    {
        "name": FieldSpec(
            TEXT,
            label=_("Tên nhà đầu tư"),
            required=True,
            max_length=255,
            messages={
                "required": _("Cần nhập tên nhà đầu tư."),
                "max_length": _("Tên nhà đầu tư dài quá %(limit)s ký tự."),
            },
        ),
        "country": FieldSpec(
            CHOICE,
            choices=countries,
            messages={"invalid_choice": _("Mã quốc gia '%(value)s' không đúng ISO 3166-1 alpha-2 (ví dụ VN, KR, JP).")},
        ),
    }
)

# investment.EnterpriseReport: a project's figures for one quarter, in the order of the workbook and the forms.
ENTERPRISE_REPORT = RecordSpec(
    {
        "year": FieldSpec(NUMBER, minimum=2000, maximum=2100),
        "quarter": FieldSpec(NUMBER, minimum=1, maximum=4),
        "revenue_vnd": FieldSpec(AMOUNT, amount=amounts.vnd_amount(_("Doanh thu (đồng)"), _("doanh thu một quý"))),
        "production_value_vnd": FieldSpec(
            AMOUNT, amount=amounts.vnd_amount(_("Giá trị sản xuất (đồng)"), _("giá trị sản xuất một quý"))
        ),
        "export_usd": FieldSpec(
            AMOUNT, amount=amounts.usd_amount(_("Xuất khẩu (USD)"), _("kim ngạch xuất khẩu một quý"))
        ),
        "import_usd": FieldSpec(
            AMOUNT, amount=amounts.usd_amount(_("Nhập khẩu (USD)"), _("kim ngạch nhập khẩu một quý"))
        ),
        "budget_vnd": FieldSpec(
            AMOUNT, amount=amounts.vnd_amount(_("Nộp ngân sách (đồng)"), _("số nộp ngân sách một quý"))
        ),
        "employees": FieldSpec(
            AMOUNT, amount=amounts.people_amount(_("Lao động cuối quý"), _("lao động của một dự án"), 100_000)
        ),
        "employees_foreign": FieldSpec(
            AMOUNT,
            amount=amounts.people_amount(
                _("Trong đó lao động nước ngoài"), _("lao động nước ngoài của một dự án"), 10_000
            ),
        ),
        "implemented_capital_vnd": FieldSpec(
            AMOUNT, amount=amounts.vnd_amount(_("Vốn thực hiện lũy kế (đồng)"), _("vốn thực hiện"))
        ),
        "implemented_capital_usd": FieldSpec(
            AMOUNT, amount=amounts.usd_amount(_("Vốn thực hiện lũy kế (USD)"), _("vốn thực hiện"))
        ),
    },
    rules={"foreign_within_total": _("Lao động nước ngoài không được lớn hơn tổng số lao động.")},
)

# {name: AmountSpec} of each record's amounts (unit, label, bounds, usual range).
LICENCE_EVENT_AMOUNTS = LICENCE_EVENT.amounts
ENTERPRISE_REPORT_AMOUNTS = ENTERPRISE_REPORT.amounts
