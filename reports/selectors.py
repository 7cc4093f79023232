"""Reads of the reports app: annual plans and report snapshots, scoped by zones.access / reports.scopes.

A board's plans are read by whoever reads the board; a report by whoever may read its scope. The approval
marks of a report page (members' approvals, the ministry's acceptance, what a restated version replaces) are
read here too, for a report the view has already checked the user may read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from kcn_portal import periods
from kcn_portal.indicators import INDICATOR_CODES
from zones import access
from zones.models import Board

from . import scopes
from .models import PeriodApproval, Plan, ReportDownload, ReportSnapshot, ReportState, SummaryAcceptance

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


def plan_counts(*, user) -> dict[tuple[int, int], int]:
    """{(board id, year): number of indicators with a plan} over the boards the user may read (one query)."""
    rows = plan_list(user=user).order_by().values_list("board_id", "year").annotate(n=Count("pk"))
    return {(board_id, year): count for board_id, year, count in rows}


# --- approval marks and restated versions (issue 7) ----------------------------------------------

# A pinned or accepted version is shown by its number: its figures are not loaded.
_SNAPSHOT_FIGURES = ("snapshot__indicators", "snapshot__members", "snapshot__member_values", "snapshot__rate_rule")


def member_approvals(period_code: str, board_codes) -> dict[str, PeriodApproval]:
    """{board code: approval} of the boards among `board_codes` that approved the period (one query, with
    the approver and the pinned version's number); a board that has not approved is absent."""
    approvals = (
        PeriodApproval.objects.filter(period=period_code, board__code__in=list(board_codes))
        .select_related("board", "approved_by", "snapshot")
        .defer(*_SNAPSHOT_FIGURES)
    )
    return {approval.board.code: approval for approval in approvals}


def summary_acceptance(scope: str, period_code: str) -> SummaryAcceptance | None:
    """The ministry's acceptance of a bloc's or the nation's summary of a period, None when not accepted."""
    return (
        SummaryAcceptance.objects.filter(scope=scope, period=period_code)
        .select_related("accepted_by", "snapshot")
        .defer(*_SNAPSHOT_FIGURES)
        .first()
    )


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
