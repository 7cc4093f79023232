"""Reads of projects and their investors, scoped by zones.access.

A project belongs to its zone's board; outside the user's boards it does not exist (404).
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from zones import access

from ..filters import ProjectFilter
from ..models import SHARE_ORDER, Project, ProjectInvestor


def readable_projects(user, boards=None) -> QuerySet[Project]:
    """The projects of the boards the user may read (or of `boards`, a queryset of those)."""
    boards = access.readable_boards(user) if boards is None else boards
    return Project.objects.filter(zone__board__in=boards)


def _primary_investor(field: str):
    # The investor with the largest share (the first entered when shares are equal or unknown).
    return Subquery(
        ProjectInvestor.objects.filter(project=OuterRef("pk")).order_by(*SHARE_ORDER).values(f"investor__{field}")[:1]
    )


def project_list(*, user, filters: dict | None = None) -> QuerySet[Project]:
    """Projects the user may read, with zone and board joined and the main investor annotated.

    `filters` go through ProjectFilter (the same the pages, the API and exports use).
    """
    qs = (
        readable_projects(user)
        .select_related("zone__board")
        .annotate(investor_name=_primary_investor("name"), investor_country=_primary_investor("country"))
        .order_by("-issued_on", "code")
    )
    if filters is not None:
        qs = ProjectFilter(filters, queryset=qs).qs
    return qs


def project_get(*, user, code: str, for_write: bool = False) -> Project:
    """One project by its code; 404 outside what the user may read (or, with for_write, change)."""
    boards = access.writable_boards(user) if for_write else access.readable_boards(user)
    return get_object_or_404(Project.objects.select_related("zone__board"), code=code, zone__board__in=boards)


def project_index(*, user) -> tuple[dict[str, Project], set[str]]:
    """The projects the user may read by code, and every project code (for importers; two queries).

    The second tells a new code from one a board the user cannot see has taken.
    """
    projects = {p.code: p for p in readable_projects(user).select_related("zone__board")}
    return projects, set(Project.objects.values_list("code", flat=True))


def project_investors(*, project: Project) -> QuerySet[ProjectInvestor]:
    return project.shares.select_related("investor").order_by(*SHARE_ORDER)
