"""How the project pages present the ledger: signed capital changes, the timeline of events with
their corrections, and the capital step chart (inline SVG geometry computed in Python)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from kcn_portal.core.templatetags.kcn_format import field_value, format_number

from .enums import EventKind
from .models import LicenceEvent
from .selectors.licences import LedgerEntry
from .specs import EVENT_FIELDS

MINUS = "\u2212"


def signed(value, decimals: int = 0) -> str:
    """+47.500.000.000 / −300.000 / 0 (a change of capital; "–" when unknown)."""
    if value is None:
        return "–"
    text = format_number(value, decimals, trim=True)
    if value > 0:
        return f"+{text}"
    return text.replace("-", MINUS)


def vnd(value) -> str:
    return format_number(value, 0)


def _event_changes(older: LicenceEvent, newer: LicenceEvent) -> list[tuple[str, str, str]]:
    """[(field label, value before, value after)] of what a correction changed."""
    rows = []
    for name in EVENT_FIELDS:
        before, after = field_value(older, name), field_value(newer, name)
        if before != after:
            rows.append((str(LicenceEvent._meta.get_field(name).verbose_name), before, after))
    return rows


def timeline(entries: list[LedgerEntry], current_name: str) -> list[dict]:
    """The ledger as the detail page shows it: each event with its change of capital and corrections.

    `new_name` is set where an event renamed the project (the issue: where it differs from today's name).
    """
    rows = []
    name_before = current_name
    for entry in entries:
        event = entry.current
        chain = [event, *entry.history]  # newest first
        corrections = [
            {
                "newer": newer,
                "older": older,
                "voids": newer.voided and not older.voided,
                "changes": _event_changes(older, newer),
            }
            for newer, older in itertools.pairwise(chain)
        ]
        new_name = event.project_name if event.project_name and event.project_name != name_before else ""
        if event.is_live and event.kind != EventKind.TERMINATE:
            name_before = event.project_name or name_before
        rows.append(
            {
                "event": event,
                "label": event.label,
                "new_name": new_name,
                "live": event.is_live,
                "first": chain[-1],
                "change_vnd": signed(event.capital_change_vnd),
                "change_usd": signed(event.capital_change_usd, 2),
                "corrections": corrections,
            }
        )
    return rows


def _nice_step(raw: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k not below `raw` (axis ticks people can read)."""
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


@dataclass(frozen=True)
class ChartGeometry:
    width: int = 960
    height: int = 300
    left: int = 78
    right: int = 96
    top: int = 46
    bottom: int = 34


def capital_chart(points, *, end: datetime.date, terminated_on: datetime.date | None = None) -> dict | None:
    """An SVG step chart of the registered capital in VND after each event, computed here.

    Coordinates are returned as text with a dot decimal (the template must not localise them).
    """
    points = [p for p in points if p.capital_vnd is not None]
    if not points:
        return None
    g = ChartGeometry()
    start = points[0].day
    end = max(end, points[-1].day, start + datetime.timedelta(days=30))
    span = (end - start).days
    plot_w, plot_h = g.width - g.left - g.right, g.height - g.top - g.bottom
    largest = max(p.capital_vnd for p in points)
    unit, unit_label = (10**9, _("tỷ đồng")) if largest >= 10**9 else (10**6, _("triệu đồng"))
    step = _nice_step(largest / unit / 4)
    top_value = step * (int(largest / unit / step) + 1)

    def x(day):
        return g.left + (day - start).days / span * plot_w

    def y(amount):
        return g.top + plot_h - (amount / unit) / top_value * plot_h

    def fmt(number):
        return f"{number:.1f}"

    path = f"M{fmt(x(start))} {fmt(y(points[0].capital_vnd))}"
    dots, level_ends = [], []
    for index, point in enumerate(points):
        px, py = x(point.day), y(point.capital_vnd)
        if index:
            path += f" H{fmt(px)} V{fmt(py)}"
        value = format_number(Decimal(point.capital_vnd) / unit, 1, trim=True)
        anchor = "start" if px < g.left + 60 else "end" if px > g.width - g.right - 60 else "middle"
        # Labels of events close in time go on the first free level above the point (≈6 px a character).
        width = 6 * (len(value) + len(str(point.label)) + 1)
        x0 = px - {"start": 0, "middle": width / 2, "end": width}[anchor]
        level = next((i for i, right_end in enumerate(level_ends) if right_end < x0), len(level_ends))
        if level == len(level_ends):
            level_ends.append(0)
        level_ends[level] = x0 + width + 6
        dots.append(
            {
                "x": fmt(px),
                "y": fmt(py),
                "label_y": fmt(max(py - 10 - 16 * level, 12)),
                "anchor": anchor,
                "label": point.label,
                "value": value,
                "title": f"{point.label} {point.day:%d/%m/%Y}: {vnd(point.capital_vnd)} {_('đồng')}",
                "derived": point.vnd_derived,
            }
        )
    path += f" H{fmt(x(end))}"
    ticks = [
        {"y": fmt(y(value * unit)), "text": format_number(value, 1, trim=True)}
        for value in (step * i for i in range(round(top_value / step) + 1))
    ]
    year_step = max(1, (end.year - start.year) // 8 + 1)
    years = [
        {"x": fmt(x(datetime.date(year, 1, 1))), "text": str(year)}
        for year in range(start.year + 1, end.year + 1, year_step)
    ]
    return {
        "g": g,
        "plot_right": g.width - g.right,
        "baseline": fmt(g.top + plot_h),
        "tick_bottom": fmt(g.top + plot_h + 5),
        "path": path,
        "dots": dots,
        "ticks": ticks,
        "years": years,
        "unit": unit_label,
        "terminated": {"x": fmt(x(terminated_on)), "date": terminated_on} if terminated_on else None,
    }
