"""The rules of a project's licence ledger, as pure functions over its live events.

Services (one event at a time) and the bulk writer (thousands at once) both call
`check` to validate a project's whole ledger after a change and `derive` to compute what
follows from it: adjustment numbers, the capital change of each adjustment, and the
project's state (status, dates, current capital, name), which `apply_state` copies into the
project's cached columns and `summary` sums up for the audit trail. `state_as_of` answers "what
did the ledger say on date D" for selectors and reports. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .enums import EventKind, ProjectStatus
from .specs import LICENCE_EVENT

KIND_RANK = {EventKind.ISSUE: 0, EventKind.ADJUST: 1, EventKind.TERMINATE: 2}
CENT = Decimal("0.01")
# The columns of an event that `derive` computes (never stated by a person).
DERIVED_FIELDS = ("adjust_no", "capital_change_vnd", "capital_change_usd")


# "…-ĐC3", "DC 10", "điều chỉnh lần 2": the number after the marker; else the last number in the text.
_MARKED_NUMBER = re.compile(r"(?:đc|dc|lần|lan)\s*(?:thứ\s*)?[-._/ ]?\s*(\d+)", re.IGNORECASE)
_LAST_NUMBER = re.compile(r"(\d+)\D*$")
UNNUMBERED = 10**9


def adjustment_number(certificate_no: str) -> int:
    """The N of "điều chỉnh lần N" an adjustment certificate states in its number (5400001499-ĐC3 → 3).

    The pages, the API and the workbook have no separate field for N: the boards write it into the
    certificate number, so it is read from there — as a number (DC3 before DC10), never as text.
    A number without any digit sorts after the numbered ones.
    """
    text = (certificate_no or "").casefold()
    found = _MARKED_NUMBER.findall(text) or _LAST_NUMBER.findall(text)
    return int(found[-1]) if found else UNNUMBERED


def order_key(event) -> tuple:
    """Ledger order (DOMAIN.md §5): by date; on one day the issue, then the adjustments by their number N
    (adjustment_number), then the termination; the certificate text only between equal numbers."""
    number = adjustment_number(event.certificate_no) if event.kind == EventKind.ADJUST else 0
    return (event.event_date, KIND_RANK[event.kind], number, event.certificate_no)


def ordered(events: Iterable) -> list:
    return sorted(events, key=order_key)


@dataclass(frozen=True)
class LedgerProblem:
    """A rule the ledger breaks; `event` is the event to blame, `field` the form field."""

    event: object
    field: str
    message: str


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def check(events: Sequence, *, today: datetime.date) -> list[LedgerProblem]:
    """Every rule the project's live `events` break (empty when the ledger is sound).

    Rules: exactly one issue, and nothing dated before it; at most one termination, and
    nothing dated after it; no date in the future; certificate numbers unique in the
    project; issue and adjustment carry a positive capital.
    """
    problems: list[LedgerProblem] = []
    events = ordered(events)
    issues = [e for e in events if e.kind == EventKind.ISSUE]
    terminations = [e for e in events if e.kind == EventKind.TERMINATE]
    event_date = LICENCE_EVENT["event_date"]
    for event in events:
        # No date after today: the field's rule (investment.specs), checked here over the whole ledger.
        for message in event_date.check(event.event_date, today=today):
            problems.append(LedgerProblem(event, "event_date", message))
        if event.kind != EventKind.TERMINATE and not (event.capital_vnd or event.capital_usd):
            problems.append(LedgerProblem(event, "capital_vnd", str(LICENCE_EVENT.rule("capital_required"))))
    if not issues:
        if events:
            problems.append(
                LedgerProblem(events[0], "kind", _("Dự án chưa có giấy chứng nhận cấp mới (sự kiện cấp mới)."))
            )
    else:
        issue = issues[0]
        for extra in issues[1:]:
            problems.append(
                LedgerProblem(
                    extra,
                    "kind",
                    _("Dự án đã được cấp mới ngày %(date)s; mỗi dự án chỉ có một lần cấp mới.")
                    % {"date": _fmt(issue.event_date)},
                )
            )
        for event in events:
            if event.kind != EventKind.ISSUE and event.event_date < issue.event_date:
                problems.append(
                    LedgerProblem(
                        event,
                        "event_date",
                        _("Ngày %(date)s trước ngày cấp mới dự án (%(issued)s).")
                        % {"date": _fmt(event.event_date), "issued": _fmt(issue.event_date)},
                    )
                )
    if terminations:
        end = terminations[0]
        for extra in terminations[1:]:
            problems.append(
                LedgerProblem(
                    extra,
                    "kind",
                    _("Dự án đã chấm dứt ngày %(date)s; không thể chấm dứt lần nữa.") % {"date": _fmt(end.event_date)},
                )
            )
        for event in events:
            if event.kind != EventKind.TERMINATE and event.event_date > end.event_date:
                problems.append(
                    LedgerProblem(
                        event,
                        "event_date",
                        _("Dự án đã chấm dứt ngày %(end)s; không ghi nhận sự kiện ngày %(date)s sau đó.")
                        % {"end": _fmt(end.event_date), "date": _fmt(event.event_date)},
                    )
                )
    seen: dict[str, object] = {}
    for event in events:
        number = event.certificate_no.strip().casefold()
        if number in seen:
            problems.append(
                LedgerProblem(
                    event,
                    "certificate_no",
                    _("Số giấy chứng nhận/quyết định '%(no)s' đã có trong dự án (%(other)s).")
                    % {"no": event.certificate_no, "other": seen[number].label},
                )
            )
        else:
            seen[number] = event
    return problems


@dataclass(frozen=True)
class LedgerState:
    """What the ledger says about a project on a date (or now)."""

    status: str | None  # None: not issued yet on that date
    issued_on: datetime.date | None
    terminated_on: datetime.date | None
    name: str
    capital_vnd: int | None
    capital_usd: Decimal | None
    capital_vnd_derived: bool
    capital_usd_derived: bool
    land_area_ha: Decimal | None
    adjustments: int
    events: int


def derive(events: Iterable) -> LedgerState:
    """Number the adjustments, set each one's capital change, and return the resulting state.

    Mutates the derived attributes (adjust_no, capital_change_vnd/usd) of the given live
    events; the caller saves those that changed. Capital change = capital after − capital
    before; a currency missing on either side gives no change in that currency.
    """
    state = {
        "status": None,
        "issued_on": None,
        "terminated_on": None,
        "name": "",
        "capital_vnd": None,
        "capital_usd": None,
        "capital_vnd_derived": False,
        "capital_usd_derived": False,
        "land_area_ha": None,
        "adjustments": 0,
        "events": 0,
    }
    for event in ordered(events):
        state["events"] += 1
        event.adjust_no = None
        event.capital_change_vnd = None
        event.capital_change_usd = None
        if event.kind == EventKind.TERMINATE:
            state["status"] = ProjectStatus.TERMINATED
            state["terminated_on"] = event.event_date
            continue
        if event.kind == EventKind.ISSUE:
            state["status"] = ProjectStatus.ACTIVE
            state["issued_on"] = event.event_date
        else:
            state["adjustments"] += 1
            event.adjust_no = state["adjustments"]
            if event.capital_vnd is not None and state["capital_vnd"] is not None:
                event.capital_change_vnd = event.capital_vnd - state["capital_vnd"]
            if event.capital_usd is not None and state["capital_usd"] is not None:
                event.capital_change_usd = event.capital_usd - state["capital_usd"]
        state.update(
            name=event.project_name or state["name"],
            capital_vnd=event.capital_vnd,
            capital_usd=event.capital_usd,
            capital_vnd_derived=event.capital_vnd_derived,
            capital_usd_derived=event.capital_usd_derived,
            land_area_ha=event.land_area_ha if event.land_area_ha is not None else state["land_area_ha"],
        )
    return LedgerState(**state)


def state_as_of(events: Iterable, day: datetime.date) -> LedgerState:
    """The state from the live events dated on or before `day` (derived attributes are recomputed)."""
    return derive([event for event in events if event.event_date <= day])


def apply_state(project, state: LedgerState) -> None:
    """Copy the ledger's current state into the project's cached columns (not saved)."""
    project.name = state.name
    project.status = state.status
    project.issued_on = state.issued_on
    project.terminated_on = state.terminated_on
    project.capital_vnd = state.capital_vnd
    project.capital_usd = state.capital_usd
    project.capital_vnd_derived = state.capital_vnd_derived
    project.capital_usd_derived = state.capital_usd_derived
    project.land_area_ha = state.land_area_ha


def summary(events) -> str:
    """The audit trail's one-line summary of a project's live events ("" when there are none)."""
    events = ordered(events)
    if not events:
        return ""
    last = events[-1]
    return _("%(count)s sự kiện; mới nhất: %(label)s %(no)s ngày %(date)s") % {
        "count": len(events),
        "label": last.label,
        "no": last.certificate_no,
        "date": last.event_date.strftime("%d/%m/%Y"),
    }


# --- exchange rates -----------------------------------------------------------------------


class RateTable:
    """The USD→VND catalogue loaded once, to derive missing amounts without a query per event."""

    def __init__(self, rates: Iterable):
        # (valid_from, valid_to or None, vnd_per_usd), newest first.
        self.rates = sorted(
            ((r.valid_from, r.valid_to, r.vnd_per_usd) for r in rates), key=lambda r: r[0], reverse=True
        )

    def rate_on(self, day: datetime.date) -> Decimal | None:
        for start, end, rate in self.rates:
            if start <= day and (end is None or day <= end):
                return rate
        return None

    def complete(self, event) -> str | None:
        """Fill the missing currency of an issue/adjust event from the other; an error message or None.

        A derived amount is marked (capital_*_derived) so pages and exports can show it as such.
        """
        if event.kind == EventKind.TERMINATE:
            return None
        has_vnd, has_usd = event.capital_vnd is not None, event.capital_usd is not None
        event.capital_vnd_derived = event.capital_usd_derived = False
        if has_vnd == has_usd:
            return None  # both stated, or neither (the ledger check reports the latter)
        if (event.capital_vnd if has_vnd else event.capital_usd) <= 0:
            return None  # nothing sensible to derive from; the field's own rule reports it
        rate = self.rate_on(event.event_date)
        if rate is None:
            return _("Không có tỷ giá USD/VND áp dụng cho ngày %(date)s để quy đổi vốn.") % {
                "date": _fmt(event.event_date)
            }
        if has_vnd:
            event.capital_usd = (Decimal(event.capital_vnd) / rate).quantize(CENT, rounding=ROUND_HALF_UP)
            event.capital_usd_derived = True
        else:
            event.capital_vnd = int((event.capital_usd * rate).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
            event.capital_vnd_derived = True
        return None
