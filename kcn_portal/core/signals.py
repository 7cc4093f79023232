"""Signals between apps that must not import each other.

`records_changed` is sent (inside the writing transaction) whenever data that reports are built
from changes: licence events, enterprise reports, projects, zones, plans. `changes` maps each
Board whose data changed to the earliest date the change can alter (a report whose period ends
before that date is unaffected); `records` names the kind of records that changed (one of the
constants below) when the sender knows that only they did, else None ("anything": projects, zones,
bloc members, imports that may move a project). A receiver only notes what changed and acts once
the transaction commits: the reports app then marks those reports stale in its own short
transaction and rebuilds them, so writers never wait on report rows and a failed rebuild never
undoes, or errors, a saved change.
"""

from django.dispatch import Signal

records_changed = Signal()

# The kinds of records a sender may name: a report built from other records stays as it is for them.
LICENCE_EVENTS = "licence_events"  # the ledger of existing or new projects; never a project's zone or kind
# New adjustments only, no event corrected or voided: capital changes, never which projects are valid when
# (nor a data-quality warning: the ledger refuses an adjustment without a positive capital).
LICENCE_ADJUSTMENTS = "licence_adjustments"
ENTERPRISE_REPORTS = "enterprise_reports"
PLANS = "plans"


def earliest(pairs) -> dict[int, object]:
    """{board id: earliest date} of (board id, date) pairs."""
    changes: dict[int, object] = {}
    for board_id, day in pairs:
        if board_id is not None and day is not None and (board_id not in changes or day < changes[board_id]):
            changes[board_id] = day
    return changes


def send_records_changed(pairs, *, records: str | None = None) -> None:
    """Send `records_changed` for (board id, earliest affected date) pairs, one entry per board; `records`
    names the only kind of records that changed, when the sender knows it (None: anything)."""
    changes = earliest(pairs)
    if changes:
        records_changed.send(sender=None, changes=changes, records=records)
