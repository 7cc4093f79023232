"""Reads of a bloc year's registrations: the contents a user may open, and every member's status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from emulation import access
from emulation.enums import SubmissionStatus
from emulation.models import BlocYear, Registration
from emulation.selectors import years
from zones.models import Board


def registrations(*, user, bloc_year: BlocYear) -> QuerySet[Registration]:
    """The year's registrations: all for the bloc's managers and the ministry, else the user's boards' own."""
    rows = (
        Registration.objects.filter(bloc_year=bloc_year).select_related("board").prefetch_related("titles", "targets")
    )
    if access.reads_everything(user) or access.manages_year(user, bloc_year):
        return rows
    return rows.filter(board_id__in=access.staff_board_ids(user) | access.led_board_ids(user))


@dataclass(frozen=True)
class RegistrationRow:
    """One member of the year in the bloc's order: whether and when it registered (the whole bloc sees
    that) and, when the user may open it (`can_open`), what it registered (else `registration` is None)."""

    board: Board
    status: str | None
    status_label: str
    submitted_at: datetime | None
    registration: Registration | None
    can_open: bool


def registration_rows(*, user, bloc_year: BlocYear) -> list[RegistrationRow]:
    """Every member's registration row (the registrations page and API); a fixed number of queries."""
    visible = {r.board_id: r for r in registrations(user=user, bloc_year=bloc_year)}
    statuses = registration_statuses(bloc_year)
    labels = dict(SubmissionStatus.choices)
    rows = []
    for board in years.members(bloc_year):
        status, submitted_at = statuses.get(board.pk, (None, None))
        rows.append(
            RegistrationRow(
                board=board,
                status=status,
                status_label=str(labels[status]) if status else _("Chưa đăng ký"),
                submitted_at=submitted_at,
                registration=visible.get(board.pk),
                can_open=access.registration_mode(user, bloc_year, board.pk) is not None,
            )
        )
    return rows


def registration_statuses(bloc_year: BlocYear) -> dict[int, tuple[str, datetime | None]]:
    """{board id: (status, submitted at)} of every registration of the year (whom the whole bloc may see)."""
    rows = bloc_year.registrations.values_list("board_id", "status", "submitted_at")
    return {board_id: (status, submitted_at) for board_id, status, submitted_at in rows}
