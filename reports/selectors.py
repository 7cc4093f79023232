"""Reads of the reports app: annual plans and report snapshots, scoped by zones.access / reports.scopes.

A board's plans are read by whoever reads the board; a report by whoever may read its scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kcn_portal import periods
from zones import access

from . import scopes
from .indicators import INDICATOR_CODES
from .models import Plan, ReportSnapshot, ReportState

FIELDS = ("value", "previous", "growth_pct", "plan", "plan_pct")


def plan_list(*, user, boards: list[str] | None = None) -> QuerySet[Plan]:
    """Plans of the boards the user may read (optionally only the board codes given), by board, year, indicator."""
    qs = Plan.objects.filter(board__in=access.readable_boards(user)).select_related("board")
    if boards is not None:
        qs = qs.filter(board__code__in=boards)
    return qs.order_by("board__code", "year", "indicator")


# --- report snapshots ---------------------------------------------------------------------------


def snapshot_get(*, user, scope: str, period: str, version: int | None = None) -> ReportSnapshot:
    """The latest (or the given) version of a scope's report for a period; Http404 when it does not
    exist or the user may not read the scope. Raises ScopeError / PeriodError for malformed codes.
    """
    parsed_scope, parsed_period = scopes.parse(scope), periods.parse(period)
    if not scopes.can_read(user, parsed_scope):
        raise Http404
    snapshots = ReportSnapshot.objects.filter(scope=str(parsed_scope), period=parsed_period.code)
    snapshot = (snapshots.filter(version=version) if version else snapshots.order_by("-version")).first()
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_versions(*, user, scope: str, period: str) -> QuerySet[ReportSnapshot]:
    """Every version of a scope's report for a period, newest first (without the figures)."""
    parsed_scope, parsed_period = scopes.parse(scope), periods.parse(period)
    if not scopes.can_read(user, parsed_scope):
        raise Http404
    return (
        ReportSnapshot.objects.filter(scope=str(parsed_scope), period=parsed_period.code)
        .defer("indicators", "member_values")
        .order_by("-version")
    )


def report_state(*, scope: str, period: str) -> ReportState | None:
    return ReportState.objects.filter(scope=scope, period=period).first()


def document(snapshot: ReportSnapshot) -> dict:
    """The report as DOMAIN.md §7's JSON document (indicators in catalogue order, amounts as numbers)."""
    stored = snapshot.indicators
    return {
        "scope": snapshot.scope,
        "period": snapshot.period,
        "start": snapshot.start.isoformat(),
        "end": snapshot.end.isoformat(),
        "version": snapshot.version,
        "generated_at": timezone.localtime(snapshot.generated_at).isoformat(),
        "indicators": {code: {key: stored[code][key] for key in FIELDS} for code in INDICATOR_CODES if code in stored},
    }


@dataclass(frozen=True)
class Difference:
    code: str
    field: str
    old: object
    new: object


def compare(old: ReportSnapshot, new: ReportSnapshot) -> list[Difference]:
    """Every figure that differs between two versions (value, previous, growth, plan, plan %)."""
    differences = []
    for code in INDICATOR_CODES:
        before, after = old.indicators.get(code, {}), new.indicators.get(code, {})
        for field in FIELDS:
            if before.get(field) != after.get(field):
                differences.append(Difference(code, field, before.get(field), after.get(field)))
    return differences
