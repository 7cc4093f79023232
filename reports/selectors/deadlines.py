"""Reporting deadlines, completeness and timeliness of the boards' data (issue 7).

A board's data for a quarter, a half year or a year is its enterprises' quarterly reports: every
project valid at some time in a quarter of the period is expected to report that quarter (as in
investment.selectors.projects_valid_in_quarter). The deadline is the period's end plus
KCN_REPORT_DEADLINE_DAYS of its kind (Q, H, Y); other period codes (months, months to date) have none.

The data became complete when the last expected report was received (`EnterpriseReport.received_at`):

    complete by the end of the deadline day (local time)  → on_time
    complete after it                                      → late
    incomplete and the deadline day is over                → missing
    incomplete before that                                 → pending

`board_statuses` computes every board × several periods in a fixed number of grouped queries (the
boards, the expected projects, the received reports, the approvals), whatever the number of boards.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from investment.models import EnterpriseReport, Project
from investment.selectors.enterprise_reports import valid_between
from kcn_portal import periods
from kcn_portal.periods import quarter_range
from reports import scopes
from reports.enums import Timeliness
from reports.models import PeriodApproval
from zones import access
from zones.models import Board

# The reporting periods: those with a deadline (the letter of each in KCN_REPORT_DEADLINE_DAYS), which
# a board leader approves (reports.services.approval).
DEADLINE_KINDS = {periods.QUARTER: "Q", periods.HALF: "H", periods.YEAR: "Y"}


def _period(period: str | periods.Period) -> periods.Period:
    return period if isinstance(period, periods.Period) else periods.parse(period)


def has_deadline(period: str | periods.Period) -> bool:
    return _period(period).kind in DEADLINE_KINDS


def deadline(period: str | periods.Period) -> datetime.date | None:
    """The last day by which a board's data for the period must be complete; None for other kinds of code."""
    period = _period(period)
    letter = DEADLINE_KINDS.get(period.kind)
    if letter is None:
        return None
    return period.end + datetime.timedelta(days=settings.KCN_REPORT_DEADLINE_DAYS[letter])


def deadline_end(day: datetime.date) -> datetime.datetime:
    """The end of a deadline day in the portal's local time (the first moment of the next day), timezone-aware."""
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day, timezone.get_default_timezone())


def timeliness(
    *, expected: int, received: int, completed_at: datetime.datetime | None, due: datetime.date, now: datetime.datetime
) -> Timeliness:
    """The status of a board's data for a period against its deadline day `due`, at `now`."""
    limit = deadline_end(due)
    if received >= expected:
        # Nothing expected is complete from the start.
        return Timeliness.ON_TIME if completed_at is None or completed_at < limit else Timeliness.LATE
    return Timeliness.MISSING if now >= limit else Timeliness.PENDING


@dataclass(frozen=True)
class BoardStatus:
    """One board's data for one period: expected and received quarterly reports, status and approval."""

    board: Board
    period: str
    deadline: datetime.date
    expected: int
    received: int
    completed_at: datetime.datetime | None
    status: Timeliness
    approved_at: datetime.datetime | None

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def complete(self) -> bool:
        return self.received >= self.expected

    @property
    def percent(self) -> Decimal | None:
        """Received ÷ expected × 100 (one decimal); None when nothing is expected."""
        if not self.expected:
            return None
        return (Decimal(self.received * 100) / self.expected).quantize(Decimal("0.1"))

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


def deadline_boards(*, user) -> QuerySet[Board]:
    """The boards whose statuses the user sees (those they read), in code order."""
    return Board.objects.filter(pk__in=access.readable_boards(user).values("pk")).order_by("code")


def in_bloc(boards: QuerySet[Board], bloc: str, year: int) -> QuerySet[Board]:
    """The boards among `boards` that are members of the bloc in `year` (reports.scopes.members)."""
    return boards.filter(pk__in=scopes.members(scopes.Scope(scopes.BLOC, bloc), year).values("pk"))


def _boards(user, bloc: str | None, year: int) -> list[Board]:
    boards = deadline_boards(user=user)
    if bloc:
        boards = in_bloc(boards, bloc, year)
    return list(boards)


