"""How the report pages present a snapshot: period labels, Vietnamese figures, the indicator tables
grouped like the ministry's forms, and the trend charts (inline SVG geometry
computed here, so the pages need no JavaScript library).

Everything here is pure: functions take numbers, periods and stored snapshot documents and answer
text or coordinates; the views run the queries (drill-down totals: reports.engine.sources.drilldown_total).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from kcn_portal import periods
from kcn_portal.core.templatetags.kcn_format import EMPTY, format_number
from kcn_portal.core.templatetags.kcn_format import person as person_or
from kcn_portal.indicators import COUNT, HA, INDICATORS, PCT, PEOPLE, USD, VND, Indicator, by_group
from kcn_portal.periods import HALF, MONTH, QUARTER, YEAR, YTD, Period

MINUS = "\u2212"
DECIMALS = {COUNT: 0, PEOPLE: 0, VND: 0, USD: 2, HA: 2, PCT: 2}

# --- periods ------------------------------------------------------------------------------------


def period_short_label(period: Period) -> str:
    """The label under a chart's bar: "2019", "6T đầu/2019", "Q3/2019", "T7/2019", "11T/2019"."""
    values = {"year": period.year, "n": period.number}
    if period.kind == YEAR:
        return str(period.year)
    if period.kind == HALF:
        text = _("6T đầu/%(year)s") if period.number == 1 else _("6T cuối/%(year)s")
    else:
        text = {QUARTER: _("Q%(n)s/%(year)s"), MONTH: _("T%(n)s/%(year)s"), YTD: _("%(n)sT/%(year)s")}[period.kind]
    return text % values


# How many periods of the same kind a trend chart shows, ending with the period of the page.
TREND_LENGTH = {YEAR: 5, HALF: 6, QUARTER: 8, MONTH: 12, YTD: 5}


