"""Writes to enterprise quarterly reports (DOMAIN.md §3): one project's figures for one quarter.

Pages (one report, a board's quarter grid), the API and commands call `enterprise_report_save`; the
workbook importer writes thousands at once through investment.services.bulk with the same rules
(`check_report_quarter`, the model's field rules, the locks of approved quarters). Audited; a stale
version is refused with ConflictError.
"""

from __future__ import annotations

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kcn_portal.core import audit, locks
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.core.signals import ENTERPRISE_REPORTS, send_records_changed
from zones import access

from ..models import REPORT_FIGURES, EnterpriseReport, Project, live_event_q
from ..quarters import quarter_range
from .projects import project_part


def check_report_quarter(project: Project, year: int, quarter: int, *, today: datetime.date) -> str | None:
    """Why a project cannot report this quarter (before its issue, after its termination, in the future), or None."""
    start, end = quarter_range(year, quarter)
    if start > today:
        return _("Quý %(period)s chưa bắt đầu.") % {"period": f"{year}-Q{quarter}"}
    if project.issued_on and end < project.issued_on:
        return _("Dự án được cấp mới ngày %(date)s, sau quý %(period)s.") % {
            "date": project.issued_on.strftime("%d/%m/%Y"),
            "period": f"{year}-Q{quarter}",
        }
    if project.terminated_on and start > project.terminated_on:
        return _("Dự án đã chấm dứt ngày %(date)s, trước quý %(period)s.") % {
            "date": project.terminated_on.strftime("%d/%m/%Y"),
            "period": f"{year}-Q{quarter}",
        }
    return None


def _refuse_altering_report(project: Project, report: EnterpriseReport, stored: dict, what: str) -> None:
    others = [r for r in project.enterprise_reports.all() if (r.year, r.quarter) != (report.year, report.quarter)]
    old = None
    if report.pk:
        old = copy.copy(report)
        for name, value in stored.items():
            setattr(old, name, value)
    live = list(project.events.filter(live_event_q()))
    locks.refuse_altering(
        "project",
        project_part(project, live, others + ([old] if old else [])),
        project_part(project, live, [*others, report]),
        what,
        field="quarter",
    )


@transaction.atomic
def enterprise_report_save(
    *,
    user,
    project: Project,
    year: int,
    quarter: int,
    expected_version: int | None = None,
    source=AuditSource.WEB,
    **figures,
) -> tuple[EnterpriseReport, bool]:
    """Create or change a project's report for a quarter; returns (report, created).

    Refuses a quarter outside the project's life or in the future, and a stale version
    (ConflictError). Audited when something changed.
    """
    _require(access.can_write_board(user, project.zone.board))
    unknown = set(figures) - set(REPORT_FIGURES)
    if unknown:
        raise TypeError(f"unknown report fields {sorted(unknown)}")
    report = EnterpriseReport.objects.select_for_update().filter(project=project, year=year, quarter=quarter).first()
    created = report is None
    if created:
        report = EnterpriseReport(project=project, year=year, quarter=quarter)
    before = None if created else audit.snapshot(report, exclude=("id", "version", "updated_at", "updated_by"))
    if not created and expected_version is not None and int(expected_version) != report.version:
        raise ConflictError(current=before, changed=changes_since(report, int(expected_version)))
    message = check_report_quarter(project, year, quarter, today=timezone.localdate())
    if message:
        raise ValidationError({"quarter": message})
    what = _("báo cáo quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}
    locks.refuse_locked(project.zone.board_id, [quarter_range(year, quarter)[0]], what, field="quarter")
    stored = {name: getattr(report, name) for name in REPORT_FIGURES}
    for name, value in figures.items():
        setattr(report, name, value)
    report.full_clean(exclude=["project"], validate_unique=False)
    after = audit.snapshot(report, exclude=("id", "version", "updated_at", "updated_by"))
    if before == after:
        return report, False
    # A report outside the approved quarters may still reach their figures: the employees of the next
    # quarter (one quarter of carry-over), the implemented capital of any later period.
    _refuse_altering_report(project, report, stored, what)
    if not created:
        report.version += 1
    report.updated_by = user if getattr(user, "pk", None) else None
    report.save()
    audit.record(
        actor=user,
        source=source,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=report,
        before=before,
        after=after,
        board=project.zone.board,
    )
    send_records_changed([(project.zone.board_id, quarter_range(year, quarter)[1])], records=ENTERPRISE_REPORTS)
    return report, created
