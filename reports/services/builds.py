"""Report builds: compute the boards' figures, add boards up into blocs and the nation, store snapshots.

`report_build` computes the boards' figures with reports.engine.rollup, adds boards up into blocs and
the nation, and stores one snapshot per scope in one transaction — a new version only when a number
changed. Tasks, commands and pages call it through `report_build_enqueue`; beat's nightly build through
`reports_nightly`. What marks reports stale and rebuilds them is reports.services.staleness.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from investment.models import ExchangeRate
from kcn_portal import periods
from kcn_portal.core import queue
from kcn_portal.core.enums import TaskStatus
from kcn_portal.core.models import TaskRun
from kcn_portal.core.services import task_run_fail, task_run_finish, task_run_start
from kcn_portal.indicators import CATALOGUE, PCT
from reports import scopes
from reports.engine import quality, rollup
from reports.enums import StaleRecords
from reports.models import PeriodApproval, Plan, ReportSnapshot, ReportState
from reports.selectors import deadlines
from zones import access
from zones.models import Board

REPORT_BUILD = "report_build"


@dataclass
class BoardFigures:
    """One board's figures for a period: its values, last year's, and its plans for the year."""

    value: dict
    previous: dict
    plans: dict


@dataclass(frozen=True)
class Built:
    scope: str
    version: int
    created: bool


def to_json(value):
    """A figure as a JSON number: int for whole units, float (2 places) for USD, ha and %."""
    if value is None or isinstance(value, int):
        return value
    return float(value)


def rate_rule(period: periods.Period) -> str:
    """The exchange-rate rule a build of the period used, in words, with the rate in force at its end."""
    rate = (
        ExchangeRate.objects.filter(valid_from__lte=period.end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.end))
        .order_by("-valid_from")
        .first()
    )
    text = _(
        "Số tiền theo giấy chứng nhận; loại tiền không ghi trên giấy được quy đổi theo tỷ giá USD/VND "
        "của ngày sự kiện (danh mục tỷ giá) và đánh dấu là quy đổi."
    )
    if rate:
        text += " " + _("Tỷ giá áp dụng ngày %(day)s: %(rate)s đồng/USD (%(source)s).") % {
            "day": period.end.strftime("%d/%m/%Y"),
            "rate": f"{rate.vnd_per_usd:,.0f}".replace(",", "."),
            "source": rate.source or _("không ghi nguồn"),
        }
    return text


def _plans(board_ids, year: int) -> dict[int, dict]:
    plans: dict[int, dict] = {board_id: {} for board_id in board_ids}
    for board_id, code, value in Plan.objects.filter(board_id__in=board_ids, year=year).values_list(
        "board_id", "indicator", "value"
    ):
        plans[board_id][code] = rollup.normalise(code, value)
    return plans


def compute_boards(
    period: periods.Period, board_ids: list[int] | None, *, previous: dict[int, dict] | None = None
) -> dict[int, BoardFigures]:
    """Fresh figures of the given boards (None: every board) from the ledger, reports, zones and plans.

    `previous` gives last year's figures already known for some boards (see `_previous_kept`); only
    the others' are computed.
    """
    previous = previous or {}
    now = rollup.board_values(period, board_ids)
    missing = [board_id for board_id in now if board_id not in previous]
    before = dict(previous)
    if missing:
        before.update(rollup.board_values(period.previous_year(), missing if board_ids is not None else None))
    plans = _plans(list(now), period.year)
    return {board_id: BoardFigures(now[board_id], before[board_id], plans[board_id]) for board_id in now}


def _previous_kept(period: periods.Period, boards: list[Board]) -> dict[int, dict]:
    """Last year's figures of the stale board reports whose changes all date after last year's end.

    A change dated D alters only the reports of periods ending on or after D, so the "same period
    last year" figures of such a report are those its latest snapshot already holds.
    """
    by_scope = {f"board:{board.code}": board.pk for board in boards}
    kept = ReportState.objects.filter(
        period=period.code, scope__in=list(by_scope), stale_from__gt=period.previous_year().end
    )
    return {
        by_scope[scope]: {code: rollup.normalise(code, value) for code, value in figures.previous.items()}
        for scope, figures in _stored_figures(period, kept).items()
    }


# Decoded figures of board snapshots, by (snapshot id, generated at). A snapshot never changes, so an
# entry never goes stale; the time in the key keeps a version rolled back with its transaction (SQLite
# may give its id again) from passing for a committed one. Per process (a worker's rebuilds reuse it),
# bounded; the rebuild after one edit then decodes one board's snapshot instead of every board's.
_FIGURES_CACHE: OrderedDict[tuple, BoardFigures] = OrderedDict()
FIGURES_CACHE_SIZE = 4096


def _stored_figures(period: periods.Period, states) -> dict[str, BoardFigures]:
    """{scope: figures} of the latest snapshot of each of the given states of the period (never mutate them)."""
    latest = states.filter(scope=OuterRef("scope"), latest_version__gt=0).values("latest_version")
    snapshots = ReportSnapshot.objects.filter(period=period.code, version=Subquery(latest))
    keys = {scope: (pk, at) for pk, scope, at in snapshots.values_list("pk", "scope", "generated_at")}
    _decode(keys.values())
    out = {}
    for scope, key in keys.items():
        if key in _FIGURES_CACHE:
            _FIGURES_CACHE.move_to_end(key)
            out[scope] = _FIGURES_CACHE[key]
    while len(_FIGURES_CACHE) > FIGURES_CACHE_SIZE:
        _FIGURES_CACHE.popitem(last=False)
    return out


def _decode(keys) -> None:
    """Put in the cache the figures of the snapshots among `keys` ((id, generated at)) it lacks, in one query."""
    missing = [pk for pk, at in keys if (pk, at) not in _FIGURES_CACHE]
    if missing:
        rows = ReportSnapshot.objects.filter(pk__in=missing).values_list("pk", "generated_at", "indicators")
        for pk, at, indicators in rows:
            _FIGURES_CACHE[pk, at] = _figures_from(indicators)


def _figures_from(indicators: dict) -> BoardFigures:
    """A board snapshot's figures, to add boards up without recomputing them.

    The numbers stay as JSON gave them (int, or float for two-place units): everything that adds
    or divides them (rollup.combine, document, _combined_plans) goes through Decimal(str(x)), which
    is exact for them, and to_json writes them back unchanged.
    """
    value, previous, plans = {}, {}, {}
    for code, item in indicators.items():
        value[code], previous[code] = item["value"], item["previous"]
        if item["plan"] is not None:
            plans[code] = item["plan"]
    return BoardFigures(value, previous, plans)


def _combined_plans(parts: list[BoardFigures]) -> dict:
    """A bloc's or the nation's plan: the sum of its boards' plans, when every board has one (not for ratios)."""
    plans = {}
    for indicator in CATALOGUE:
        values = [part.plans.get(indicator.code) for part in parts]
        if indicator.unit != PCT and parts and all(value is not None for value in values):
            plans[indicator.code] = rollup.normalise(indicator.code, sum(Decimal(str(v)) for v in values))
    return plans


