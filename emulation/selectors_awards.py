"""Reads of movements, award decisions, recipients and the awards catalogue, scoped to the user.

Movements are public within the portal (every signed-in user reads them). An award decision is
readable when it names a recipient of a board the user reads (zones.access.readable_boards); the
ministry and administrators read them all. Outside scope is not found (Http404).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from zones import access as zones_access

from .models import Attachment, AwardDecision, AwardTitle, EligibilityRule, Movement, Recipient


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- movements -------------------------------------------------------------------------------------


def movement_list(*, user, filters: Mapping | None = None) -> QuerySet[Movement]:
    """Movements (all of them), filtered by status, launch level and a year they run in, with counts."""
    filters = filters or {}
    rows = Movement.objects.select_related("launched_by_board").annotate(
        bloc_count=Count("blocs", distinct=True), board_count=Count("boards", distinct=True)
    )
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("level"):
        rows = rows.filter(launched_by_level=filters["level"])
    year = _int(filters.get("year"))
    if year:
        # A movement belongs to every year it runs in; an open-ended one runs on from its start.
        rows = rows.filter(starts_on__year__lte=year).filter(Q(ends_on__isnull=True) | Q(ends_on__year__gte=year))
    return rows.order_by("-starts_on", "name", "pk")


def movement_get(*, user, pk: int) -> Movement:
    """One movement with its participants and attachments, or Http404."""
    return get_object_or_404(
        Movement.objects.select_related("launched_by_board", "created_by").prefetch_related(
            "blocs", "boards", Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
        ),
        pk=pk,
    )


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


def decision_list(*, user, filters: Mapping | None = None) -> QuerySet[AwardDecision]:
    """Readable decisions, filtered by year, title, title level, board and movement, with recipient counts."""
    filters = filters or {}
    rows = _readable_decisions(user).select_related("title", "movement")
    if _int(filters.get("year")):
        rows = rows.filter(year=_int(filters["year"]))
    if _int(filters.get("title")):
        rows = rows.filter(title_id=_int(filters["title"]))
    if filters.get("level"):
        rows = rows.filter(title__level=filters["level"])
    if filters.get("board"):
        of_board = AwardDecision.recipients.through.objects.filter(
            awarddecision_id=OuterRef("pk"), recipient__board__code=str(filters["board"]).upper()
        )
        rows = rows.filter(Exists(of_board))
    if _int(filters.get("movement")):
        rows = rows.filter(movement_id=_int(filters["movement"]))
    return rows.annotate(recipient_count=Count("recipients")).order_by("-date", "number", "pk")


def decision_get(*, user, pk: int) -> AwardDecision:
    """One readable decision with its title, movement and recipients (with their boards), or Http404."""
    return get_object_or_404(
        _readable_decisions(user)
        .select_related("title", "movement", "created_by")
        .prefetch_related(Prefetch("recipients", queryset=Recipient.objects.select_related("board"))),
        pk=pk,
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


def readable_board_ids(*, user) -> set[int]:
    """Ids of the boards whose recipients the user may open (to link only those)."""
    return set(zones_access.readable_boards(user).values_list("pk", flat=True))


# --- catalogue -----------------------------------------------------------------------------------


def title_catalogue(*, user, active_only: bool = False) -> QuerySet[AwardTitle]:
    """The titles, forms and evaluations with their eligibility rules and the titles those count."""
    titles = AwardTitle.objects.prefetch_related(
        Prefetch(
            "rules",
            queryset=EligibilityRule.objects.order_by("order", "pk").prefetch_related(
                Prefetch("required", queryset=AwardTitle.objects.order_by("order", "code"))
            ),
        )
    )
    if active_only:
        titles = titles.filter(active=True)
    return titles.order_by("kind", "order", "code")
