"""What investment tells kcn_portal.core.locks (registered in InvestmentConfig.ready): the projects of a zone.

A zone moved to another board takes its projects' history with it; zones asks core.locks for the records
in the zone and refuses the move when it would alter an approved period of either board.
"""

from __future__ import annotations

from kcn_portal.core import locks

from .models import EnterpriseReport, LicenceEvent, Project, live_event_q


def zone_projects(zone_id: int) -> list[locks.ProjectRecords]:
    """Every project of the zone with its live licence events and its enterprise reports (three queries)."""
    projects = list(Project.objects.filter(zone_id=zone_id))
    events: dict[int, list] = {project.pk: [] for project in projects}
    reports: dict[int, list] = {project.pk: [] for project in projects}
    for event in LicenceEvent.objects.filter(live_event_q(), project__zone_id=zone_id):
        events[event.project_id].append(event)
    for report in EnterpriseReport.objects.filter(project__zone_id=zone_id):
        reports[report.project_id].append(report)
    return [
        locks.ProjectRecords(project.kind, tuple(events[project.pk]), tuple(reports[project.pk]))
        for project in projects
    ]
