"""Reads of movements, award decisions, recipients, the awards catalogue and the year-end review's proposals,
scoped to the user.

Movements are public within the portal (every signed-in user reads them). An award decision is
readable when it names a recipient of a board the user reads (zones.access.readable_boards); the
ministry and administrators read them all. Outside scope is not found (Http404). The lists' filters are
emulation.filters' FilterSets, applied by the pages and the API over these querysets.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from emulation import access
from emulation.enums import AwardKind
from emulation.models import (
    Attachment,
    AwardDecision,
    AwardTitle,
    BlocYear,
    EligibilityRule,
    Movement,
    Proposal,
    Recipient,
)
from zones import access as zones_access
from zones.models import Board

# --- movements -------------------------------------------------------------------------------------


def movement_list(*, user) -> QuerySet[Movement]:
    """Movements (all of them), newest first, with their counts of blocs and boards (filters: MovementFilter)."""
    rows = Movement.objects.select_related("launched_by_board").annotate(
        bloc_count=Count("blocs", distinct=True), board_count=Count("boards", distinct=True)
    )
    return rows.order_by("-starts_on", "name", "pk")


def movement_list_in_full(*, user) -> QuerySet[Movement]:
    """movement_list with each movement's participants and files (the API shows them in the list)."""
    return movement_list(user=user).prefetch_related("blocs", "boards", "attachments")


def movement_get(*, user, pk: int) -> Movement:
    """One movement with its participants and attachments, or Http404."""
    return get_object_or_404(
        Movement.objects.select_related("launched_by_board").prefetch_related("blocs", "boards", "attachments"),
        pk=pk,
    )


def movement_launch_boards(*, user) -> QuerySet[Board]:
    """Boards the user may name as a movement's launching board (the ministry: any; staff: their own)."""
    boards = Board.objects.order_by("code")
    return boards if access.manages_catalogue(user) else boards.filter(pk__in=access.staff_board_ids(user))


def movement_attachment_get(*, user, pk: int) -> Attachment:
    """A movement's attachment (never a score's evidence, which follows the scorecard's rules), or Http404."""
    return get_object_or_404(Attachment.objects.select_related("movement"), pk=pk, movement__isnull=False)


# --- award decisions -----------------------------------------------------------------------------


def _readable_decisions(user) -> QuerySet[AwardDecision]:
    decisions = AwardDecision.objects.all()
    if zones_access.reads_everything(user):
        return decisions
    # Exists (not a join) keeps one row per decision, so the recipient count stays right.
    naming = AwardDecision.recipients.through.objects.filter(
        awarddecision_id=OuterRef("pk"), recipient__board__in=zones_access.readable_boards(user)
    )
    return decisions.filter(Exists(naming))


def decision_list(*, user) -> QuerySet[AwardDecision]:
    """Readable decisions, newest first, with their recipient counts (filters: AwardDecisionFilter)."""
    rows = _readable_decisions(user).select_related("title", "movement")
    return rows.annotate(recipient_count=Count("recipients")).order_by("-date", "number", "pk")


def decision_get(*, user, pk: int) -> AwardDecision:
    """One readable decision with its title, movement and recipients (with their boards), or Http404."""
    return get_object_or_404(
        _readable_decisions(user)
        .select_related("title", "movement")
        .prefetch_related(Prefetch("recipients", queryset=Recipient.objects.select_related("board"))),
        pk=pk,
    )


def award_decisions_of_year(*, user, year: int) -> QuerySet[AwardDecision]:
    """Readable decisions of an achievement year by date, with only the recipients of readable boards."""
    recipients = Recipient.objects.select_related("board").order_by("board__code", "name")
    if not zones_access.reads_everything(user):
        recipients = recipients.filter(board__in=zones_access.readable_boards(user))
    return (
        _readable_decisions(user)
        .filter(year=year)
        .select_related("title", "movement")
        .prefetch_related(Prefetch("recipients", queryset=recipients))
        .order_by("date", "number", "pk")
    )


# --- recipients ----------------------------------------------------------------------------------


def recipient_get(*, user, pk: int) -> Recipient:
    """A recipient of a board the user reads, or Http404."""
    return get_object_or_404(
        Recipient.objects.select_related("board").filter(board__in=zones_access.readable_boards(user)), pk=pk
    )


def recipient_history(*, user, recipient: Recipient) -> QuerySet[AwardDecision]:
    """Every decision naming the recipient, by year of achievement (the history eligibility reads)."""
    return (
        AwardDecision.objects.filter(recipients=recipient)
        .select_related("title")
        .order_by("-year", "-date", "number", "pk")
    )


def recipient_boards(*, user) -> QuerySet[Board]:
    """Boards whose people and units the user may name on a decision (access.can_write_awards_of)."""
    if access.manages_catalogue(user):
        return Board.objects.order_by("code")
    return zones_access.writable_boards(user).order_by("code")


def readable_board_ids(*, user) -> set[int]:
    """Ids of the boards whose recipients the user may open (to link only those)."""
    return set(zones_access.readable_boards(user).values_list("pk", flat=True))


# --- catalogue -----------------------------------------------------------------------------------


def title_catalogue(*, user) -> QuerySet[AwardTitle]:
    """The titles, forms and evaluations with their eligibility rules and the titles those count."""
    titles = AwardTitle.objects.prefetch_related(
        Prefetch(
            "rules",
            queryset=EligibilityRule.objects.order_by("order", "pk").prefetch_related(
                Prefetch("required", queryset=AwardTitle.objects.order_by("order", "code"))
            ),
        )
    )
    return titles.order_by("kind", "order", "code")


# --- the year-end review's proposals ---------------------------------------------------------------


def proposals_of(bloc_year: BlocYear) -> list[Proposal]:
    """The proposals recorded when the year was concluded, with their board and title."""
    return list(bloc_year.proposals.select_related("board", "title"))


def proposal_titles() -> list[AwardTitle]:
    """Active titles and forms of commendation a bloc proposes at its year-end review."""
    kinds = [AwardKind.TITLE, AwardKind.COMMENDATION]
    return list(AwardTitle.objects.filter(active=True, kind__in=kinds).order_by("order", "code"))
