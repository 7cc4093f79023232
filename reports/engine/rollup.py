"""The rollup engine: every indicator of DOMAIN.md §5 per board, by SQL aggregation.

`board_values(period, board_ids)` runs seven grouped queries (GROUP BY board, and project kind
where it matters) over the querysets of reports.engine.sources — never a Python loop over rows — and
answers {board_id: {code: value}} for every board asked for. `combine` sums boards into a bloc
or the nation and recomputes the ratios from the sums. `document` adds last year's value, the
growth, the plan and its achievement to each indicator.

Values are Python numbers: int for counts, people and đồng; Decimal (2 places) for USD, hectares
and percentages; None where the figure is not available (enterprise figures of a period that does
not cover whole quarters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Subquery, Sum

from kcn_portal.indicators import CATALOGUE, COUNT, PCT, PEOPLE, VND, normalise
from kcn_portal.periods import Period
from reports.engine import sources
from zones.enums import ZoneStatus
from zones.models import Board

CENT = Decimal("0.01")
KINDS = ("fdi", "ddi")
ENTERPRISE_FLOWS = ("revenue_vnd", "production_value_vnd", "export_usd", "import_usd", "budget_vnd")
ENTERPRISE_STOCKS = ("employees", "employees_foreign")
RATIOS = ("implemented_ratio_pct", "occupancy_pct")


_UNITS = {indicator.code: indicator.unit for indicator in CATALOGUE}


def _empty(period: Period) -> dict:
    values = {code: (0 if unit in (COUNT, PEOPLE, VND) else Decimal("0.00")) for code, unit in _UNITS.items()}
    if not period.covers_whole_quarters:
        values.update(dict.fromkeys(ENTERPRISE_FLOWS + ENTERPRISE_STOCKS))
    return values


def _add(values: dict, code: str, amount) -> None:
    if amount is not None:
        values[code] += amount


def _events(period: Period, board_ids, out: dict) -> None:
    rows = (
        sources.events_in(period, board_ids)
        .values(board_key=F("project__zone__board_id"), event=F("kind"), project_kind=F("project__kind"))
        .annotate(
            n=Count("pk"),
            capital_vnd=Sum("capital_vnd"),
            capital_usd=Sum("capital_usd"),
            change_vnd=Sum("capital_change_vnd"),
            change_usd=Sum("capital_change_usd"),
            raised=Count("pk", filter=sources.RAISED),
            added_vnd=Sum("capital_change_vnd", filter=sources.ADDED["vnd"]),
            added_usd=Sum("capital_change_usd", filter=sources.ADDED["usd"]),
        )
    )
    for row in rows:
        values, kind = out[row["board_key"]], row["project_kind"]
        if row["event"] == "issue":
            _add(values, "new_projects", row["n"])
            _add(values, f"new_projects_{kind}", row["n"])
            for cur in ("usd", "vnd"):
                _add(values, f"new_capital_{kind}_{cur}", row[f"capital_{cur}"])
                _add(values, f"new_and_added_capital_{kind}_{cur}", row[f"capital_{cur}"])
        elif row["event"] == "adjust":
            _add(values, "adjustments", row["n"])
            _add(values, f"adjustments_{kind}", row["n"])
            _add(values, f"capital_increase_adjustments_{kind}", row["raised"])
            for cur in ("usd", "vnd"):
                _add(values, f"added_capital_{kind}_{cur}", row[f"added_{cur}"])
                _add(values, f"net_capital_change_{kind}_{cur}", row[f"change_{cur}"])
                _add(values, f"new_and_added_capital_{kind}_{cur}", row[f"added_{cur}"])
        else:
            _add(values, f"terminated_projects_{kind}", row["n"])


def _latest_sums(day, board_ids, rows: QuerySet, latest: QuerySet, fields: dict[str, str], by_kind: bool = True):
    """Per board (and project kind): sums of `fields` of one row per valid project, the one `latest` picks.

    Both forms give the same numbers (the suite runs on both databases); each is the faster one on
    its database: PostgreSQL sums a subquery per project, SQLite joins the picked rows.
    """
    kind = {"project_kind": F("kind")} if by_kind else {}
    if connection.vendor == "postgresql":
        projects = sources.valid_projects(day, board_ids).values(board_key=F("zone__board_id"), **kind)
        return projects.annotate(**{alias: Sum(Subquery(latest.values(f)[:1])) for alias, f in fields.items()})
    kind = {"project_kind": F("project__kind")} if by_kind else {}
    return rows.values(board_key=F("project__zone__board_id"), **kind).annotate(
        **{alias: Sum(f) for alias, f in fields.items()}
    )


def _valid(period: Period, board_ids, out: dict) -> None:
    day = period.end
    capital, implemented = sources.latest_capital_event(day), sources.latest_implemented_report(day)
    if connection.vendor == "postgresql":
        # One pass over the valid projects, four indexed look-ups each (faster than three queries there).
        rows = (
            sources.valid_projects(day, board_ids)
            .values(board_key=F("zone__board_id"), project_kind=F("kind"))
            .annotate(
                n=Count("pk"),
                capital_vnd=Sum(Subquery(capital.values("capital_vnd")[:1])),
                capital_usd=Sum(Subquery(capital.values("capital_usd")[:1])),
                implemented_vnd=Sum(Subquery(implemented.values("implemented_capital_vnd")[:1])),
                implemented_usd=Sum(Subquery(implemented.values("implemented_capital_usd")[:1])),
            )
        )
        parts = [(rows, ("n", "capital", "implemented"))]
    else:
        counts = sources.valid_projects(day, board_ids).values(board_key=F("zone__board_id"), project_kind=F("kind"))
        capital_rows = sources.capital_events(day, board_ids)
        implemented_rows = sources.implemented_reports(day, board_ids)
        implemented_fields = {f"implemented_{cur}": f"implemented_capital_{cur}" for cur in ("vnd", "usd")}
        parts = [
            (counts.annotate(n=Count("pk")), ("n",)),
            (_latest_sums(day, board_ids, capital_rows, capital, {"capital_vnd": "capital_vnd",
                                                                  "capital_usd": "capital_usd"}), ("capital",)),
            (_latest_sums(day, board_ids, implemented_rows, implemented, implemented_fields), ("implemented",)),
        ]  # fmt: skip
    for rows, figures in parts:
        for row in rows:
            values, kind = out[row["board_key"]], row["project_kind"]
            if "n" in figures:
                _add(values, "valid_projects", row["n"])
                _add(values, f"valid_projects_{kind}", row["n"])
            for cur in ("vnd", "usd"):
                if "capital" in figures:
                    _add(values, f"valid_capital_{kind}_{cur}", row[f"capital_{cur}"])
                if "implemented" in figures:
                    _add(values, f"implemented_capital_{kind}_{cur}", row[f"implemented_{cur}"])


def _zones(period: Period, board_ids, out: dict) -> None:
    rows = (
        sources.zones_at(period.end, board_ids)
        .values(board_key=F("board_id"))
        .annotate(
            total=Count("pk"),
            operating=Count("pk", filter=Q(status=ZoneStatus.OPERATING)),
            building=Count("pk", filter=Q(status=ZoneStatus.UNDER_CONSTRUCTION)),
            area=Sum("natural_area_ha"),
            industrial=Sum("industrial_land_ha"),
            leased=Sum("leased_land_ha"),
        )
    )
    names = {
        "total": "zones_total",
        "operating": "zones_operating",
        "building": "zones_under_construction",
        "area": "zone_area_ha",
        "industrial": "industrial_land_ha",
        "leased": "leased_land_ha",
    }
    for row in rows:
        for key, code in names.items():
            _add(out[row["board_key"]], code, row[key])


def _enterprises(period: Period, board_ids, out: dict) -> None:
    if not period.covers_whole_quarters:
        return  # stays None: a partial quarter has no reports of its own
    flows = (
        sources.period_reports(period, board_ids)
        .values(board_key=F("project__zone__board_id"))
        .annotate(**{code: Sum(code) for code in ENTERPRISE_FLOWS})
    )
    for row in flows:
        for code in ENTERPRISE_FLOWS:
            _add(out[row["board_key"]], code, row[code])
    stocks = _latest_sums(
        period.end,
        board_ids,
        sources.stock_reports(period, board_ids),
        sources.latest_stock_report(period),
        {code: code for code in ENTERPRISE_STOCKS},
        by_kind=False,
    )
    for row in stocks:
        for code in ENTERPRISE_STOCKS:
            _add(out[row["board_key"]], code, row[code])


def exact_pct(numerator, denominator) -> Decimal | None:
    """numerator ÷ denominator × 100, unrounded (Decimal); None without a numerator or a non-zero denominator."""
    if numerator is None or not denominator:
        return None
    return Decimal(str(numerator)) * 100 / Decimal(str(denominator))


def round_pct(value: Decimal | None) -> Decimal | None:
    """A percentage rounded once, half up, to two places (DOMAIN.md §5)."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def pct(numerator, denominator):
    """numerator ÷ denominator × 100 to two places, rounded once half up; None as exact_pct."""
    return round_pct(exact_pct(numerator, denominator))


