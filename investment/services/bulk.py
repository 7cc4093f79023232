"""The licence ledger written in bulk: thousands of certificate rows validated and saved at once.

The `licences` sheet of the data-exchange workbook (DOMAIN.md §6) arrives in any row order and
can hold a whole board's history. Saving it event by event through licences.licence_adjust
would cost a dozen queries per row; `import_licences` instead loads what it needs in a fixed
number of queries, applies the same rules (investment.ledger.check / derive, the models' field
validation, zones.access), and writes projects, investors, events, derived columns and the
audit trail with bulk statements. Semantics match the one-event services:

- rows are matched to stored events by their natural key (project code, event, certificate no);
  an identical row is unchanged, a differing one becomes a correction (a new version of the event,
  with the row's note as the reason);
- a new project needs its `issue` row; zone and kind come from the rows and must agree;
- every error is reported against its row and column, and then nothing at all is written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kcn_portal.core import audit, locks
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.models import AuditRecord
from kcn_portal.core.signals import ENTERPRISE_REPORTS, send_records_changed
from kcn_portal.periods import quarter_range
from zones import access
from zones import selectors as zone_selectors

from .. import ledger
from ..enums import EventKind
from ..models import (
    REPORT_FIGURES,
    SHARE_ORDER,
    EnterpriseReport,
    Investor,
    LicenceEvent,
    Project,
    ProjectInvestor,
    live_event_q,
    validate_project_code,
)
from ..selectors.exchange_rates import rate_table
from ..specs import INVESTOR, LICENCE_EVENT, PROJECT
from .enterprise_reports import check_report_quarter
from .licences import event_snapshot
from .projects import investors_text

# The row's columns checked against a field spec (investment.specs), in the order the sheet shows them.
ROW_SPECS = (
    ("event", LICENCE_EVENT["kind"]),
    ("kind", PROJECT["kind"]),
    ("certificate_no", LICENCE_EVENT["certificate_no"]),
    ("event_date", LICENCE_EVENT["event_date"]),
    ("project_name", LICENCE_EVENT["project_name"]),
    ("investor_name", INVESTOR["name"]),
    ("investor_country", INVESTOR["country"]),
)
# Stated values a row carries; a stored event whose values equal these is unchanged.
COMPARED = ("event_date", "project_name", "capital_vnd", "capital_usd", "land_area_ha", "note")


@dataclass
class LicenceRow:
    """One row of the `licences` sheet, converted (dates, whole đồng, decimals); `number` is its row."""

    number: int
    project_code: str
    project_name: str
    zone_code: str
    investor_name: str
    investor_country: str
    kind: str
    event: str
    certificate_no: str
    event_date: datetime.date | None
    capital_vnd: int | None = None
    capital_usd: Decimal | None = None
    land_area_ha: Decimal | None = None
    note: str = ""
    # Columns whose cell was unreadable (already reported by the caller): no second message.
    invalid: set[str] = field(default_factory=set)


@dataclass
class BulkResult:
    created: int = 0  # rows that added an event
    updated: int = 0  # rows that corrected an event
    unchanged: int = 0
    projects_created: int = 0


class _Batch:
    """The state of one import: indexes loaded once, per-project plans, and the errors found."""

    def __init__(self, *, user, rows: list[LicenceRow], report: Callable[[int, str, str], None], changed=None):
        self.user = user
        self.report = report
        self.changed = changed
        self.failed = False
        codes = {row.project_code for row in rows if row.project_code}
        self.issued_codes = {row.project_code for row in rows if row.event == EventKind.ISSUE}
        self.zones, _taken = zone_selectors.zone_index(user=user)
        self.writable = access.writable_board_ids(user)
        readable = access.readable_boards(user)
        self.projects = {
            p.code: p
            for p in Project.objects.filter(code__in=codes, zone__board__in=readable).select_related("zone__board")
        }
        self.taken = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
        self.events: dict[int, list[LicenceEvent]] = defaultdict(list)
        for event in LicenceEvent.objects.filter(live_event_q(), project__in=list(self.projects.values())):
            self.events[event.project_id].append(event)
        self.investors = {(i.name.casefold(), i.country.code): i for i in Investor.objects.all()}
        self.investors_by_pk = {investor.pk: investor for investor in self.investors.values()}
        # Each touched project's investors with their shares, in the order the audit text lists them.
        self.shares: dict[int, list[ProjectInvestor]] = defaultdict(list)
        for share in (
            ProjectInvestor.objects.filter(project__in=list(self.projects.values()))
            .select_related("investor")
            .order_by(*SHARE_ORDER)
        ):
            self.shares[share.project_id].append(share)
        self.rates = rate_table()
        self.today = timezone.localdate()
        self.locks = locks.locks_of(self.writable)  # the approved periods of the boards it may write

    def locked(self, board_id: int, day: datetime.date) -> locks.Lock | None:
        return locks.covering(self.locks.get(board_id, []), day)

    def error(self, row: LicenceRow, column: str, message: str) -> None:
        self.failed = True
        if column not in row.invalid:
            self.report(row.number, column, str(message))

    def investor(self, name: str, country: str) -> Investor:
        key = (name.casefold(), country)
        if key not in self.investors:
            self.investors[key] = Investor(name=name, country=country)
        return self.investors[key]


def _check_row(batch: _Batch, row: LicenceRow) -> bool:
    """Field rules of one row (those the ledger check does not cover); reports and returns validity."""
    ok = True

    def bad(column, message):
        nonlocal ok
        ok = False
        batch.error(row, column, message)

    try:
        validate_project_code(row.project_code or "")
    except ValidationError as exc:
        bad("project_code", exc.messages[0])
    # The field rules full_clean() would check for the event, the project and the investor, checked here
    # once per row with their specs' messages: full_clean() on thousands of new objects costs more than the
    # whole insert.
    for column, spec in ROW_SPECS:
        for message in spec.check(getattr(row, column)):
            bad(column, message)
    zone = batch.zones.get(row.zone_code)
    if zone is None:
        bad("zone_code", _("Không có khu mã '%(code)s'.") % {"code": row.zone_code})
    elif zone.board_id not in batch.writable:
        bad("zone_code", _("Bạn không có quyền ghi dữ liệu của Ban '%(code)s'.") % {"code": zone.board.code})
    # The amounts' limits (positive capital, USD cents, area ≥ 0 with two decimals, the columns' ranges), so
    # nothing the database would refuse or silently round reaches the insert.
    for name in ("land_area_ha", "capital_vnd", "capital_usd"):
        value = getattr(row, name)
        if value is None or name in row.invalid or (row.event == EventKind.TERMINATE and name != "land_area_ha"):
            continue
        messages = LICENCE_EVENT[name].check(value, validate=LicenceEvent._meta.get_field(name).run_validators)
        for message in messages:
            bad(name, message)
        if messages:
            row.invalid.add(name)
    stated = row.capital_vnd is not None or row.capital_usd is not None
    if row.event != EventKind.TERMINATE and not stated and not {"capital_vnd", "capital_usd"} & row.invalid:
        bad("capital_vnd", LICENCE_EVENT.rule("capital_required"))
    return ok


def _event_from(row: LicenceRow, investor: Investor) -> LicenceEvent:
    terminate = row.event == EventKind.TERMINATE
    return LicenceEvent(
        kind=row.event,
        certificate_no=row.certificate_no,
        event_date=row.event_date,
        project_name=row.project_name,
        investor=investor,
        capital_vnd=None if terminate else row.capital_vnd,
        capital_usd=None if terminate else row.capital_usd,
        land_area_ha=None if terminate else row.land_area_ha,
        note=row.note or "",
    )


def _differences(stored: LicenceEvent, new: LicenceEvent, investors: dict[int, Investor]) -> list[tuple]:
    """(column, stored value, row's value) for each column in which a row differs from a stored event.

    A derived amount matches an empty or equal cell; an empty list means the row restates the event.
    """
    out = []
    for name in COMPARED:
        mine, theirs = getattr(new, name), getattr(stored, name)
        if name == "capital_usd" and stored.capital_usd_derived and mine in (None, theirs):
            continue
        if name == "capital_vnd" and stored.capital_vnd_derived and mine in (None, theirs):
            continue
        if mine != theirs:
            out.append((name, theirs, mine))
    if not new.investor.pk or stored.investor_id != new.investor.pk:
        old = investors.get(stored.investor_id)
        if old is None or old.name != new.investor.name:
            out.append(("investor_name", old.name if old else None, new.investor.name))
        if old is None or old.country.code != str(new.investor.country):
            out.append(("investor_country", old.country.code if old else None, str(new.investor.country)))
    return out


def _added_fields(row: LicenceRow) -> list[tuple]:
    """(column, None, value) for each filled column of a row that adds an event."""
    names = ("project_name", "zone_code", "investor_name", "investor_country", "kind", "event_date", *COMPARED[2:])
    return [(name, None, getattr(row, name)) for name in names if getattr(row, name) not in (None, "")]


@dataclass
class _Plan:
    """What one project's rows do: its new or corrected events and the resulting ledger."""

    project: Project
    new: bool
    before: dict | None
    events: list[LicenceEvent]  # the live ledger after the rows
    added: list[tuple[LicenceEvent, LicenceEvent | None]] = field(default_factory=list)  # (new version, replaced)
    investors: list[Investor] = field(default_factory=list)
    changed_project: bool = False


def _plan_project(batch: _Batch, code: str, rows: list[LicenceRow], result: BulkResult) -> _Plan | None:
    first = rows[0]
    project = batch.projects.get(code)
    if project is None and code in batch.taken:
        for row in rows:
            batch.error(row, "project_code", _("Mã số dự án '%(code)s' đã được một Ban khác sử dụng.") % {"code": code})
        return None
    for row in rows[1:]:
        for column in ("zone_code", "kind"):
            if getattr(row, column) != getattr(first, column):
                batch.error(
                    row,
                    column,
                    _("Khác với dòng %(row)s của cùng dự án ('%(value)s').")
                    % {"row": first.number, "value": getattr(first, column)},
                )
    zone = batch.zones.get(first.zone_code)
    new_project = project is None
    if new_project:
        if not any(row.event == EventKind.ISSUE for row in rows):
            if code not in batch.issued_codes:  # else its issue row was refused, with its own errors
                batch.error(first, "event", _("Dự án mới '%(code)s' cần có dòng cấp mới (issue).") % {"code": code})
            return None
        project = Project(code=code, zone=zone, kind=first.kind)
        before = None
        live: list[LicenceEvent] = []
    else:
        before = {"zone": project.zone_id, "kind": project.kind}
        live = list(batch.events.get(project.pk, []))
        if project.zone.board_id not in batch.writable:
            batch.error(
                first,
                "zone_code",
                _("Bạn không có quyền ghi dữ liệu của Ban '%(code)s'.") % {"code": project.zone.board.code},
            )
            return None
    plan = _Plan(project=project, new=new_project, before=before, events=live)
    if not new_project and (project.zone_id != zone.pk or project.kind != first.kind):
        plan.changed_project = True
        project.zone, project.kind = zone, first.kind
    by_key = {(e.kind, e.certificate_no.casefold()): e for e in live}
    blame: dict[int, LicenceRow] = {}
    for row in sorted(rows, key=lambda r: (r.event_date, ledger.KIND_RANK[r.event], r.certificate_no)):
        event = _event_from(row, batch.investor(row.investor_name, row.investor_country))
        stored = by_key.get((row.event, row.certificate_no.casefold()))
        differences = _differences(stored, event, batch.investors_by_pk) if stored is not None else None
        if stored is not None and not differences:
            result.unchanged += 1  # also in an approved period: restating it changes nothing (DOMAIN.md §6)
            continue
        message = batch.rates.complete(event)
        if message:
            batch.error(row, "capital_usd" if event.capital_vnd is not None else "capital_vnd", message)
            continue
        lock = batch.locked(zone.board_id, event.event_date) or (
            stored is not None and batch.locked(project.zone.board_id, stored.event_date)
        )
        if lock:
            what = _("sự kiện ngày %(date)s") % {"date": row.event_date.strftime("%d/%m/%Y")}
            batch.error(row, differences[0][0] if differences else "event_date", locks.message(lock, what))
            continue
        if batch.changed is not None:
            key = (row.project_code, row.event, row.certificate_no)
            if stored is not None:
                batch.changed(row.number, "updated", key, differences)
            else:
                batch.changed(row.number, "created", key, _added_fields(row))
        if stored is not None:
            event.series, event.version = stored.series, stored.version + 1
            event.reason = row.note or _("Cập nhật từ tệp nhập dữ liệu (dòng %(row)s).") % {"row": row.number}
            plan.events = [e for e in plan.events if e is not stored]
            result.updated += 1
        else:
            result.created += 1
        plan.added.append((event, stored))
        plan.events.append(event)
        blame[id(event)] = row
    for problem in ledger.check(plan.events, today=batch.today):
        row = blame.get(id(problem.event))
        if row is not None:
            batch.error(row, _COLUMN.get(problem.field, problem.field), problem.message)
        else:
            batch.error(first, "event", f"{problem.event.label}: {problem.message}")
    plan.investors = list({id(e.investor): e.investor for e in plan.events if e.investor}.values())
    if not plan.added and not plan.changed_project:
        return None
    return plan


_COLUMN = {
    "kind": "event",
    "capital_vnd": "capital_vnd",
    "event_date": "event_date",
    "certificate_no": "certificate_no",
}


def _shares_after(plan: _Plan, batch: _Batch) -> list[tuple[Investor, Decimal | None]]:
    """The project's investors after the import: those it had, then those its rows add (share unknown)."""
    shares = [(share.investor, share.share_pct) for share in batch.shares.get(plan.project.pk, [])]
    known = {investor.pk for investor, _share in shares}
    return shares + [(investor, None) for investor in plan.investors if investor.pk not in known]


def _project_snapshot(project: Project, shares, events) -> dict:
    """What projects.project_snapshot records, computed from what the import holds in memory."""
    data = audit.snapshot(project, exclude=("id", "version", "created_at"))
    data["investors"] = investors_text(shares)
    data["ledger"] = ledger.summary(events)
    return data


@transaction.atomic
def import_licences(
    rows: Iterable[LicenceRow],
    *,
    user=None,
    source=AuditSource.IMPORT,
    report: Callable[[int, str, str], None],
    changed: Callable[[int, str, tuple, list], None] | None = None,
) -> BulkResult:
    """Validate every row, then (only when no row has an error) write them all in bulk.

    `report(row, column, message)` receives each error; `changed(row, "created" | "updated", key,
    [(column, before, after), ...])` each row that adds or corrects an event. A row equal to the
    stored event is unchanged even in an approved period; one that differs there is refused,
    naming the period, on its first differing column. Side effects when valid: new investors,
    projects, project investors, licence events (new versions for corrected ones, the replaced
    versions marked not current), the derived columns of the touched ledgers, the projects'
    cached state and version (+1 per project), and one audit record per event version and per
    project. Queries: a fixed number, whatever the number of rows.
    """
    rows = list(rows)
    result = BulkResult()
    batch = _Batch(user=user, rows=rows, report=report, changed=changed)
    valid = [row for row in rows if _check_row(batch, row)]
    grouped: dict[str, list[LicenceRow]] = defaultdict(list)
    for row in valid:
        grouped[row.project_code].append(row)
    plans = [plan for code, group in grouped.items() if (plan := _plan_project(batch, code, group, result))]
    if batch.failed:
        return result  # nothing written; the caller received every error through `report`
    _write(batch, plans, user=user, source=source)
    result.projects_created = sum(plan.new for plan in plans)
    return result


def _write(batch: _Batch, plans: list[_Plan], *, user, source) -> None:
    used = {id(investor): investor for plan in plans for investor in plan.investors}
    new_investors = [investor for investor in used.values() if investor.pk is None]
    Investor.objects.bulk_create(new_investors)
    audits: list[AuditRecord] = []
    snapshots_before = {}
    for plan in plans:
        state = ledger.derive(plan.events)
        if not plan.new:
            snapshots_before[plan.project.pk] = _project_before(plan, batch)
        ledger.apply_state(plan.project, state)
        plan.project.version = 1 if plan.new else plan.project.version + 1
    new_projects = [plan.project for plan in plans if plan.new]
    Project.objects.bulk_create(new_projects)
    Project.objects.bulk_update(
        [plan.project for plan in plans if not plan.new],
        ["zone", "kind", "name", "status", "issued_on", "terminated_on", "capital_vnd", "capital_usd",
         "capital_vnd_derived", "capital_usd_derived", "land_area_ha", "version"],
        batch_size=1000,
    )  # fmt: skip
    ProjectInvestor.objects.bulk_create(
        [
            ProjectInvestor(project=plan.project, investor=investor)
            for plan in plans
            for investor in plan.investors
            if investor.pk not in {share.investor_id for share in batch.shares.get(plan.project.pk, [])}
        ],
        batch_size=2000,
    )
    replaced = [old.pk for plan in plans for _new, old in plan.added if old is not None]
    for start in range(0, len(replaced), 900):
        LicenceEvent.objects.filter(pk__in=replaced[start : start + 900]).update(is_current=False)
    creator = user if getattr(user, "pk", None) else None
    new_events = []
    for plan in plans:
        for event, _old in plan.added:
            # bulk_create copies the pks the project and investor got above into the foreign keys.
            event.project = plan.project
            event.created_by = creator
            new_events.append(event)
    LicenceEvent.objects.bulk_create(new_events, batch_size=1000)
    added = {id(event) for event in new_events}
    LicenceEvent.objects.bulk_update(
        [e for plan in plans for e in plan.events if id(e) not in added],
        ["adjust_no", "capital_change_vnd", "capital_change_usd"],
        batch_size=1000,
    )
    for plan in plans:
        board_id = plan.project.zone.board_id
        for event, old in plan.added:
            audits.append(
                audit.build(
                    actor=user,
                    source=source,
                    action=AuditAction.UPDATE if old else AuditAction.CREATE,
                    instance=event,
                    before=event_snapshot(old) if old else None,
                    after=event_snapshot(event),
                    board=board_id,
                )
            )
        audits.append(
            audit.build(
                actor=user,
                source=source,
                action=AuditAction.CREATE if plan.new else AuditAction.UPDATE,
                instance=plan.project,
                before=snapshots_before.get(plan.project.pk),
                after=_project_snapshot(plan.project, _shares_after(plan, batch), plan.events),
                board=board_id,
            )
        )
    AuditRecord.objects.bulk_create(audits, batch_size=1000)
    send_records_changed(
        (plan.project.zone.board_id, day)
        for plan in plans
        for event, old in plan.added
        for day in (event.event_date, old.event_date if old else None, plan.project.issued_on if plan.before else None)
    )


def _project_before(plan: _Plan, batch: _Batch) -> dict:
    data = _project_snapshot(
        plan.project,
        [(share.investor, share.share_pct) for share in batch.shares.get(plan.project.pk, [])],
        batch.events.get(plan.project.pk, []),
    )
    data.update(plan.before or {})  # zone and kind as stored, before the rows changed them
    return data


# --- enterprise quarterly reports in bulk ------------------------------------------------------


@dataclass
class ReportRow:
    """One row of the `enterprise_reports` sheet, converted; `figures` holds the columns present."""

    number: int
    project_code: str
    year: int | None
    quarter: int | None
    figures: dict
    invalid: set[str] = field(default_factory=set)


REPORT_SNAPSHOT_EXCLUDE = ("id", "version", "updated_at", "updated_by")


def _report_problems(instance) -> dict[str, list[str]]:
    """The checks full_clean() makes on a report's figures, without its per-field overhead for every
    field of every row (the importer writes tens of thousands): each stated figure's own validation,
    then the model's clean() (foreign employees within the total)."""
    errors: dict[str, list[str]] = {}
    for name in REPORT_FIGURES:
        value = getattr(instance, name)
        if value is None:
            continue
        try:
            setattr(instance, name, instance._meta.get_field(name).clean(value, instance))
        except ValidationError as exc:
            errors[name] = exc.messages
    if not errors:
        try:
            instance.clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    return errors


@transaction.atomic
def import_reports(
    rows: Iterable[ReportRow],
    *,
    user=None,
    source=AuditSource.IMPORT,
    report: Callable[[int, str, str], None],
    changed: Callable[[int, str, tuple, list], None] | None = None,
) -> BulkResult:
    """Validate every report row, then (only when none has an error) create or change them in bulk.

    Same rules as enterprise_reports.enterprise_report_save (field validation, foreign ≤ total, the quarter
    inside the project's life and not in the future, write access to the project's board); a row
    equal to the stored report is unchanged, a differing one updates it (version + 1). Side
    effects when valid: the reports and one audit record per created or changed report.
    """
    rows = list(rows)
    result = BulkResult()
    failed = False
    codes = {row.project_code for row in rows}
    readable = access.readable_boards(user)
    writable = access.writable_board_ids(user)
    projects = {
        p.code: p
        for p in Project.objects.filter(code__in=codes, zone__board__in=readable).select_related("zone__board")
    }
    stored = {
        (r.project_id, r.year, r.quarter): r
        for r in EnterpriseReport.objects.filter(project__in=list(projects.values()))
    }
    today = timezone.localdate()
    locked = locks.locks_of(writable)
    creates, updates, audits = [], [], []

    def error(row, column, message):
        nonlocal failed
        failed = True
        if column not in row.invalid:
            report(row.number, column, str(message))

    for row in rows:
        project = projects.get(row.project_code)
        if project is None:
            error(row, "project_code", _("Không có dự án mã số '%(code)s'.") % {"code": row.project_code})
            continue
        if project.zone.board_id not in writable:
            error(
                row,
                "project_code",
                _("Bạn không có quyền ghi dữ liệu của Ban '%(code)s'.") % {"code": project.zone.board.code},
            )
            continue
        if row.year is None or row.quarter is None:
            error(row, "period", _("Kỳ báo cáo phải có dạng YYYY-QN, ví dụ 2019-Q3."))
            continue
        message = check_report_quarter(project, row.year, row.quarter, today=today)
        if message:
            error(row, "period", message)
            continue
        current = stored.get((project.pk, row.year, row.quarter))
        instance = EnterpriseReport(project=project, year=row.year, quarter=row.quarter)
        if current is not None:
            instance.__dict__.update({k: v for k, v in current.__dict__.items() if k != "_state"})
        for name in REPORT_FIGURES:
            if name in row.figures:
                setattr(instance, name, row.figures[name])
        problems = _report_problems(instance)
        if problems:
            for name, messages in problems.items():
                for text in messages:
                    error(row, name if name in REPORT_FIGURES else "period", text)
            continue
        before = audit.snapshot(current, exclude=REPORT_SNAPSHOT_EXCLUDE) if current else None
        after = audit.snapshot(instance, exclude=REPORT_SNAPSHOT_EXCLUDE)
        if before == after:
            result.unchanged += 1  # also in an approved period: restating it changes nothing (DOMAIN.md §6)
            continue
        differences = [
            (name, before.get(name) if before else None, after.get(name))
            for name in REPORT_FIGURES
            if (before.get(name) if before else None) != after.get(name)
        ]
        lock = locks.covering(locked.get(project.zone.board_id, []), quarter_range(row.year, row.quarter)[0])
        if lock:
            what = _("báo cáo quý %(quarter)s/%(year)s") % {"quarter": row.quarter, "year": row.year}
            error(row, differences[0][0] if differences else "period", locks.message(lock, what))
            continue
        if changed is not None:
            key = (row.project_code, f"{row.year}-Q{row.quarter}")
            if current is None:
                differences = [change for change in differences if change[2] is not None]
            changed(row.number, "updated" if current else "created", key, differences)
        instance.updated_by = user if getattr(user, "pk", None) else None
        if current is None:
            creates.append(instance)
            result.created += 1
        else:
            instance.version = current.version + 1
            updates.append(instance)
            result.updated += 1
        audits.append((instance, before, after))
    if failed:
        return result
    EnterpriseReport.objects.bulk_create(creates, batch_size=1000)
    EnterpriseReport.objects.bulk_update(updates, [*REPORT_FIGURES, "version", "updated_by"], batch_size=1000)
    AuditRecord.objects.bulk_create(
        [
            audit.build(
                actor=user,
                source=source,
                action=AuditAction.UPDATE if before else AuditAction.CREATE,
                instance=instance,
                before=before,
                after=after,
                board=instance.project.zone.board_id,
            )
            for instance, before, after in audits
        ],
        batch_size=1000,
    )
    send_records_changed(
        (
            (instance.project.zone.board_id, quarter_range(instance.year, instance.quarter)[1])
            for instance, _before, _after in audits
        ),
        records=ENTERPRISE_REPORTS,
    )
    return result