def trend_periods(period: Period, count: int | None = None) -> list[Period]:
    """The last `count` periods of the same kind, oldest first, ending with `period`.

    Years and year-to-date periods step by a year; halves, quarters and months step through the
    year and into the previous one (2019-Q1 follows 2018-Q4).
    """
    count = count or TREND_LENGTH[period.kind]
    if period.kind in (YEAR, YTD):
        return [Period(period.year - back, period.kind, period.number) for back in range(count - 1, -1, -1)]
    per_year = {HALF: 2, QUARTER: 4, MONTH: 12}[period.kind]
    index = period.year * per_year + period.number - 1
    return [
        Period(i // per_year, period.kind, i % per_year + 1)
        for i in range(index - count + 1, index + 1)
        if i // per_year >= periods.MIN_YEAR
    ]


# --- figures ------------------------------------------------------------------------------------


def figure(value, unit: str) -> str:
    """A figure in its unit's precision, Vietnamese style: 67, 753.850.000,00, 2.553,00; "–" when None."""
    return format_number(value, DECIMALS[unit])


def value_text(value, unit: str) -> str:
    """The value of an indicator; None means the period has no such figure (not a zero)."""
    return _("không có số liệu") if value is None else figure(value, unit)


def signed_pct(value) -> str:
    """A growth in per cent with its sign: +25,40 / −3,10 / 0,00; "–" when there is nothing to compare."""
    if value is None:
        return EMPTY
    text = format_number(value, 2)
    if Decimal(str(value)) > 0:
        return f"+{text}"
    return text.replace("-", MINUS)


@dataclass(frozen=True)
class IndicatorRow:
    """One line of a report table: the indicator and its five figures as text."""

    indicator: Indicator
    value: object
    previous: object
    value_text: str
    previous_text: str
    growth_text: str
    plan_text: str
    plan_pct_text: str

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def available(self) -> bool:
        return self.value is not None


def indicator_rows(stored: dict) -> list[dict]:
    """The snapshot's indicators grouped like the ministry's forms: [{code, label, rows}] in catalogue order."""
    groups = []
    for group, label, indicators in by_group():
        rows = []
        for indicator in indicators:
            item = stored.get(indicator.code)
            if item is None:
                continue  # an indicator added to the catalogue after this version was built
            unit = indicator.unit
            rows.append(
                IndicatorRow(
                    indicator=indicator,
                    value=item.get("value"),
                    previous=item.get("previous"),
                    value_text=value_text(item.get("value"), unit),
                    previous_text=value_text(item.get("previous"), unit),
                    growth_text=signed_pct(item.get("growth_pct")),
                    plan_text=figure(item.get("plan"), unit),
                    plan_pct_text=format_number(item.get("plan_pct"), 2),
                )
            )
        groups.append({"code": group, "label": label, "rows": rows})
    return groups


def field_label(field: str) -> str:
    """The column name of one of a snapshot's figures (value, previous, growth_pct, plan, plan_pct)."""
    return {
        "value": _("Kỳ này"),
        "previous": _("Cùng kỳ năm trước"),
        "growth_pct": _("Tăng/giảm (%)"),
        "plan": _("Kế hoạch năm"),
        "plan_pct": _("Đạt (% KH)"),
    }[field]


def _field_text(field: str, value, unit: str) -> str:
    if field == "growth_pct":
        return signed_pct(value)
    if field == "plan_pct":
        return format_number(value, 2)
    return figure(value, unit)


def _change_text(field: str, old, new, unit: str) -> str:
    """new − old with its sign, in the field's precision (percentage points for the two ratios);
    "–" when either side is missing."""
    if old is None or new is None:
        return EMPTY
    change = Decimal(str(new)) - Decimal(str(old))
    text = format_number(change, 2 if field in ("growth_pct", "plan_pct") else DECIMALS[unit])
    if change > 0:
        return f"+{text}"
    return text.replace("-", MINUS)


def difference_rows(differences) -> list[dict]:
    """selectors.compare's differences as rows of the compare page and of a restated report's banner
    (indicator, field, old, new and the difference new − old, as text)."""
    rows = []
    for difference in differences:
        indicator = INDICATORS.get(difference.code)
        unit = indicator.unit if indicator else COUNT
        rows.append(
            {
                "code": difference.code,
                "name": str(indicator.name) if indicator else difference.code,
                "unit": indicator.unit_label if indicator else "",
                "field": field_label(difference.field),
                "old": _field_text(difference.field, difference.old, unit),
                "new": _field_text(difference.field, difference.new, unit),
                "change": _change_text(difference.field, difference.old, difference.new, unit),
            }
        )
    return rows


# --- approval marks (issue 7) ---------------------------------------------------------------------


def person(user) -> str:
    """Who did something: full name, else user name; "hệ thống" for the system (no user)."""
    return person_or(user, nobody=_("hệ thống"))


def local_day(moment) -> str:
    """The local date of a stored time as dd/mm/yyyy."""
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def approval_text(approval) -> str:
    """A member's cell: "Đã phê duyệt 05/03/2020 (v1)" (the date and the pinned version of its report)."""
    return _("Đã phê duyệt %(date)s (v%(version)s)") % {
        "date": local_day(approval.approved_at),
        "version": approval.snapshot.version,
    }


def board_approval_text(approval) -> str:
    """A board's report page: "Đã phê duyệt ngày 05/03/2020 bởi Nguyễn Văn A, phiên bản 1" or "Chưa phê duyệt"."""
    if approval is None:
        return _("Chưa phê duyệt")
    return _("Đã phê duyệt ngày %(date)s bởi %(who)s, phiên bản %(version)s") % {
        "date": local_day(approval.approved_at),
        "who": person(approval.approved_by),
        "version": approval.snapshot.version,
    }


def with_approvals(rows: list[dict], approvals: dict) -> dict:
    """Mark each member row with its approval (`approval`: {approved, text}) and sum them up:
    {approved, total, text "x/y Ban đã phê duyệt", final} — final (tổng hợp chính thức) once every member approved."""
    for row in rows:
        approval = approvals.get(row["board"])
        row["approval"] = {
            "approved": approval is not None,
            "text": approval_text(approval) if approval else _("Chưa phê duyệt"),
        }
    approved = sum(1 for row in rows if row["approval"]["approved"])
    return {
        "approved": approved,
        "total": len(rows),
        "text": _("%(approved)s/%(total)s Ban đã phê duyệt") % {"approved": approved, "total": len(rows)},
        "final": bool(rows) and approved == len(rows),
    }


def acceptance_text(acceptance) -> str:
    """The ministry's acceptance of a summary: who, when and which version; or that it is not accepted yet."""
    if acceptance is None:
        return _("Bộ chưa tiếp nhận báo cáo tổng hợp kỳ này.")
    return _("Bộ đã tiếp nhận ngày %(date)s bởi %(who)s, phiên bản %(version)s.") % {
        "date": local_day(acceptance.accepted_at),
        "who": person(acceptance.accepted_by),
        "version": acceptance.snapshot.version,
    }


# The main indicators of a bloc's or the nation's table of member boards.
MEMBER_CODES = (
    "new_projects",
    "new_and_added_capital_fdi_usd",
    "new_and_added_capital_ddi_vnd",
    "adjustments",
    "valid_projects",
    "valid_capital_fdi_usd",
    "valid_capital_ddi_vnd",
    "employees",
)


def member_columns() -> list[tuple[Indicator, str]]:
    """(indicator, short header) of each column of the member boards' table."""
    short = {
        "new_projects": _("Dự án cấp mới"),
        "new_and_added_capital_fdi_usd": _("Vốn mới và tăng thêm FDI (USD)"),
        "new_and_added_capital_ddi_vnd": _("Vốn mới và tăng thêm DDI (đồng)"),
        "adjustments": _("Lượt điều chỉnh"),
        "valid_projects": _("Dự án còn hiệu lực"),
        "valid_capital_fdi_usd": _("Vốn đăng ký còn hiệu lực FDI (USD)"),
        "valid_capital_ddi_vnd": _("Vốn đăng ký còn hiệu lực DDI (đồng)"),
        "employees": _("Lao động (người)"),
    }
    return [(INDICATORS[code], short[code]) for code in MEMBER_CODES]


def member_rows(members: list[str], member_values: dict, names: dict[str, tuple[str, str]]) -> list[dict]:
    """One row per member board (in the snapshot's order) with its main figures as text.

    `names` maps a board code to (province, board name): the table names the province, the title the board.
    """
    rows = []
    for code in members:
        values = member_values.get(code, {})
        cells = [
            {"code": key, "text": value_text(values.get(key), INDICATORS[key].unit), "value": values.get(key)}
            for key in MEMBER_CODES
        ]
        province, name = names.get(code, (code, code))
        rows.append({"board": code, "scope": f"board:{code}", "province": province, "name": name, "cells": cells})
    return rows


def member_totals(stored: dict) -> list[dict]:
    """The total row of the member boards' table: the report's own values of the main indicators."""
    return [
        {"code": key, "text": value_text((stored.get(key) or {}).get("value"), INDICATORS[key].unit)}
        for key in MEMBER_CODES
    ]


# --- trend charts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One coloured series of a chart: its legend, CSS class and stored indicator code."""

    code: str
    label: str
    css: str


@dataclass(frozen=True)
class ChartSpec:
    """One chart of the report page: its title, unit (after dividing by `scale`) and series."""

    key: str
    title: str
    unit: str
    scale: int
    series: tuple[Series, ...]


def chart_specs() -> list[ChartSpec]:
    """The report page's charts: new projects, new and added capital (USD for FDI, VND for DDI), valid projects."""
    fdi, ddi = _("FDI"), _("DDI")
    return [
        ChartSpec(
            "new_projects",
            _("Dự án cấp mới"),
            _("dự án"),
            1,
            (Series("new_projects_fdi", fdi, "fdi"), Series("new_projects_ddi", ddi, "ddi")),
        ),
        ChartSpec(
            "capital_fdi",
            _("Vốn cấp mới và tăng thêm – FDI"),
            _("triệu USD"),
            10**6,
            (Series("new_and_added_capital_fdi_usd", fdi, "fdi"),),
        ),
        ChartSpec(
            "capital_ddi",
            _("Vốn cấp mới và tăng thêm – DDI"),
            _("tỷ đồng"),
            10**9,
            (Series("new_and_added_capital_ddi_vnd", ddi, "ddi"),),
        ),
        ChartSpec(
            "valid_projects",
            _("Dự án còn hiệu lực"),
            _("dự án"),
            1,
            (Series("valid_projects_fdi", fdi, "fdi"), Series("valid_projects_ddi", ddi, "ddi")),
        ),
    ]


@dataclass(frozen=True)
class ChartBox:
    """The size of a chart's SVG and the margins around its plot, in SVG units."""

    width: int = 460
    height: int = 230
    left: int = 52
    right: int = 10
    top: int = 28
    bottom: int = 30


def nice_top(largest: float) -> tuple[float, float]:
    """(axis top, tick step): four steps of 1, 2, 2.5 or 5 × 10^k covering `largest` (4 × 1 when nothing)."""
    if largest <= 0:
        return 4.0, 1.0
    raw = largest / 4
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if factor * magnitude >= raw * (1 - 1e-9))
    return step * 4, step