def _ratio_parts(values: Mapping, code: str) -> tuple:
    """(numerator, denominator) of a ratio indicator, from the unrounded sums it is made of."""
    if code == "implemented_ratio_pct":
        implemented = sum(values.get(f"implemented_capital_{kind}_vnd") or 0 for kind in KINDS)
        registered = sum(values.get(f"valid_capital_{kind}_vnd") or 0 for kind in KINDS)
        return implemented, registered
    return values.get("leased_land_ha"), values.get("industrial_land_ha")


def with_ratios(values: dict) -> dict:
    """Set the ratio indicators from the sums they are made of (in place; returns `values`)."""
    for code in RATIOS:
        values[code] = pct(*_ratio_parts(values, code))
    return values


def board_values(period: Period, board_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """{board id: {code: value}} for the given boards (None: every board), in seven grouped queries."""
    ids = list(Board.objects.values_list("pk", flat=True)) if board_ids is None else list(board_ids)
    out = {board_id: _empty(period) for board_id in ids}
    scope = None if board_ids is None else sources.Boards.of(ids)
    for part in (_events, _valid, _zones, _enterprises):
        part(period, scope, out)
    for values in out.values():
        for code, value in values.items():
            values[code] = normalise(code, value)
        with_ratios(values)
    return out


def combine(parts: Iterable[Mapping]) -> dict:
    """The sum of several boards' values, ratios recomputed from the sums.

    A figure no part has (None everywhere, e.g. enterprise figures of a partial quarter) stays None.
    """
    parts = list(parts)
    total = {}
    for code, unit in _UNITS.items():
        present = [part[code] for part in parts if part.get(code) is not None]
        if not present or code in RATIOS:
            total[code] = None
        elif unit in (COUNT, PEOPLE, VND):
            total[code] = sum(present)  # ints: exact as they are
        else:  # two-place Decimals or the floats JSON gives for them: exact through their text
            total[code] = normalise(code, sum(Decimal(str(v)) for v in present))
    return with_ratios(total)


def growth_pct(value, previous):
    """(value − previous) ÷ previous × 100, or None when there is nothing to compare with."""
    if value is None or previous is None or previous == 0:
        return None
    return round_pct((Decimal(str(value)) - Decimal(str(previous))) * 100 / Decimal(str(previous)))


def _plan_pct(values: Mapping, code: str, value, plan):
    """Achievement of the plan in per cent; a ratio's from its unrounded value (rounded once, not twice)."""
    if value is None or not plan:
        return None
    if code in RATIOS:
        return round_pct(exact_pct(exact_pct(*_ratio_parts(values, code)), plan))
    return pct(value, plan)


def document(values: Mapping, previous: Mapping, plans: Mapping) -> dict[str, dict]:
    """{code: {value, previous, growth_pct, plan, plan_pct}} in catalogue order.

    Growth is not given for percentages (a change of a ratio is in points, not per cent).
    """
    doc = {}
    for indicator in CATALOGUE:
        code = indicator.code
        value, before, plan = values.get(code), previous.get(code), plans.get(code)
        doc[code] = {
            "value": value,
            "previous": before,
            "growth_pct": None if indicator.unit == PCT else growth_pct(value, before),
            "plan": plan,
            "plan_pct": _plan_pct(values, code, value, plan),
        }
    return doc