def _document(figures: BoardFigures) -> dict:
    doc = rollup.document(figures.value, figures.previous, figures.plans)
    return {code: {key: to_json(value) for key, value in item.items()} for code, item in doc.items()}


def fingerprint(indicators: dict, members: list, member_values: dict) -> str:
    """SHA-256 of a snapshot's numbers in canonical JSON: equal numbers, equal fingerprint."""
    text = json.dumps([indicators, members, member_values], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _store(
    *, scope: str, period: periods.Period, indicators: dict, members: list, member_values: dict, rule: str, run, started
) -> Built:
    """Store a scope's snapshot under its state's row lock; a new version only when something differs."""
    state = ReportState.objects.select_for_update().filter(scope=scope, period=period.code).first()
    if state is None:
        state, _created = ReportState.objects.get_or_create(
            scope=scope, period=period.code, defaults={"start": period.start, "end": period.end}
        )
        state = ReportState.objects.select_for_update().get(pk=state.pk)
    digest = fingerprint(indicators, members, member_values)
    if state.latest_digest or not state.latest_version:
        same = state.latest_digest == digest
    else:  # built before fingerprints: compare with the snapshot itself
        latest = ReportSnapshot.objects.get(scope=scope, period=period.code, version=state.latest_version)
        same = (latest.indicators, latest.members, latest.member_values) == (indicators, members, member_values)
    state.latest_digest = digest
    if not same:
        # "Restated" when an earlier version was relied on: approved, accepted or downloaded (issue 7).
        restates = (  # its id only: a summary's JSON is large
            ReportSnapshot.objects.filter(scope=scope, period=period.code)
            .filter(Q(relied_on=True) | Q(downloads__isnull=False))
            .order_by("-version")
            .values_list("pk", flat=True)
            .first()
        )
        state.latest_version += 1
        ReportSnapshot.objects.create(
            restates_id=restates,
            scope=scope,
            period=period.code,
            version=state.latest_version,
            start=period.start,
            end=period.end,
            indicators=indicators,
            members=members,
            member_values=member_values,
            rate_rule=rule,
            generated_at=timezone.now(),
            task_run=run,
        )
    state.built_at = timezone.now()
    if state.stale_since is not None and state.stale_since <= started:
        # A change marked after this build started keeps it stale (and what that change was made to).
        state.stale_since, state.stale_from, state.stale_records = None, None, 0
    update = ["latest_version", "latest_digest", "built_at", "stale_since", "stale_from", "stale_records"]
    state.save(update_fields=update)
    return Built(scope, state.latest_version, not same)


def _approved_figures(period: periods.Period, boards) -> dict[int, BoardFigures]:
    """{board id: figures of its approved version of the period} for the boards that approved it.

    Bloc and national summaries add these up instead of the latest versions (issue 7): what a
    leader approved is what the ministry gets, until a correction or a reopening re-pins it.
    """
    rows = PeriodApproval.objects.filter(period=period.code, board__in=list(boards)).values_list(
        "board_id", "snapshot_id", "snapshot__generated_at"
    )
    keys = {board_id: (pk, at) for board_id, pk, at in rows}
    _decode(keys.values())
    return {board_id: _FIGURES_CACHE[key] for board_id, key in keys.items() if key in _FIGURES_CACHE}


@dataclass(frozen=True)
class _BoardState:
    """What a board's ReportState of the period says about its latest snapshot."""

    stale: bool
    stale_from: datetime.date | None
    records: StaleRecords  # the kinds of records changed since (0: any)
    checked: bool  # the data-quality rules ran on it


def _board_states(period: periods.Period, boards: list[Board]) -> dict[int, _BoardState]:
    """{board id: state} of the boards whose report of the period has been built, in one query."""
    by_scope = {f"board:{board.code}": board.pk for board in boards}
    rows = ReportState.objects.filter(period=period.code, scope__in=list(by_scope)).values_list(
        "scope", "stale_since", "stale_from", "stale_records", "checked_at"
    )
    return {
        by_scope[scope]: _BoardState(since is not None, since_day, StaleRecords(records), checked is not None)
        for scope, since, since_day, records, checked in rows
    }


def _board_figures_stored(
    period: periods.Period, boards: list[Board], states: dict[int, _BoardState]
) -> dict[int, BoardFigures]:
    """Figures of boards to add up (or to rebuild when stale), computing only what their changes can alter.

    A board whose report of the period is built and not stale: its latest snapshot's figures. Stale: the
    parts of its figures the kinds of records changed since can alter (reports.engine.rollup.parts_reading)
    are computed again, the others are those of its latest snapshot, and last year's figures are kept whole
    when no change since reaches back into last year's period (a change dated D alters only the reports of
    periods ending on or after D). Never built: computed afresh.
    """
    by_scope = {f"board:{board.code}": board.pk for board in boards}
    built = ReportState.objects.filter(period=period.code, scope__in=list(by_scope))
    stored = {by_scope[scope]: figures for scope, figures in _stored_figures(period, built).items()}
    figures = {board_id: stored[board_id] for board_id in stored if not states[board_id].stale}
    last_year_end = period.previous_year().end
    groups: dict[tuple[frozenset, bool], list[int]] = {}
    for board in boards:
        state = states.get(board.pk)
        if board.pk in figures:
            continue
        if board.pk in stored and state is not None:
            kept = state.stale_from is not None and state.stale_from > last_year_end
            key = (rollup.parts_reading(state.records), kept)
        else:
            key = (rollup.PARTS, False)
        groups.setdefault(key, []).append(board.pk)
    for (parts, kept), board_ids in groups.items():
        figures.update(_recomputed(period, board_ids, parts, stored, keep_previous=kept))
    return figures


def _recomputed(
    period: periods.Period, board_ids: list[int], parts: frozenset, stored: dict[int, BoardFigures], *, keep_previous
) -> dict[int, BoardFigures]:
    """Figures of boards with `parts` of them computed again and the others from `stored` (their latest
    snapshots); last year's figures taken whole from `stored` with `keep_previous`."""
    if parts == rollup.PARTS and not keep_previous:
        return compute_boards(period, board_ids)
    known = {board_id: stored[board_id] for board_id in board_ids if board_id in stored}
    now = rollup.board_values(period, board_ids, parts=parts, known={pk: f.value for pk, f in known.items()})
    if keep_previous:
        before = {
            board_id: {code: rollup.normalise(code, value) for code, value in known[board_id].previous.items()}
            for board_id in board_ids
        }
    else:
        before = rollup.board_values(
            period.previous_year(), board_ids, parts=parts, known={pk: f.previous for pk, f in known.items()}
        )
    plans = _plans(board_ids, period.year)
    return {board_id: BoardFigures(now[board_id], before[board_id], plans[board_id]) for board_id in board_ids}


def _quality_due(
    period: periods.Period, boards: list[Board], states: dict[int, _BoardState]
) -> dict[int, frozenset[str]]:
    """{board id: the data-quality rules to run again}: every rule for a board never checked, for one
    marked stale since those its changes can alter (quality.rules_reading). A change marks every report
    whose period ends on or after its date (reports.services.staleness), which covers everything the
    rules read (the period, the day before it, the quarters of history before it); an unchanged board
    keeps its warnings."""
    if period.kind not in deadlines.DEADLINE_KINDS:
        return {}
    due = {}
    for board in boards:
        state = states.get(board.pk)
        rules = quality.EVERY_RULE if state is None or not state.checked else None
        if rules is None and state.stale:
            rules = quality.rules_reading(state.records)
        if rules:
            due[board.pk] = rules
    return due


def report_build(
    *,
    period: periods.Period,
    targets: list[scopes.Scope] | None = None,
    recompute: bool = True,
    keep_previous: bool = False,
    run: TaskRun | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Built]:
    """Compute and store the reports of a period for the given scopes (None: every scope).

    With `recompute`, every board the scopes add up is computed afresh from the records (one
    grouped pass for all of them) and its own snapshot is stored too; without it (the rebuild of
    stale reports), blocs and the nation add up the boards' stored snapshots and only boards
    without a current snapshot are computed. With `keep_previous` (also the rebuild of stale
    reports), a board's "same period last year" figures are taken from its snapshot when no change
    since reaches back into last year's period. Side effects: one transaction writing ReportSnapshot
    versions (only where a number changed) and ReportState rows, and replacing the data-quality
    warnings (reports.engine.quality, quarters, halves and years) of the boards whose records changed since
    they were last checked (`_quality_due`).
    """
    started = timezone.now()
    report = progress or (lambda percent: None)
    targets = targets or scopes.every_scope(period.year)
    member_lists = {scope: list(scopes.members(scope, period.year)) for scope in targets}
    boards = {board.pk: board for members in member_lists.values() for board in members}
    everyone = any(scope.kind == scopes.NATIONAL for scope in targets)
    states = _board_states(period, list(boards.values()))
    due = _quality_due(period, list(boards.values()), states)
    if recompute:
        kept = _previous_kept(period, list(boards.values())) if keep_previous else {}
        figures = compute_boards(period, None if everyone else list(boards), previous=kept)
        targets = set(targets) | {scopes.Scope(scopes.BOARD, board.code) for board in boards.values()}
    else:
        figures = _board_figures_stored(period, list(boards.values()), states)
    # Boards, then blocs, then the nation: every build locks the states it stores in the same order.
    targets = sorted(targets, key=lambda s: (s.kind != scopes.BOARD, s.kind, s.code))
    report(60)
    codes = {board.pk: board.code for board in boards.values()}
    # Summaries add up each member's approved version where it has one (none for months and YTD).
    summed = {**figures}
    if any(scope.kind != scopes.BOARD for scope in targets):
        summed.update(_approved_figures(period, boards))
    rule = rate_rule(period)
    built = []
    with transaction.atomic():
        for scope in targets:
            members = member_lists.get(scope) or list(scopes.members(scope, period.year))
            if scope.kind == scopes.BOARD:
                combined, member_values = figures[members[0].pk], {}
            else:
                parts = [summed[board.pk] for board in members]
                combined = BoardFigures(
                    rollup.combine(part.value for part in parts),
                    rollup.combine(part.previous for part in parts),
                    _combined_plans(parts),
                )
                member_values = {
                    codes[board.pk]: {code: to_json(v) for code, v in summed[board.pk].value.items()}
                    for board in members
                }
            built.append(
                _store(
                    scope=str(scope),
                    period=period,
                    indicators=_document(combined),
                    members=[board.code for board in members],
                    member_values=member_values,
                    rule=rule,
                    run=run,
                    started=started,
                )
            )
        # The warnings of the boards whose records changed since they were last checked, with the snapshots.
        by_rules: dict[frozenset, list[int]] = {}
        for board_id, rules in due.items():
            by_rules.setdefault(rules, []).append(board_id)
        for rules, board_ids in sorted(by_rules.items(), key=lambda item: sorted(item[0])):
            quality.issues_refresh(period, board_ids, figures, rules=rules)
        if due:
            checked = [f"board:{codes[board_id]}" for board_id in due]
            ReportState.objects.filter(period=period.code, scope__in=checked).update(checked_at=timezone.now())
    report(95)
    return built


@transaction.atomic
def report_build_enqueue(*, user, period: str, scope: str | None = None, send: bool = True) -> TaskRun:
    """A TaskRun for building the period's reports (one scope, or all) and its task, sent on commit
    (with `send=False` the caller sends `tasks.build_reports` itself, e.g. a command that waits for it).

    Raises PeriodError / ScopeError for a bad code; PermissionDenied unless the user may read the scope
    (everyone may rebuild what they may read: a build only recomputes what the records say).
    """
    parsed = periods.parse(period)
    target = scopes.parse(scope) if scope else None
    if user is not None and not (scopes.can_read(user, target) if target else access.reads_everything(user)):
        raise PermissionDenied(_("Bạn không có quyền tính báo cáo phạm vi này."))
    run = TaskRun.objects.create(
        kind=REPORT_BUILD,
        created_by=user if getattr(user, "pk", None) else None,
        params={
            "period": parsed.code,
            "scope": str(target) if target else None,
            "language": translation.get_language(),
        },
    )
    if send:
        queue.send_on_commit("reports.build", run.pk)
    return run


def report_build_run(*, task_run_id: int) -> TaskRun:
    """Run a queued build; a succeeded run is left as it is, a run cut off midway is done again (safe:
    the build is one transaction and makes no version when the numbers are the same).
    """
    run = TaskRun.objects.get(pk=task_run_id)
    if run.status == TaskStatus.SUCCEEDED:
        return run
    task_run_start(run, progress=5)

    def progress(percent: int) -> None:
        TaskRun.objects.filter(pk=run.pk).update(progress=percent)

    period = periods.parse(run.params["period"])
    targets = [scopes.parse(run.params["scope"])] if run.params.get("scope") else None
    try:
        with translation.override(run.params.get("language") or "vi"):
            built = report_build(period=period, targets=targets, run=run, progress=progress)
    except Exception as exc:
        task_run_fail(run, str(exc))
        raise
    result = {
        "period": period.code,
        "reports": [{"scope": b.scope, "version": b.version, "new_version": b.created} for b in built],
    }
    return task_run_finish(run, status=TaskStatus.SUCCEEDED, result=result, error="")


def nightly_periods(today: datetime.date) -> list[str]:
    """The current and the previous year, half, quarter and month (what the nightly rebuild refreshes)."""
    now = {kind: periods.of_day(kind, today) for kind in (periods.YEAR, periods.HALF, periods.QUARTER, periods.MONTH)}
    chosen = [now[periods.YEAR], now[periods.YEAR].shifted(-1), now[periods.HALF], now[periods.QUARTER]]
    chosen += [now[periods.MONTH], *(now[kind].shifted(-1) for kind in (periods.HALF, periods.QUARTER, periods.MONTH))]
    return [period.code for period in chosen]


def reports_nightly(*, today: datetime.date | None = None) -> list[TaskRun]:
    """Enqueue a full build of each of the nightly periods (beat calls this once a night)."""
    today = today or timezone.localdate()
    return [report_build_enqueue(user=None, period=code) for code in nightly_periods(today)]
