"""Reads of the report snapshots: a scope's versions of a period, the JSON of DOMAIN.md §7, comparing two
versions, what a restated version replaces, the scope labels and recent reports of the pages.

A report is read by whoever may read its scope (reports.scopes.can_read); the other reads here serve a
report the view has already checked the user may read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from kcn_portal import periods
from kcn_portal.indicators import INDICATOR_CODES
from reports import scopes
from reports.models import ReportDownload, ReportSnapshot, ReportState
from zones.models import Board

FIELDS = ("value", "previous", "growth_pct", "plan", "plan_pct")


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


def scope_labels(codes) -> dict[str, str]:
    """{scope text: label} for scope texts ("board:HNA", "bloc:DBSH", "national"), board names in one query."""
    codes = list(codes)
    boards = [code.partition(":")[2] for code in codes if code.startswith(f"{scopes.BOARD}:")]
    names = dict(Board.objects.filter(code__in=boards).values_list("code", "name"))
    labels = {}
    for code in codes:
        kind, _colon, short = code.partition(":")
        labels[code] = names.get(short, short) if kind == scopes.BOARD else str(scopes.Scope(kind, short).label)
    return labels


def recent_states(scope_texts, *, limit: int = 30) -> list[ReportState]:
    """The most recently built reports among the given scopes, newest first."""
    return list(
        ReportState.objects.filter(scope__in=list(scope_texts), latest_version__gt=0).order_by(
            "-built_at", "scope", "period"
        )[:limit]
    )


def latest_indicators(scope: str, period_codes: list[str]) -> dict[str, dict]:
    """{period code: indicators} of the latest stored snapshot of each period of a scope, in one query."""
    newest = (
        ReportSnapshot.objects.filter(scope=scope, period=OuterRef("period")).order_by("-version").values("version")[:1]
    )
    rows = ReportSnapshot.objects.filter(scope=scope, period__in=period_codes, version=Subquery(newest))
    return dict(rows.values_list("period", "indicators"))


def member_names(scope: scopes.Scope, year: int) -> dict[str, tuple[str, str]]:
    """{board code: (province, name)} of the boards a bloc or the nation adds up in `year`."""
    return {
        code: (province, name)
        for code, province, name in scopes.members(scope, year).values_list("code", "province", "name")
    }


@dataclass(frozen=True)
class Restated:
    """What a restated version replaces: the earlier version someone relied on (`earlier.relied_on`: approved
    or accepted), its latest download, and every figure that differs."""

    earlier: ReportSnapshot
    differences: list[Difference]
    last_download: ReportDownload | None


def restated(snapshot: ReportSnapshot) -> Restated | None:
    """The version `snapshot` restates and what changed since (two queries); None when it restates nothing."""
    if snapshot.restates_id is None:
        return None
    earlier = ReportSnapshot.objects.filter(pk=snapshot.restates_id).first()
    if earlier is None:
        return None
    last_download = earlier.downloads.select_related("user").order_by("-at", "-id").first()
    return Restated(earlier=earlier, differences=compare(earlier, snapshot), last_download=last_download)