def board_statuses(
    *,
    user,
    period_codes: list[str],
    bloc: str | None = None,
    boards: list[Board] | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, list[BoardStatus]]:
    """For each period code (quarter, half or year), the status of every board the user may read.

    `bloc` keeps the members of a bloc in the (first) period's year; `boards` replaces the board list
    (already scoped by the caller). Boards in code order. Four queries (five with a bloc), however many
    boards and periods: the boards, the expected projects per board and quarter (one conditional count
    per quarter), the received expected reports per board and quarter, the approvals.
    """
    now = now or timezone.now()
    parsed = [periods.parse(code) for code in period_codes]
    for period in parsed:
        if period.kind not in DEADLINE_KINDS:
            raise ValueError(f"no deadline for period {period.code}")
    if boards is None:
        boards = _boards(user, bloc, parsed[0].year if parsed else now.year)
    result: dict[str, list[BoardStatus]] = {period.code: [] for period in parsed}
    if not parsed or not boards:
        return result
    board_ids = [board.pk for board in boards]
    quarters = sorted({quarter for period in parsed for quarter in period.quarters()})
    ranges = {quarter: quarter_range(*quarter) for quarter in quarters}
    name = {quarter: f"q{quarter[0]}_{quarter[1]}" for quarter in quarters}

    # Expected: per board, one count of the projects valid in each quarter.
    first_start, last_end = min(r[0] for r in ranges.values()), max(r[1] for r in ranges.values())
    expected: dict[tuple[int, tuple[int, int]], int] = {}
    rows = (
        Project.objects.filter(zone__board_id__in=board_ids)
        .filter(valid_between(first_start, last_end))
        .values("zone__board_id")
        .annotate(**{name[q]: Count("pk", filter=valid_between(*ranges[q])) for q in quarters})
        .order_by()
    )
    for row in rows:
        for quarter in quarters:
            expected[(row["zone__board_id"], quarter)] = row[name[quarter]]

    # Received: the reports of the expected projects, counted and their latest receipt, per board and quarter.
    expected_reports = functools.reduce(
        operator.or_,
        (
            Q(year=year, quarter=number) & valid_between(*ranges[(year, number)], "project__")
            for year, number in quarters
        ),
    )
    received: dict[tuple[int, tuple[int, int]], tuple[int, datetime.datetime]] = {}
    rows = (
        EnterpriseReport.objects.filter(expected_reports, project__zone__board_id__in=board_ids)
        .values("project__zone__board_id", "year", "quarter")
        .annotate(n=Count("pk"), last=Max("received_at"))
        .order_by()
    )
    for row in rows:
        received[(row["project__zone__board_id"], (row["year"], row["quarter"]))] = (row["n"], row["last"])

    approvals = {
        (board_id, code): approved_at
        for board_id, code, approved_at in PeriodApproval.objects.filter(
            board_id__in=board_ids, period__in=[period.code for period in parsed]
        ).values_list("board_id", "period", "approved_at")
    }

    for period in parsed:
        due = deadline(period)
        for board in boards:
            total = got = 0
            latest = None
            for quarter in period.quarters():
                total += expected.get((board.pk, quarter), 0)
                count, last = received.get((board.pk, quarter), (0, None))
                got += count
                if last is not None and (latest is None or last > latest):
                    latest = last
            completed_at = latest if got >= total and total else None
            result[period.code].append(
                BoardStatus(
                    board=board,
                    period=period.code,
                    deadline=due,
                    expected=total,
                    received=got,
                    completed_at=completed_at,
                    status=timeliness(expected=total, received=got, completed_at=completed_at, due=due, now=now),
                    approved_at=approvals.get((board.pk, period.code)),
                )
            )
    return result


def status_counts(statuses: list[BoardStatus]) -> list[tuple[Timeliness, int]]:
    """How many boards have each status, in the order of Timeliness (every status, zero included)."""
    counts = dict.fromkeys(Timeliness, 0)
    for item in statuses:
        counts[item.status] += 1
    return list(counts.items())


# --- the periods around a day ---------------------------------------------------------------------


def current_and_previous(today: datetime.date) -> list[str]:
    """The current and the previous quarter, half year and year of `today` (whose deadlines are near or past)."""
    codes = []
    for kind in DEADLINE_KINDS:
        current = periods.of_day(kind, today)
        codes += [current.code, current.shifted(-1).code]
    return codes


def last_ended_quarter(today: datetime.date) -> str:
    """The latest quarter that has ended by `today` (the one boards are reporting now)."""
    return periods.of_day(periods.QUARTER, today).shifted(-1).code


RECENT = {periods.QUARTER: 8, periods.HALF: 4, periods.YEAR: 3}


def recent_periods(today: datetime.date) -> list[str]:
    """Codes offered in the deadline page's period list: the latest quarters, halves and years, newest first."""
    return [periods.of_day(kind, today).shifted(-back).code for kind, count in RECENT.items() for back in range(count)]


@dataclass(frozen=True)
class NextTask:
    """One shortcut on the home page: a board's last ended quarter still missing reports or an approval."""

    board: Board
    period: str
    missing: int  # enterprise reports still missing
    approve: bool  # the user leads the board and the quarter is not approved yet


def next_tasks(*, user, boards: list[Board], today: datetime.date) -> list[NextTask]:
    """The home page's "việc cần làm" of a board user: for each of their boards, the last ended quarter if it
    still lacks reports or, for its leaders, an approval. Five queries (board_statuses' four and the led boards)."""
    if not boards:
        return []
    period = last_ended_quarter(today)
    led = set(access.led_boards(user).filter(pk__in=[board.pk for board in boards]).values_list("pk", flat=True))
    tasks = []
    for status in board_statuses(user=user, period_codes=[period], boards=boards)[period]:
        approve = status.board.pk in led and not status.approved
        if status.missing or approve:
            tasks.append(NextTask(board=status.board, period=period, missing=status.missing, approve=approve))
    return tasks


def overdue_boards(*, user, today: datetime.date) -> tuple[str, int]:
    """The ministry's shortcut: the last ended quarter and how many boards still lack reports past its deadline."""
    period = last_ended_quarter(today)
    statuses = board_statuses(user=user, period_codes=[period])[period]
    return period, sum(1 for status in statuses if status.status == Timeliness.MISSING)
