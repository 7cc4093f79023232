"""Signals between apps that must not import each other.

`records_changed` is sent (inside the writing transaction) whenever data that reports are built
from changes: licence events, enterprise reports, projects, zones, plans. `changes` maps each
Board whose data changed to the earliest date the change can alter (a report whose period ends
before that date is unaffected). The reports app marks those reports stale and rebuilds them.
"""

from django.dispatch import Signal

records_changed = Signal()


def earliest(pairs) -> dict[int, object]:
    """{board id: earliest date} of (board id, date) pairs."""
    changes: dict[int, object] = {}
    for board_id, day in pairs:
        if board_id is not None and day is not None and (board_id not in changes or day < changes[board_id]):
            changes[board_id] = day
    return changes


def send_records_changed(pairs) -> None:
    """Send `records_changed` for (board id, earliest affected date) pairs, one entry per board."""
    changes = earliest(pairs)
    if changes:
        records_changed.send(sender=None, changes=changes)
