"""The indicator catalogue of DOMAIN.md §5 (a contract: other systems read these codes).

Every indicator has its code, group (the ministry form's section it belongs to), unit, a
Vietnamese name and definition (English through the catalogue), the records behind it
(`source`, for drill-down) and whether it is a ratio (recomputed from sums, never summed).
Families of codes that differ only by FDI/DDI and currency are generated from one template.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

COUNT, VND, USD, HA, PCT, PEOPLE = "count", "VND", "USD", "ha", "%", "people"

# Groups, in the order of the ministry's forms (Biểu I.1–I.4): attraction, valid projects, zones, enterprises.
ATTRACTION, VALID, ZONES, ENTERPRISES = "attraction", "valid", "zones", "enterprises"
GROUPS: dict[str, str] = {
    ATTRACTION: _("Thu hút đầu tư"),
    VALID: _("Dự án còn hiệu lực"),
    ZONES: _("Khu công nghiệp, khu kinh tế"),
    ENTERPRISES: _("Hoạt động sản xuất kinh doanh"),
}

# Where the figure comes from: licence events dated in the period, projects valid at its end,
# zones established by its end, quarterly reports of its quarters.
EVENTS, PROJECTS, ZONE_ROWS, REPORTS = "events", "projects", "zones", "reports"

UNIT_LABELS = {
    COUNT: _("số lượng"),
    VND: _("đồng"),
    USD: _("USD"),
    HA: _("ha"),
    PCT: _("%"),
    PEOPLE: _("người"),
}


def _format(template, **values) -> str:
    # Resolved at display time so the active language applies to both the template and the parts.
    return str(template) % {key: str(value) for key, value in values.items()}


_format_lazy = lazy(_format, str)

KIND_LABELS = {"fdi": _("FDI"), "ddi": _("trong nước (DDI)")}
CURRENCY_LABELS = {"usd": _("USD"), "vnd": _("VND")}


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    unit: str
    name: str
    definition: str
    source: str
    kind: str = ""  # "fdi" / "ddi" when the indicator counts one kind of project only
    ratio: bool = False
    stock: bool = False  # enterprise stocks (latest report) rather than flows

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS[self.unit])


def _family(code, group, name, definition, source, *, currency=True) -> list[Indicator]:
    """The FDI/DDI (× USD/VND) members of one family of codes, e.g. new_capital_{kind}_{cur}."""
    items = []
    for kind in ("fdi", "ddi"):
        for cur in ("usd", "vnd") if currency else ("",):
            unit = {"usd": USD, "vnd": VND, "": COUNT}[cur]
            parts = {"kind": KIND_LABELS[kind], "currency": CURRENCY_LABELS.get(cur, "")}
            items.append(
                Indicator(
                    code=code.format(kind=kind, cur=cur),
                    group=group,
                    unit=unit,
                    name=_format_lazy(name, **parts),
                    definition=_format_lazy(definition, **parts),
                    source=source,
                    kind=kind,
                )
            )
    return items


def _split(code, group, name, definition, source, unit=COUNT) -> list[Indicator]:
    """A total and its FDI / DDI parts, e.g. new_projects, new_projects_fdi, new_projects_ddi."""
    items = [Indicator(code, group, unit, name, definition, source)]
    for kind in ("fdi", "ddi"):
        items.append(
            Indicator(
                f"{code}_{kind}",
                group,
                unit,
                _format_lazy(_("%(name)s – %(kind)s"), name=name, kind=KIND_LABELS[kind]),
                _format_lazy(
                    _("%(definition)s Chỉ tính dự án %(kind)s."), definition=definition, kind=KIND_LABELS[kind]
                ),
                source,
                kind=kind,
            )
        )
    return items


CATALOGUE: tuple[Indicator, ...] = (
    *_split(
        "new_projects",
        ATTRACTION,
        _("Số dự án cấp mới"),
        _("Số sự kiện cấp mới (cấp GCNĐKĐT lần đầu) có ngày trong kỳ."),
        EVENTS,
    ),
    *_family(
        "new_capital_{kind}_{cur}",
        ATTRACTION,
        _("Vốn đăng ký cấp mới, dự án %(kind)s (%(currency)s)"),
        _(
            "Tổng vốn đầu tư đăng ký ghi trên các giấy chứng nhận cấp mới trong kỳ của dự án %(kind)s, tính bằng %(currency)s."
        ),
        EVENTS,
    ),
    *_split(
        "adjustments",
        ATTRACTION,
        _("Số lượt điều chỉnh"),
        _("Số sự kiện điều chỉnh có ngày trong kỳ (tính theo lượt)."),
        EVENTS,
    ),
    *_family(
        "capital_increase_adjustments_{kind}",
        ATTRACTION,
        _("Số lượt điều chỉnh tăng vốn, dự án %(kind)s"),
        _("Số lượt điều chỉnh trong kỳ của dự án %(kind)s có vốn sau điều chỉnh lớn hơn vốn trước đó."),
        EVENTS,
        currency=False,
    ),
    *_family(
        "added_capital_{kind}_{cur}",
        ATTRACTION,
        _("Vốn tăng thêm, dự án %(kind)s (%(currency)s)"),
        _(
            "Tổng phần vốn tăng (vốn sau − vốn trước, chỉ phần dương) của các lượt điều chỉnh trong kỳ, dự án %(kind)s, %(currency)s."
        ),
        EVENTS,
    ),
    *_family(
        "net_capital_change_{kind}_{cur}",
        ATTRACTION,
        _("Vốn tăng/giảm thuần, dự án %(kind)s (%(currency)s)"),
        _("Tổng mức thay đổi vốn (tăng và giảm) của mọi lượt điều chỉnh trong kỳ, dự án %(kind)s, %(currency)s."),
        EVENTS,
    ),
    *_family(
        "new_and_added_capital_{kind}_{cur}",
        ATTRACTION,
        _("Vốn cấp mới và tăng thêm, dự án %(kind)s (%(currency)s)"),
        _("Vốn đăng ký cấp mới cộng vốn tăng thêm trong kỳ, dự án %(kind)s, %(currency)s."),
        EVENTS,
    ),
    *_family(
        "terminated_projects_{kind}",
        ATTRACTION,
        _("Số dự án chấm dứt hoạt động, dự án %(kind)s"),
        _("Số quyết định chấm dứt hoạt động có ngày trong kỳ, dự án %(kind)s."),
        EVENTS,
        currency=False,
    ),
    *_split(
        "valid_projects",
        VALID,
        _("Số dự án còn hiệu lực"),
        _("Dự án được cấp mới đến hết ngày cuối kỳ và chưa chấm dứt đến ngày đó."),
        PROJECTS,
    ),
    *_family(
        "valid_capital_{kind}_{cur}",
        VALID,
        _("Vốn đăng ký của dự án còn hiệu lực, dự án %(kind)s (%(currency)s)"),
        _(
            "Vốn đăng ký của các dự án %(kind)s còn hiệu lực, theo sự kiện cấp mới/điều chỉnh gần nhất đến ngày cuối kỳ, %(currency)s."
        ),
        PROJECTS,
    ),
    *_family(
        "implemented_capital_{kind}_{cur}",
        VALID,
        _("Vốn thực hiện lũy kế, dự án %(kind)s (%(currency)s)"),
        _(
            "Vốn thực hiện lũy kế trong báo cáo quý gần nhất (quý kết thúc đến ngày cuối kỳ) của các dự án %(kind)s còn hiệu lực, %(currency)s."
        ),
        PROJECTS,
    ),
    Indicator(
        "implemented_ratio_pct",
        VALID,
        PCT,
        _("Tỷ lệ vốn thực hiện"),
        _(
            "Vốn thực hiện lũy kế ÷ vốn đăng ký của các dự án còn hiệu lực × 100, tính bằng VND; khối và cả nước tính lại từ tổng."
        ),
        PROJECTS,
        ratio=True,
    ),
    Indicator(
        "zones_total",
        ZONES,
        COUNT,
        _("Số khu"),
        _("Số khu thành lập đến ngày cuối kỳ (hoặc chưa có ngày thành lập)."),
        ZONE_ROWS,
    ),
    Indicator(
        "zones_operating",
        ZONES,
        COUNT,
        _("Số khu đang hoạt động"),
        _("Trong số khu trên, số khu có tình trạng đang hoạt động."),
        ZONE_ROWS,
    ),
    Indicator(
        "zones_under_construction",
        ZONES,
        COUNT,
        _("Số khu đang xây dựng"),
        _("Trong số khu trên, số khu đang xây dựng cơ sở hạ tầng."),
        ZONE_ROWS,
    ),
    Indicator(
        "zone_area_ha",
        ZONES,
        HA,
        _("Diện tích tự nhiên"),
        _("Tổng diện tích tự nhiên của các khu trên (ha)."),
        ZONE_ROWS,
    ),
    Indicator(
        "industrial_land_ha",
        ZONES,
        HA,
        _("Diện tích đất công nghiệp"),
        _("Tổng diện tích đất công nghiệp có thể cho thuê của các khu trên (ha)."),
        ZONE_ROWS,
    ),
    Indicator(
        "leased_land_ha",
        ZONES,
        HA,
        _("Diện tích đất đã cho thuê"),
        _("Tổng diện tích đất công nghiệp đã cho thuê của các khu trên (ha)."),
        ZONE_ROWS,
    ),
    Indicator(
        "occupancy_pct",
        ZONES,
        PCT,
        _("Tỷ lệ lấp đầy"),
        _("Đất đã cho thuê ÷ đất công nghiệp × 100; khối và cả nước tính lại từ tổng, không lấy trung bình."),
        ZONE_ROWS,
        ratio=True,
    ),
    Indicator(
        "revenue_vnd",
        ENTERPRISES,
        VND,
        _("Doanh thu"),
        _("Tổng doanh thu trong mọi báo cáo quý thuộc kỳ (đồng)."),
        REPORTS,
    ),
    Indicator(
        "production_value_vnd",
        ENTERPRISES,
        VND,
        _("Giá trị sản xuất công nghiệp"),
        _("Tổng giá trị sản xuất công nghiệp trong mọi báo cáo quý thuộc kỳ (đồng)."),
        REPORTS,
    ),
    Indicator(
        "export_usd",
        ENTERPRISES,
        USD,
        _("Kim ngạch xuất khẩu"),
        _("Tổng kim ngạch xuất khẩu trong mọi báo cáo quý thuộc kỳ (USD)."),
        REPORTS,
    ),
    Indicator(
        "import_usd",
        ENTERPRISES,
        USD,
        _("Kim ngạch nhập khẩu"),
        _("Tổng kim ngạch nhập khẩu trong mọi báo cáo quý thuộc kỳ (USD)."),
        REPORTS,
    ),
    Indicator(
        "budget_vnd",
        ENTERPRISES,
        VND,
        _("Nộp ngân sách nhà nước"),
        _("Tổng số nộp ngân sách trong mọi báo cáo quý thuộc kỳ (đồng)."),
        REPORTS,
    ),
    Indicator(
        "employees",
        ENTERPRISES,
        PEOPLE,
        _("Số lao động"),
        _(
            "Lao động cuối quý theo báo cáo gần nhất trong kỳ của mỗi dự án còn hiệu lực cuối kỳ (dự án chưa báo cáo quý cuối tính theo quý trước)."
        ),
        REPORTS,
        stock=True,
    ),
    Indicator(
        "employees_foreign",
        ENTERPRISES,
        PEOPLE,
        _("Trong đó lao động nước ngoài"),
        _("Như số lao động, chỉ tính lao động người nước ngoài."),
        REPORTS,
        stock=True,
    ),
)

INDICATORS: dict[str, Indicator] = {item.code: item for item in CATALOGUE}
INDICATOR_UNITS: dict[str, str] = {item.code: item.unit for item in CATALOGUE}
INDICATOR_CODES: tuple[str, ...] = tuple(INDICATORS)


def by_group() -> list[tuple[str, str, list[Indicator]]]:
    """(group code, group label, indicators) in catalogue order."""
    return [(group, str(label), [i for i in CATALOGUE if i.group == group]) for group, label in GROUPS.items()]


def name(code: str) -> str:
    return str(INDICATORS[code].name) if code in INDICATORS else gettext("(chỉ tiêu không rõ)")


_CENT = Decimal("0.01")
_UNIT_OF = {indicator.code: indicator.unit for indicator in CATALOGUE}


def normalise(code: str, value):
    """A value of indicator `code` in the type and precision of its unit: int for counts, people and đồng;
    Decimal with 2 places (half up) for USD, hectares and percentages; None stays None."""
    if value is None:
        return None
    if _UNIT_OF[code] in (COUNT, PEOPLE, VND):
        return int(value)
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
