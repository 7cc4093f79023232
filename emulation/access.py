"""Who may see and do what in a bloc's emulation year (DOMAIN.md §8). The one place that decides.

- Administrators and the system do everything; ministry officials read everything and manage blocs,
  bloc years, movements and award decisions (the ministry's emulation council sets them up).
- The bloc leader (Khối trưởng) is the board leading the bloc that year; its leaders (role `leader`)
  manage the year: the scoring table, the rounds, closing and publishing, the year's conclusion.
  The deputy's leaders (Khối phó) edit the table and rounds too but do not close or publish.
- Reviewers of a member are the leaders of the leader and deputy boards, never of the member itself:
  the leader's board is reviewed by the deputy and the deputy's by the leader, or both by the member
  the bloc names (`alternate_reviewer`).
- A member's staff self-score and register; its leaders submit. Before a round is published a member
  sees only its own scorecard; afterwards every member of the bloc year sees every card.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zones import access as zones_access
from zones.enums import MembershipRole

from .enums import LaunchLevel, RoundStatus
from .models import BlocMember, BlocYear, Scorecard, ScoringRound


def is_system(user) -> bool:
    return user is None


def is_admin(user) -> bool:
    return is_system(user) or (user.is_authenticated and user.is_superuser)


def reads_everything(user) -> bool:
    return zones_access.reads_everything(user)


def manages_catalogue(user) -> bool:
    """Blocs, bloc years, movements and award decisions of any board: administrators and the ministry."""
    return is_system(user) or (user.is_authenticated and (user.is_superuser or user.is_ministry))


def _board_ids(user, role: str | None = None) -> set[int]:
    if not user.is_authenticated:
        return set()
    # Read once per request (the user object lives as long as the request); a page asks several times.
    if "_emulation_memberships" not in user.__dict__:
        user.__dict__["_emulation_memberships"] = [(m.board_id, m.role) for m in user.memberships.all()]
    return {board_id for board_id, own_role in user.__dict__["_emulation_memberships"] if role in (None, own_role)}


def led_board_ids(user) -> set[int]:
    """Boards in which the user has the leader role."""
    return _board_ids(user, MembershipRole.LEADER)


def staff_board_ids(user) -> set[int]:
    return _board_ids(user, MembershipRole.STAFF)


def readable_bloc_years(user) -> QuerySet[BlocYear]:
    """Bloc years the user may open: all for the ministry and administrators, else those of their boards."""
    years = BlocYear.objects.all()
    if reads_everything(user):
        return years
    # A subquery, not a join: a join would leave only the user's own membership rows for callers
    # that annotate over memberships (member counts).
    mine = BlocMember.objects.filter(board_id__in=_board_ids(user)).values("bloc_year_id")
    return years.filter(pk__in=mine)


def leads_year(user, bloc_year: BlocYear) -> bool:
    """The Khối trưởng's leaders (and administrators): close, publish, conclude the year."""
    return is_admin(user) or (bloc_year.leader_id is not None and bloc_year.leader_id in led_board_ids(user))


def manages_year(user, bloc_year: BlocYear) -> bool:
    """The Khối trưởng's and Khối phó's leaders (and administrators): the table and the rounds."""
    if is_admin(user):
        return True
    return bool(({bloc_year.leader_id, bloc_year.deputy_id} - {None}) & led_board_ids(user))


def reviewer_board_ids(bloc_year: BlocYear, member_id: int) -> set[int]:
    """Boards whose leaders may review the member: leader and deputy, never the member itself."""
    reviewers = {bloc_year.leader_id, bloc_year.deputy_id} - {None, member_id}
    if member_id in (bloc_year.leader_id, bloc_year.deputy_id) and bloc_year.alternate_reviewer_id:
        reviewers.add(bloc_year.alternate_reviewer_id)
    reviewers.discard(member_id)
    return reviewers


def can_review(user, scorecard: Scorecard) -> bool:
    bloc_year = scorecard.round.bloc_year
    if is_system(user):
        return True
    if not user.is_authenticated:
        return False
    if user.is_superuser:  # an administrator acts for whoever may review, never for the member itself
        return True
    return bool(reviewer_board_ids(bloc_year, scorecard.board_id) & led_board_ids(user))


def reviews_any(user, bloc_year: BlocYear) -> bool:
    """Whether the user reviews someone in the year (the review page is theirs)."""
    if is_admin(user):
        return True
    reviewers = {bloc_year.leader_id, bloc_year.deputy_id, bloc_year.alternate_reviewer_id} - {None}
    return bool(reviewers & led_board_ids(user))


def visible_scorecards(user, scoring_round: ScoringRound) -> QuerySet[Scorecard]:
    """The round's scorecards the user may read (see the module docstring)."""
    cards = Scorecard.objects.filter(round=scoring_round)
    if reads_everything(user):
        return cards
    own = _board_ids(user)
    bloc_year = scoring_round.bloc_year
    if scoring_round.status == RoundStatus.PUBLISHED and bloc_year.memberships.filter(board_id__in=own).exists():
        return cards
    led = led_board_ids(user)
    reviewable = [
        member_id
        for member_id in bloc_year.memberships.values_list("board_id", flat=True)
        if reviewer_board_ids(bloc_year, member_id) & led
    ]
    return cards.filter(Q(board_id__in=own) | Q(board_id__in=reviewable))


def can_edit_own_card(user, scorecard: Scorecard) -> bool:
    """Self-scoring: the member board's staff (administrators too)."""
    return is_admin(user) or scorecard.board_id in staff_board_ids(user)


def can_submit_own_card(user, scorecard: Scorecard) -> bool:
    """Submitting the self score: the member board's leaders."""
    return is_admin(user) or scorecard.board_id in led_board_ids(user)


def can_edit_registration(user, board_id: int) -> bool:
    return is_admin(user) or board_id in staff_board_ids(user)


def can_submit_registration(user, board_id: int) -> bool:
    return is_admin(user) or board_id in led_board_ids(user)


def can_write_movement(user, movement) -> bool:
    """Administrators and the ministry: any movement; a board's staff: the movements their board launched."""
    if manages_catalogue(user):
        return True
    return (
        movement.launched_by_level == LaunchLevel.BOARD
        and movement.launched_by_board_id is not None
        and movement.launched_by_board_id in staff_board_ids(user)
    )


def can_write_awards_of(user, board_ids: set[int]) -> bool:
    """Administrators and the ministry: any decision; a board's staff: decisions naming only their boards."""
    if manages_catalogue(user):
        return True
    return bool(board_ids) and board_ids <= zones_access.writable_board_ids(user)


def creates_movements_or_awards(user) -> bool:
    """Whether the user may launch a movement or record a decision at all (for the "new" buttons)."""
    return manages_catalogue(user) or bool(staff_board_ids(user))


def reads_ranking(user, scoring_round: ScoringRound) -> bool:
    """The frozen ranking and the score sheet: everyone who reads the year once published, before that
    the ministry and the year's managers only (a member must not learn others' scores early)."""
    return (
        scoring_round.status == RoundStatus.PUBLISHED
        or reads_everything(user)
        or manages_year(user, scoring_round.bloc_year)
    )


def registration_mode(user, bloc_year, board_id: int) -> str | None:
    """How the user opens a member's registration (page and API): "edit" (the member's staff),
    "submit" (its leaders), "read" (the bloc's managers, the ministry), or None (not at all)."""
    if can_edit_registration(user, board_id):
        return "edit"
    if can_submit_registration(user, board_id):
        return "submit"
    if reads_everything(user) or manages_year(user, bloc_year):
        return "read"
    return None