def _coordinate(number: float) -> str:
    return f"{number:.1f}"


def trend_chart(spec: ChartSpec, points: list[tuple[Period, dict | None]]) -> dict:
    """A grouped bar chart of `spec`'s series over `points` [(period, stored indicators or None)].

    A period with no stored report (None) is a gap, labelled and listed in `missing`. Coordinates are
    text with a dot decimal (the template must not localise them); values are shown divided by the
    spec's scale.
    """
    box = ChartBox()
    band = (box.width - box.left - box.right) / max(len(points), 1)
    # Labels wider than their band (≈6 units a character) are tilted, which needs a deeper bottom margin.
    tilt = any(len(period_short_label(period)) * 6 > band for period, _stored in points)
    if tilt:
        box = ChartBox(bottom=48)
    plot_h = box.height - box.top - box.bottom
    count = len(spec.series)
    bar_w = band * 0.7 / count
    scaled = [
        [
            None if stored is None else float((stored.get(s.code) or {}).get("value") or 0) / spec.scale
            for s in spec.series
        ]
        for _period, stored in points
    ]
    largest = max((v for row in scaled for v in row if v is not None), default=0)
    top, step = nice_top(largest)
    baseline = box.top + plot_h
    decimals = 0 if spec.scale == 1 else 1

    def y(value: float) -> float:
        return baseline - max(value, 0) / top * plot_h

    bars, categories, missing = [], [], []
    for index, ((period, _stored), row) in enumerate(zip(points, scaled, strict=True)):
        centre = box.left + band * (index + 0.5)
        label = period_short_label(period)
        categories.append(
            {
                "x": _coordinate(centre),
                "label": label,
                "missing": row[0] is None,
                "code": period.code,
                # A gap is a dashed outline over the band; it says "chưa tính" where the band is wide enough.
                "gap_x": _coordinate(centre - band * 0.35),
                "gap_w": _coordinate(band * 0.7),
            }
        )
        if row[0] is None:
            missing.append(label)
            continue
        for position, (series, value) in enumerate(zip(spec.series, row, strict=True)):
            x = centre - band * 0.35 + position * bar_w
            text = format_number(value, decimals, trim=True)
            bars.append(
                {
                    "x": _coordinate(x),
                    "y": _coordinate(y(value)),
                    "w": _coordinate(bar_w - 2),
                    "h": _coordinate(baseline - y(value)),
                    "text_x": _coordinate(x + (bar_w - 2) / 2),
                    "text_y": _coordinate(y(value) - 3),
                    "css": series.css,
                    "text": text,
                    "title": f"{series.label} {label}: {text} {spec.unit}",
                    "period": period.code,
                }
            )
    ticks = [{"y": _coordinate(y(step * i)), "text": format_number(step * i, 2, trim=True)} for i in range(5)]
    return {
        "key": spec.key,
        "title": spec.title,
        "unit": spec.unit,
        "box": box,
        "plot_right": box.width - box.right,
        "baseline": _coordinate(baseline),
        "gap_y": _coordinate(baseline - 24),
        "gap_text_y": _coordinate(baseline - 9),
        "gap_text": band * 0.7 >= 46,
        "tilt": tilt,
        "label_y": _coordinate(baseline + 14),
        "ticks": ticks,
        "bars": bars,
        "categories": categories,
        "legend": [{"label": s.label, "css": s.css} for s in spec.series] if count > 1 else [],
        "missing": missing,
    }


