"""Report scopes (DOMAIN.md §5): `board:HNA`, `bloc:DBSH`, `national`; who belongs and who may read.

A bloc's members for a year come from the emulation data (blocs by year); for years it has no
record of, from the boards' `bloc_code`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from emulation.models import Bloc, BlocMember
from zones import access
from zones.models import Board

BOARD, BLOC, NATIONAL = "board", "bloc", "national"
_PATTERN = re.compile(r"^(?:(?P<kind>board|bloc):(?P<code>[A-Za-z0-9_-]{1,10})|national)$")


class ScopeError(ValueError):
    """A scope that is malformed or names no board or bloc (message in the active language)."""


@dataclass(frozen=True, order=True)
class Scope:
    kind: str
    code: str = ""

    def __str__(self) -> str:
        return NATIONAL if self.kind == NATIONAL else f"{self.kind}:{self.code}"

    @property
    def label(self) -> str:
        if self.kind == NATIONAL:
            return _("Cả nước")
        if self.kind == BLOC:
            return _("Khối thi đua %(code)s") % {"code": self.code}
        board = Board.objects.filter(code=self.code).only("name").first()
        return board.name if board else self.code


def parse(text: str) -> Scope:
    """The Scope of `board:CODE`, `bloc:CODE` or `national`; ScopeError when malformed or unknown."""
    return known(parse_form(text))


def parse_form(text: str) -> Scope:
    """The Scope a text has the form of (`board:CODE`, `bloc:CODE`, `national`), without asking whether its
    board or bloc exists; ScopeError when malformed. The URL converter checks this much before the login,
    so that an anonymous visitor learns nothing about which codes exist (reports.converters)."""
    match = _PATTERN.match((text or "").strip())
    if not match:
        raise ScopeError(
            _("Phạm vi '%(scope)s' không hợp lệ: dùng board:MÃ_BAN, bloc:MÃ_KHỐI hoặc national.") % {"scope": text}
        )
    if not match["kind"]:
        return Scope(NATIONAL)
    return Scope(match["kind"], match["code"].upper())


def known(scope: Scope) -> Scope:
    """The scope itself when its board or bloc exists (the nation always does); ScopeError otherwise."""
    if scope.kind == BOARD and not Board.objects.filter(code=scope.code).exists():
        raise ScopeError(_("Không có Ban quản lý mã '%(code)s'.") % {"code": scope.code})
    if scope.kind == BLOC and scope.code not in bloc_codes():
        raise ScopeError(_("Không có khối thi đua mã '%(code)s'.") % {"code": scope.code})
    return scope


def bloc_codes() -> list[str]:
    """Blocs the emulation data records and those the boards' `bloc_code` names."""
    recorded = Bloc.objects.values_list("code", flat=True)
    return sorted(set(Board.objects.exclude(bloc_code="").values_list("bloc_code", flat=True)) | set(recorded))


def members(scope: Scope, year: int) -> QuerySet[Board]:
    """The boards a scope adds up in `year`, by code."""
    boards = Board.objects.order_by("code")
    if scope.kind == BOARD:
        return boards.filter(code=scope.code)
    if scope.kind == BLOC:
        # The year's members as the emulation data records them; the boards' bloc_code for other years.
        year_members = BlocMember.objects.filter(bloc_year__bloc__code=scope.code, bloc_year__year=year)
        if year_members.exists():
            return boards.filter(pk__in=year_members.values("board_id"))
        return boards.filter(bloc_code=scope.code)
    return boards


def _recorded_bloc_codes(board_ids) -> set[str]:
    """Blocs a board belongs to in any year the emulation data records."""
    return set(
        BlocMember.objects.filter(board_id__in=board_ids).values_list("bloc_year__bloc__code", flat=True).distinct()
    )


def every_scope(year: int) -> list[Scope]:
    """Every board, every bloc and the nation: what a full build of a period stores."""
    boards = [Scope(BOARD, code) for code in Board.objects.order_by("code").values_list("code", flat=True)]
    blocs = [Scope(BLOC, code) for code in bloc_codes()]
    return [*boards, *(bloc for bloc in blocs if members(bloc, year).exists()), Scope(NATIONAL)]


def scopes_of_board(board: Board) -> list[Scope]:
    """The scopes a change of the board's data can alter."""
    blocs = _recorded_bloc_codes([board.pk]) | ({board.bloc_code} if board.bloc_code else set())
    return [Scope(BOARD, board.code), Scope(NATIONAL), *(Scope(BLOC, code) for code in sorted(blocs))]


def can_read(user, scope: Scope) -> bool:
    """Board members read their board and their bloc; ministry officials and administrators read all."""
    if access.reads_everything(user):
        return True
    if scope.kind == NATIONAL:
        return False
    boards = access.readable_boards(user)
    if scope.kind == BOARD:
        return boards.filter(code=scope.code).exists()
    return scope.code in _blocs_of(list(boards))


def readable_scopes(user, year: int) -> list[Scope]:
    """The scopes the user may choose from on the report pages."""
    if access.reads_everything(user):
        return every_scope(year)
    boards = list(access.readable_boards(user).order_by("code"))
    blocs = sorted(_blocs_of(boards))
    return [*(Scope(BOARD, board.code) for board in boards), *(Scope(BLOC, code) for code in blocs)]


def _blocs_of(boards: list[Board]) -> set[str]:
    return {board.bloc_code for board in boards if board.bloc_code} | _recorded_bloc_codes([b.pk for b in boards])
