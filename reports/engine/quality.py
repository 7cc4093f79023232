"""Data-quality rules (issue 7): warnings a board leader sees before approving a period's data.

`issues_refresh` runs the rules over some boards' data of one quarter, half or year and replaces
their DataIssue rows of it; report_build calls it, in the transaction that stores the snapshots,
for the boards it computes afresh, so the warnings are those of the latest build. The rules, in a
fixed number of grouped queries whatever the number of boards:

- count_parts: valid projects at the period's end ≠ FDI + DDI valid projects (the board's figures).
- count_flow: valid projects at the end ≠ valid projects the day before the start + issues −
  terminations in the period. The counts come from different records (the projects' cached dates,
  the live events) and agree whenever the ledger is sound; they differ when it is not — a project
  terminated twice, an issue or a termination out of order, a cached state out of step.
- capital_zero: a live issue or adjustment dated in the period states no positive capital in
  either currency (the ledger then leaves the project without registered capital) while the
  project is not terminated by the period's end.
- enterprise_outlier: a figure of an enterprise report of the period's quarters is above the
  largest × F or below the smallest ÷ F of the same figure in the project's reports of the
  HISTORY_YEARS years of quarters before the period (at least four stating it;
  F = KCN_QUALITY_OUTLIER_FACTOR); a bound of 0 never flags.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, FloatField, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investment.enums import EventKind
from investment.models import EnterpriseReport
from kcn_portal.core.templatetags.kcn_format import format_number, vn_date
from kcn_portal.indicators import INDICATORS, UNIT_LABELS, USD
from kcn_portal.periods import Period
from reports.engine import rollup, sources
from reports.enums import StaleRecords
from reports.models import DataIssue
from reports.selectors import deadlines

if TYPE_CHECKING:
    from reports.services.builds import BoardFigures

# The enterprise figures compared with the project's own history, and how much of it is needed.
OUTLIER_FIGURES = ("revenue_vnd", "production_value_vnd", "export_usd", "import_usd", "budget_vnd", "employees")
MIN_HISTORY = 4
ABOVE, BELOW = "above", "below"


class QualityRule(models.TextChoices):
    COUNT_PARTS = "count_parts", gettext_lazy("Số dự án còn hiệu lực khác tổng số dự án FDI và DDI")
    COUNT_FLOW = "count_flow", gettext_lazy("Số dự án còn hiệu lực không khớp với cấp mới và chấm dứt trong kỳ")
    CAPITAL_ZERO = "capital_zero", gettext_lazy("Vốn đăng ký về 0 khi dự án chưa chấm dứt")
    ENTERPRISE_OUTLIER = "enterprise_outlier", gettext_lazy("Số liệu doanh nghiệp bất thường so với các quý trước")


RULES = QualityRule


@dataclass(frozen=True)
class Found:
    board_id: int
    rule: str
    message: str
    project_code: str = ""


# The kinds of records each rule reads besides projects and zones (reports.engine.rollup.READS likewise).
READS = {
    RULES.COUNT_PARTS: StaleRecords.LICENCE_EVENTS,
    RULES.COUNT_FLOW: StaleRecords.LICENCE_EVENTS,
    # A new adjustment has a positive capital (the ledger's check), so it never adds a warning of this rule.
    RULES.CAPITAL_ZERO: StaleRecords.LICENCE_EVENTS,
    RULES.ENTERPRISE_OUTLIER: StaleRecords.ENTERPRISE_REPORTS,
}
EVERY_RULE = frozenset(READS)


def rules_reading(records: StaleRecords) -> frozenset[str]:
    """The rules whose warnings a change of these kinds of records can alter (0, not known: every rule)."""
    if not records:
        return EVERY_RULE
    return frozenset(rule for rule, reads in READS.items() if reads & records)


@transaction.atomic
def issues_refresh(
    period: Period,
    board_ids: list[int],
    figures: dict[int, BoardFigures] | None = None,
    *,
    rules: frozenset[str] = EVERY_RULE,
) -> list[DataIssue]:
    """Run the rules over the boards' data of a quarter, half or year and replace their warnings of it.

    `figures` are the boards' figures of the period as the build computed them (None: computed here
    by reports.engine.rollup). Months and months to date have no warnings: nothing is done for them.
    With `rules`, only those run and only their warnings are replaced. Side effects: deletes the
    boards' DataIssue rows of the period (of those rules) and creates those found now, in at most
    eight queries whatever the number of boards (plus rollup's when `figures` is None).
    """
    if period.kind not in deadlines.DEADLINE_KINDS or not board_ids or not rules:
        return []
    ids = list(board_ids)
    found = []
    boards = sources.Boards.of(ids)  # the boards' zones, looked up once for every query below
    if rules & {RULES.COUNT_PARTS, RULES.COUNT_FLOW}:
        if figures is None:
            values = rollup.board_values(period, ids)
        else:
            values = {board_id: figures[board_id].value for board_id in ids if board_id in figures}
        found += [item for item in _counts(period, boards, values) if item.rule in rules]
    if RULES.CAPITAL_ZERO in rules:
        found += _capital_zero(period, boards)
    if RULES.ENTERPRISE_OUTLIER in rules:
        found += _outliers(period, boards)
    replaced = DataIssue.objects.filter(board_id__in=ids, period=period.code)
    (replaced if rules == EVERY_RULE else replaced.filter(rule__in=list(rules))).delete()
    now = timezone.now()
    return DataIssue.objects.bulk_create(
        DataIssue(board_id=item.board_id, period=period.code, rule=item.rule, message=item.message,
                  project_code=item.project_code, found_at=now)
        for item in found
    )  # fmt: skip


def _counts(period: Period, boards: sources.Boards, values: dict[int, dict]) -> list[Found]:
    """count_parts and count_flow, from the board's figures and its valid projects the day before the start."""
    day_before = period.start - datetime.timedelta(days=1)
    before = dict(
        sources.valid_projects(day_before, boards).values_list("zone__board_id").annotate(n=Count("pk")).order_by()
    )
    found = []
    for board_id in boards.ids:
        if board_id not in values:
            continue
        value = values[board_id]
        total, fdi, ddi = value["valid_projects"], value["valid_projects_fdi"], value["valid_projects_ddi"]
        if total != fdi + ddi:
            message = _(
                "Số dự án còn hiệu lực cuối kỳ (%(total)s) khác tổng số dự án FDI (%(fdi)s) và DDI (%(ddi)s) = %(sum)s."
            ) % {"total": total, "fdi": fdi, "ddi": ddi, "sum": fdi + ddi}
            found.append(Found(board_id, RULES.COUNT_PARTS, message))
        start, issued = before.get(board_id, 0), value["new_projects"]
        ended = value["terminated_projects_fdi"] + value["terminated_projects_ddi"]
        if total != start + issued - ended:
            message = _(
                "Số dự án còn hiệu lực cuối kỳ (%(total)s) khác số đầu kỳ (%(start)s) + cấp mới (%(issued)s) "
                "− chấm dứt (%(ended)s) = %(expected)s."
            ) % {"total": total, "start": start, "issued": issued, "ended": ended, "expected": start + issued - ended}
            found.append(Found(board_id, RULES.COUNT_FLOW, message))
    return found


def _capital_zero(period: Period, boards: sources.Boards) -> list[Found]:
    """capital_zero: issues/adjustments of the period without a positive capital, of projects not terminated.

    The ledger's check refuses such events and the database a stored 0, but an event written around
    the services can still lack both amounts; the ledger then leaves the project with no capital.
    """
    no_vnd = Q(capital_vnd__isnull=True) | Q(capital_vnd__lte=0)
    no_usd = Q(capital_usd__isnull=True) | Q(capital_usd__lte=0)
    not_terminated = Q(project__terminated_on__isnull=True) | Q(project__terminated_on__gt=period.end)
    events = (
        sources.events_in(period, boards)
        .filter(no_vnd & no_usd & not_terminated, kind__in=(EventKind.ISSUE, EventKind.ADJUST))
        .annotate(board_key=F("project__zone__board_id"), code=F("project__code"))
        .only("kind", "adjust_no", "certificate_no", "event_date")
        .order_by("project__code", "event_date", "pk")
    )
    end = vn_date(period.end)
    template = _(
        "%(event)s số %(no)s ngày %(date)s không còn vốn đăng ký (vốn về 0) nhưng dự án chưa chấm dứt đến ngày %(end)s."
    )
    found = []
    for event in events:
        values = {"event": event.label, "no": event.certificate_no, "date": vn_date(event.event_date)}
        found.append(Found(event.board_key, RULES.CAPITAL_ZERO, template % (values | {"end": end}), event.code))
    return found


def _outlier(value, history: dict, name: str, factor) -> str | None:
    """ABOVE when `value` exceeds the largest earlier value × factor, BELOW when it is under the smallest
    ÷ factor, else None (also without a value or with fewer than MIN_HISTORY earlier ones)."""
    low, high = history[f"{name}_min"], history[f"{name}_max"]
    if value is None or history[f"{name}_n"] < MIN_HISTORY:
        return None
    # A bound of 0 (nothing exported yet, say) gives no scale to compare with: it never flags.
    if high > 0 and value > high * factor:
        return ABOVE
    if low > 0 and value * factor < low:
        return BELOW
    return None


def _extremes(reports, *, count: bool = False, output_field=None):
    """Per project of `reports`: min and max of each figure (and how many reports state it, with `count`)."""
    aggregates = {}
    for name in OUTLIER_FIGURES:
        aggregates[f"{name}_min"] = Min(name, output_field=output_field)
        aggregates[f"{name}_max"] = Max(name, output_field=output_field)
        if count:
            aggregates[f"{name}_n"] = Count(name)  # the reports stating the figure: an empty cell is no history
    return reports.values("project_id").annotate(**aggregates).order_by()


def _suspects(zone_ids: list[int], earlier: Q, current: Q, factor: float) -> list[int]:
    """Projects with a figure of the period perhaps out of its earlier range (a superset: checked exactly later).

    One grouped query over the project's earlier and current reports, the comparison made by the
    database (HAVING): only the few suspects come back. Floats, with a margin: cheaper than the
    Decimals SQLite makes of every USD aggregate, and enough to choose the projects whose figures are
    then compared exactly (_outlier).
    """
    above, below = factor * (1 - 1e-9), factor * (1 + 1e-9)  # the margin keeps float rounding on the safe side
    aggregates, flagged = {}, Q()
    for name in OUTLIER_FIGURES:
        number = FloatField()
        aggregates |= {
            f"{name}_n": Count(name, filter=earlier),
            f"{name}_low": Min(name, filter=earlier, output_field=number),
            f"{name}_high": Max(name, filter=earlier, output_field=number),
            f"{name}_now_low": Min(name, filter=current, output_field=number),
            f"{name}_now_high": Max(name, filter=current, output_field=number),
        }
        rises = Q(**{f"{name}_high__gt": 0, f"{name}_now_high__gt": F(f"{name}_high") * above})
        falls = Q(**{f"{name}_low__gt": 0, f"{name}_now_low__lt": F(f"{name}_low") / below})
        flagged |= Q(**{f"{name}_n__gte": MIN_HISTORY}) & (rises | falls)
    rows = (
        EnterpriseReport.objects.filter(earlier | current, project__zone_id__in=zone_ids)
        .values("project_id")
        .annotate(**aggregates)
        .filter(flagged)
        .order_by()
    )
    return [row["project_id"] for row in rows]


# The history a figure is compared with: the four quarters before the period (every season once). A
# longer past found the same mistakes in the demo and the bench data and doubled the rule's time on a
# national build (0.5 s → 0.9 s on PostgreSQL, 25,000 projects).
HISTORY_YEARS = 1


def _outliers(period: Period, boards: sources.Boards) -> list[Found]:
    """enterprise_outlier: the period's reports against each project's earlier quarters (min, max, count).

    Grouped reads whatever the boards: per project and figure, the earlier quarters' min, max and count
    and the period's own min and max pick the projects that may be out of range; only for those are the
    period's reports and their exact history read, to name each figure.
    """
    factor = Decimal(str(settings.KCN_QUALITY_OUTLIER_FACTOR))
    first_quarter = (period.start.month - 1) // 3 + 1
    # The project's own past: the HISTORY_YEARS years of quarters before the period (bounded, so a build's
    # cost does not grow with the age of the ledger).
    oldest = period.start.year - HISTORY_YEARS
    before = (Q(year__lt=period.start.year) | Q(year=period.start.year, quarter__lt=first_quarter)) & (
        Q(year__gt=oldest) | Q(year=oldest, quarter__gte=first_quarter)
    )
    zone_ids = list(boards.zone_ids)
    earlier = EnterpriseReport.objects.filter(before, project__zone_id__in=zone_ids)
    current = sources.period_reports(period, boards)
    during = Q(year=period.year, quarter__in=[quarter for _year, quarter in period.quarters()])  # period_reports'
    suspects = _suspects(zone_ids, before, during, float(factor))
    if not suspects:
        return []
    history = {row["project_id"]: row for row in _extremes(earlier.filter(project_id__in=suspects), count=True)}
    where = {"board_key": F("project__zone__board_id"), "code": F("project__code")}
    rows = current.filter(project_id__in=suspects).values("project_id", "year", "quarter", *OUTLIER_FIGURES, **where)
    templates = {
        ABOVE: _(
            "Quý %(quarter)s/%(year)s, %(figure)s: %(value)s %(unit)s, gấp hơn %(factor)s lần mức cao nhất "
            "của các quý trước (%(low)s – %(high)s %(unit)s)."
        ),
        BELOW: _(
            "Quý %(quarter)s/%(year)s, %(figure)s: %(value)s %(unit)s, dưới 1/%(factor)s mức thấp nhất "
            "của các quý trước (%(low)s – %(high)s %(unit)s)."
        ),
    }
    found = []
    for row in rows.order_by("project__code", "quarter"):
        past_row = history[row["project_id"]]
        for name in OUTLIER_FIGURES:
            value, low, high = row[name], past_row[f"{name}_min"], past_row[f"{name}_max"]
            direction = _outlier(value, past_row, name, factor)
            if direction is None:
                continue
            indicator = INDICATORS[name]
            decimals = 2 if indicator.unit == USD else 0
            message = templates[direction] % {
                "quarter": row["quarter"], "year": row["year"], "figure": indicator.name,
                "value": format_number(value, decimals, trim=True), "unit": UNIT_LABELS[indicator.unit],
                "factor": format_number(factor, 2, trim=True), "low": format_number(low, decimals, trim=True),
                "high": format_number(high, decimals, trim=True),
            }  # fmt: skip
            found.append(Found(row["board_key"], RULES.ENTERPRISE_OUTLIER, message, row["code"]))
    return found