def report_charts(period: Period, stored_by_period: dict[str, dict]) -> list[dict]:
    """Every chart of the report page over the trend of `period`; `stored_by_period` maps a period code
    to the indicators of its latest stored snapshot (absent: not built)."""
    points = [(p, stored_by_period.get(p.code)) for p in trend_periods(period)]
    return [trend_chart(spec, points) for spec in chart_specs()]


def restated_banner(restated, *, board: bool) -> dict:
    """The banner of a restated version: the earlier version it replaces, how that one was relied on
    (approved or accepted; downloaded, last when and by whom) and the rows of every figure that changed."""
    earlier, download = restated.earlier, restated.last_download
    relied = []
    if earlier.relied_on:
        text = (
            _("Phiên bản %(version)s đã được lãnh đạo Ban phê duyệt.")
            if board
            else _("Phiên bản %(version)s đã được Bộ tiếp nhận.")
        )
        relied.append(text % {"version": earlier.version})
    if download is not None:
        relied.append(
            _("Phiên bản %(version)s đã được tải về, lần gần nhất lúc %(at)s bởi %(who)s.")
            % {
                "version": earlier.version,
                "at": timezone.localtime(download.at).strftime("%d/%m/%Y %H:%M"),
                "who": person(download.user) if download.user else download.user_name,
            }
        )
    return {"earlier": earlier, "relied": relied, "rows": difference_rows(restated.differences)}
