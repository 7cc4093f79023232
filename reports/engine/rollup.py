"""The rollup engine: every indicator of DOMAIN.md §5 per board, by SQL aggregation.

`board_values(period, board_ids)` runs seven grouped queries (GROUP BY board, and project kind
where it matters) over the querysets of reports.engine.sources — never a Python loop over rows — and
answers {board_id: {code: value}} for every board asked for. The queries come in six parts (PARTS:
events, valid projects, their implemented capital, zones, enterprise flows, enterprise stocks), each
reading the kinds of records in READS; a rebuild may compute only the parts a change reached and take
the other figures from the report it already has. `combine` sums boards into a bloc or the nation
and recomputes the ratios from the sums. `document` adds last year's value, the growth, the plan and
its achievement to each indicator.

Values are Python numbers: int for counts, people and đồng; Decimal (2 places) for USD, hectares
and percentages; None where the figure is not available (enterprise figures of a period that does
not cover whole quarters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Subquery, Sum

from kcn_portal.indicators import CATALOGUE, COUNT, EVENTS, PCT, PEOPLE, PROJECTS, REPORTS, VND, ZONE_ROWS, normalise
from kcn_portal.periods import Period
from reports.engine import sources
from reports.enums import StaleRecords
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


def _valid(period: Period, board_ids, out: dict, *, capital: bool = True, implemented: bool = True) -> None:
    """The valid projects at the period's end: their count and registered capital (`capital`), the capital
    their latest reports state implemented (`implemented`)."""
    day = period.end
    latest_capital, latest_implemented = sources.latest_capital_event(day), sources.latest_implemented_report(day)
    wanted = (("n", "capital") if capital else ()) + (("implemented",) if implemented else ())
    if connection.vendor == "postgresql":
        # One pass over the valid projects, four indexed look-ups each (faster than three queries there).
        lookups = {
            "n": {"n": Count("pk")},
            "capital": {
                f"capital_{cur}": Sum(Subquery(latest_capital.values(f"capital_{cur}")[:1])) for cur in ("vnd", "usd")
            },
            "implemented": {
                f"implemented_{cur}": Sum(Subquery(latest_implemented.values(f"implemented_capital_{cur}")[:1]))
                for cur in ("vnd", "usd")
            },
        }
        rows = (
            sources.valid_projects(day, board_ids)
            .values(board_key=F("zone__board_id"), project_kind=F("kind"))
            .annotate(**{alias: value for figure in wanted for alias, value in lookups[figure].items()})
        )
        parts = [(rows, wanted)]
    else:
        counts = sources.valid_projects(day, board_ids).values(board_key=F("zone__board_id"), project_kind=F("kind"))
        capital_rows = sources.capital_events(day, board_ids)
        implemented_rows = sources.implemented_reports(day, board_ids)
        implemented_fields = {f"implemented_{cur}": f"implemented_capital_{cur}" for cur in ("vnd", "usd")}
        capital_fields = {"capital_vnd": "capital_vnd", "capital_usd": "capital_usd"}
        parts = [
            (counts.annotate(n=Count("pk")), ("n",)),
            (_latest_sums(day, board_ids, capital_rows, latest_capital, capital_fields), ("capital",)),
            (_latest_sums(day, board_ids, implemented_rows, latest_implemented, implemented_fields), ("implemented",)),
        ]
        parts = [(rows, figures) for rows, figures in parts if figures[0] in wanted]
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


def _flows(period: Period, board_ids, out: dict) -> None:
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


def _stocks(period: Period, board_ids, out: dict) -> None:
    if not period.covers_whole_quarters:
        return  # stays None, as the flows
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


# The parts of a board's figures: the codes each part sets (from the catalogue's sources; the ratios are
# recomputed from the sums) and the kinds of records each reads besides projects and zones, which every
# part reads (a change of those, or of records of a kind not known, recomputes every part).
EVENT_FIGURES, VALID_PROJECTS, IMPLEMENTED, ZONE_FIGURES, FLOWS, STOCKS = (
    "events", "valid", "implemented", "zones", "flows", "stocks"
)  # fmt: skip
PARTS = frozenset((EVENT_FIGURES, VALID_PROJECTS, IMPLEMENTED, ZONE_FIGURES, FLOWS, STOCKS))
_LEDGER = StaleRecords.LICENCE_EVENTS | StaleRecords.LICENCE_ADJUSTMENTS
READS = {
    EVENT_FIGURES: _LEDGER,
    VALID_PROJECTS: _LEDGER,  # valid at the period's end by the ledger (not by adjustments), their capital
    # of the projects valid at the end (which adjustments do not change): a report's, of any quarter
    IMPLEMENTED: StaleRecords.LICENCE_EVENTS | StaleRecords.ENTERPRISE_REPORTS,
    ZONE_FIGURES: StaleRecords(0),
    FLOWS: StaleRecords.ENTERPRISE_REPORTS,  # every report of the quarters, of projects valid or not
    STOCKS: StaleRecords.LICENCE_EVENTS | StaleRecords.ENTERPRISE_REPORTS,  # of the projects valid at the end
}


def _part_of(indicator) -> str:
    if indicator.source == PROJECTS:
        return IMPLEMENTED if indicator.code.startswith("implemented_capital_") else VALID_PROJECTS
    return {EVENTS: EVENT_FIGURES, ZONE_ROWS: ZONE_FIGURES, REPORTS: STOCKS if indicator.stock else FLOWS}[
        indicator.source
    ]


PART_OF = {indicator.code: _part_of(indicator) for indicator in CATALOGUE if not indicator.ratio}


def parts_reading(records: StaleRecords) -> frozenset[str]:
    """The parts whose figures a change of these kinds of records can alter (0, not known: every part)."""
    if not records:
        return PARTS
    return frozenset(part for part, reads in READS.items() if reads & records)


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


def board_values(
    period: Period,
    board_ids: Iterable[int] | None = None,
    *,
    parts: frozenset[str] = PARTS,
    known: Mapping[int, Mapping] | None = None,
) -> dict[int, dict]:
    """{board id: {code: value}} for the given boards (None: every board), in seven grouped queries.

    With `parts`, only those parts are computed; the figures of the others are taken from `known`
    ({board id: {code: value}}, e.g. a report's latest snapshot, whose JSON numbers are made exact
    again here) and the ratios are recomputed from the sums.
    """
    ids = list(Board.objects.values_list("pk", flat=True)) if board_ids is None else list(board_ids)
    out = {board_id: _empty(period) for board_id in ids}
    if parts != PARTS:  # the figures of the parts not computed, as known (the ratios are recomputed below)
        for board_id, values in out.items():
            values.update({code: v for code, v in known[board_id].items() if PART_OF.get(code) not in parts})
    scope = None if board_ids is None or not parts else sources.Boards.of(ids)
    if EVENT_FIGURES in parts:
        _events(period, scope, out)
    if parts & {VALID_PROJECTS, IMPLEMENTED}:  # one pass over the valid projects for both
        _valid(period, scope, out, capital=VALID_PROJECTS in parts, implemented=IMPLEMENTED in parts)
    if ZONE_FIGURES in parts:
        _zones(period, scope, out)
    if FLOWS in parts:
        _flows(period, scope, out)
    if STOCKS in parts:
        _stocks(period, scope, out)
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
