"""Writes to projects, their licence ledger, enterprise reports and exchange rates.

Pages, the API, the workbook importer, commands and tasks all call these. Each is atomic,
checks zones.access, validates (model full_clean and the ledger rules of investment.ledger),
records an audit entry, and bumps the project's version so a stale editor is refused with
ConflictError. `user=None` is the system. A ledger write never changes an event's stated
values: a correction appends a new version of it.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kcn_portal.core import audit, locks
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.core.signals import ENTERPRISE_REPORTS, LICENCE_ADJUSTMENTS, LICENCE_EVENTS, send_records_changed
from kcn_portal.periods import quarter_range
from zones import access
from zones.models import Zone

from . import ledger
from .enums import EventKind, ProjectKind
from .models import (
    REPORT_FIGURES,
    EnterpriseReport,
    ExchangeRate,
    Investor,
    LicenceEvent,
    Project,
    ProjectInvestor,
    live_event_q,
)
from .selectors import SHARE_ORDER

__all__ = ["ConflictError"]

# The stated fields of an event a person enters (and a correction may change).
EVENT_FIELDS = (
    "certificate_no",
    "event_date",
    "project_name",
    "capital_vnd",
    "capital_usd",
    "land_area_ha",
    "planned_employees",
    "changes_note",
    "termination_ground",
    "termination_case",
    "note",
)
DERIVED_FIELDS = ("adjust_no", "capital_change_vnd", "capital_change_usd")
PROJECT_FIELDS = ("zone", "kind", "sector")
VIETNAM = "VN"


def rate_table() -> ledger.RateTable:
    """The exchange-rate catalogue, loaded in one query."""
    return ledger.RateTable(ExchangeRate.objects.all())


# --- snapshots for the audit trail and conflict messages -------------------------------------


def investors_text(shares) -> str:
    """The audit trail's one-line summary of (investor, share) pairs."""
    return "; ".join(f"{investor.name} ({investor.country.code}) {share or '?'}%" for investor, share in shares)


def _investors_text(project: Project) -> str:
    return investors_text(
        (share.investor, share.share_pct) for share in project.shares.select_related("investor").order_by(*SHARE_ORDER)
    )


def ledger_text(events) -> str:
    events = ledger.ordered(events)
    if not events:
        return ""
    last = events[-1]
    return _("%(count)s sự kiện; mới nhất: %(label)s %(no)s ngày %(date)s") % {
        "count": len(events),
        "label": last.label,
        "no": last.certificate_no,
        "date": last.event_date.strftime("%d/%m/%Y"),
    }


def project_snapshot(project: Project, events=None) -> dict:
    """The project's fields, investors and a summary of its ledger, as the audit trail keeps them."""
    data = audit.snapshot(project, exclude=("id", "version", "created_at"))
    data["investors"] = _investors_text(project)
    if events is None:
        events = list(project.events.filter(live_event_q()))
    data["ledger"] = ledger_text(events)
    return data


def project_changes_since(*, user, project: Project, version: int) -> dict[str, list]:
    """{field: [value at `version`, value now]} for what other saves changed since `version`."""
    if not access.can_read_board(user, project.zone.board):
        return {}
    return changes_since(project, version)


def _lock(*, user, project: Project, expected_version: int | None) -> tuple[Project, list[LicenceEvent], dict]:
    """Lock the project row, refuse a stale version, return it with its live events and a snapshot."""
    _require(access.can_write_board(user, project.zone.board))
    stored = Project.objects.select_for_update().select_related("zone__board").get(pk=project.pk)
    events = list(stored.events.filter(live_event_q()))
    before = project_snapshot(stored, events)
    if expected_version is not None and int(expected_version) != stored.version:
        raise ConflictError(current=before, changed=changes_since(stored, int(expected_version)))
    return stored, events, before


# --- investors ---------------------------------------------------------------------------------


def investor_for(*, name: str, country: str, kind: str | None = None, cache: dict | None = None) -> Investor:
    """The investor with this name and country, created when new (investors are shared nationally)."""
    name, country = " ".join((name or "").split()), (country or "").strip().upper()
    key = (name.casefold(), country)
    if cache is not None and key in cache:
        return cache[key]
    investor = Investor.objects.filter(name__iexact=name, country=country).first()
    if investor is None:
        investor = Investor(name=name, country=country, **({"kind": kind} if kind else {}))
        try:
            investor.full_clean()
        except ValidationError as exc:
            raise ValidationError(
                {f"investor_{field}": messages for field, messages in exc.message_dict.items()}
            ) from exc
        investor.save()
    if cache is not None:
        cache[key] = investor
    return investor


def _check_kind(kind: str, shares: list[tuple[Investor, Decimal | None]]) -> None:
    """FDI when foreign investors hold more than 50 % (Law on Investment 2020, Art. 23), when all shares are known."""
    if not shares or any(share is None for _, share in shares):
        return
    total = sum(share for _, share in shares)
    if total > 100:
        raise ValidationError(
            {"investors": _("Tổng tỷ lệ góp vốn là %(total)s %%, vượt quá 100 %%.") % {"total": total}}
        )
    if total != 100:
        return
    foreign = sum(share for investor, share in shares if investor.country.code != VIETNAM)
    expected = ProjectKind.FDI if foreign > 50 else ProjectKind.DDI
    if kind != expected:
        raise ValidationError(
            {
                "kind": _(
                    "Nhà đầu tư nước ngoài nắm %(foreign)s %% vốn nên dự án là %(expected)s (Điều 23 Luật Đầu tư 2020)."
                )
                % {"foreign": foreign, "expected": ProjectKind(expected).label}
            }
        )


def _investor_shares(investors: list[dict], cache: dict | None = None) -> list[tuple[Investor, Decimal | None]]:
    shares, seen = [], set()
    for item in investors:
        investor = investor_for(name=item["name"], country=item["country"], kind=item.get("kind"), cache=cache)
        if investor.pk in seen:
            raise ValidationError({"investors": _("Nhà đầu tư '%(name)s' bị nhập hai lần.") % {"name": investor.name}})
        seen.add(investor.pk)
        shares.append((investor, item.get("share_pct")))
    return shares


# --- the ledger --------------------------------------------------------------------------------


def _raise_problems(problems: list[ledger.LedgerProblem], new_events) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        if any(problem.event is event for event in new_events):
            errors[problem.field].append(problem.message)
        else:
            errors[NON_FIELD_ERRORS].append(f"{problem.event.label}: {problem.message}")
    raise ValidationError(dict(errors))


def _complete_amounts(event: LicenceEvent, rates: ledger.RateTable) -> None:
    message = rates.complete(event)
    if message:
        raise ValidationError({"capital_usd": message})


def _clean_event(event: LicenceEvent) -> None:
    # The ledger rules are checked by ledger.check; here the field rules (digits, lengths, choices).
    event.full_clean(exclude=["project", "series", "investor", "created_by"], validate_constraints=False)
    if event.kind == EventKind.TERMINATE and not event.termination_ground:
        raise ValidationError({"termination_ground": _("Cần chọn căn cứ chấm dứt (Điều 48 Luật Đầu tư).")})


def _refuse_locked_events(board_id: int, events: list[LicenceEvent]) -> None:
    """An event dated in an approved period (core.locks) is neither added nor corrected nor retired."""
    board_locks = locks.locks_of([board_id]).get(board_id, [])
    for event in events:
        lock = locks.covering(board_locks, event.event_date)
        if lock:
            what = _("sự kiện ngày %(date)s") % {"date": event.event_date.strftime("%d/%m/%Y")}
            raise ValidationError({"event_date": locks.message(lock, what)})


def _refuse_locked_history(project: Project, board_ids: list[int]) -> None:
    """A new zone or kind moves the project's whole history between boards or FDI/DDI columns: refused while
    any period it counts in (from its issue to its termination) is approved and not reopened."""
    if project.issued_on is None:
        return
    for board_locks in locks.locks_of(set(board_ids)).values():
        for lock in board_locks:
            if lock.end >= project.issued_on and (project.terminated_on is None or lock.start <= project.terminated_on):
                what = _("loại dự án hoặc khu của dự án %(code)s") % {"code": project.code}
                raise ValidationError(locks.message(lock, what))


def project_part(project: Project, events, reports=None) -> locks.Part:
    """The project as the figures see it (core.locks.altering): its board, kind, live events and reports."""
    if reports is None:
        reports = list(project.enterprise_reports.all()) if project.pk else []
    return locks.Part(project.zone.board_id, locks.ProjectRecords(project.kind, tuple(events), tuple(reports)))


def _refuse_altering_ledger(project: Project, before: list, after: list, day: datetime.date) -> None:
    """A ledger change dated outside the approved periods may still alter their figures (a back-dated
    registration or adjustment moves the valid projects and capital of every later period): refused too."""
    reports = list(project.enterprise_reports.all()) if project.pk else []
    what = _("sự kiện ngày %(date)s") % {"date": day.strftime("%d/%m/%Y")}
    locks.refuse_altering(
        "project",
        project_part(project, before, reports) if before else None,
        project_part(project, after, reports),
        what,
        field="event_date",
    )


def _save_ledger(
    *,
    user,
    project: Project,
    live: list[LicenceEvent],
    new: list[LicenceEvent],
    retired: list[LicenceEvent],
    source,
    approved_correction: bool = False,
) -> None:
    """Validate the project's ledger with `new` versions in and `retired` ones out, then write it.

    Refused when a new or retired version is dated in an approved period, unless
    `approved_correction` (only reports.services_approval.correction_approve passes it: the board
    leader approved this change). Side effects: inserts `new`, marks `retired` as no longer current,
    updates the derived columns of the other live events, refreshes the project's cached state,
    bumps its version, and writes audit records for each new event version.
    """
    if not approved_correction:
        _refuse_locked_events(project.zone.board_id, [*new, *retired])
    retired_ids = {event.pk for event in retired}
    ledger_events = [event for event in live if event.pk not in retired_ids] + [e for e in new if not e.voided]
    problems = ledger.check(ledger_events, today=timezone.localdate())
    if problems:
        _raise_problems(problems, new)
    if not approved_correction:
        _refuse_altering_ledger(project, live, ledger_events, min(e.event_date for e in [*new, *retired]))
    old_derived = {event.pk: tuple(getattr(event, f) for f in DERIVED_FIELDS) for event in ledger_events if event.pk}
    state = ledger.derive(ledger_events)
    if retired:
        LicenceEvent.objects.filter(pk__in=retired_ids).update(is_current=False)
    changed = [
        event
        for event in ledger_events
        if event.pk and old_derived[event.pk] != tuple(getattr(event, f) for f in DERIVED_FIELDS)
    ]
    if changed:
        LicenceEvent.objects.bulk_update(changed, DERIVED_FIELDS)
    previous = {event.series: event for event in retired}
    for event in new:
        event.project = project
        event.created_by = user if getattr(user, "pk", None) else None
        event.save()
        old = previous.get(event.series)
        audit.record(
            actor=user,
            source=source,
            action=AuditAction.UPDATE if old else AuditAction.CREATE,
            instance=event,
            before=event_snapshot(old) if old else None,
            after=event_snapshot(event),
            board=project.zone.board,
        )
    apply_state(project, state)
    project.version += 1
    project.save()
    board_id = project.zone.board_id
    send_records_changed(
        ((board_id, event.event_date) for event in [*new, *retired]),
        records=LICENCE_ADJUSTMENTS if not retired and all(e.kind == EventKind.ADJUST for e in new) else LICENCE_EVENTS,
    )


def apply_state(project: Project, state: ledger.LedgerState) -> None:
    """Copy the ledger's current state into the project's cached columns (not saved)."""
    project.name = state.name
    project.status = state.status
    project.issued_on = state.issued_on
    project.terminated_on = state.terminated_on
    project.capital_vnd = state.capital_vnd
    project.capital_usd = state.capital_usd
    project.capital_vnd_derived = state.capital_vnd_derived
    project.capital_usd_derived = state.capital_usd_derived
    project.land_area_ha = state.land_area_ha


def event_snapshot(event: LicenceEvent) -> dict:
    return audit.snapshot(event, exclude=("id", "created_at", "created_by", "project", *DERIVED_FIELDS))


def _record_project(*, user, project: Project, before: dict, source, action=AuditAction.UPDATE) -> None:
    audit.record(
        actor=user,
        source=source,
        action=action,
        instance=project,
        before=before if action == AuditAction.UPDATE else None,
        after=project_snapshot(project),
        board=project.zone.board,
    )


_TEXT_FIELDS = {"certificate_no", "project_name", "changes_note", "termination_ground", "termination_case", "note"}


def _set_event_fields(event: LicenceEvent, data: dict) -> None:
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields {sorted(unknown)}")
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(event, name, "" if value is None and name in _TEXT_FIELDS else value)


def _event(kind: str, data: dict) -> LicenceEvent:
    event = LicenceEvent(kind=kind)
    _set_event_fields(event, data)
    return event


@transaction.atomic
def project_register(
    *,
    user,
    zone: Zone,
    code: str,
    kind: str,
    sector: str = "",
    investors: list[dict],
    source=AuditSource.WEB,
    rates: ledger.RateTable | None = None,
    **issue,
) -> Project:
    """Register a project with its first certificate (cấp mới).

    `investors` is a list of {"name", "country", "kind"?, "share_pct"?}; the first is the one
    named on the certificate. `issue` holds the certificate's fields (certificate_no,
    event_date, project_name, capital_vnd/usd, land_area_ha, planned_employees, note).
    Audited (the project and its issue event). Raises ValidationError with form field names.
    """
    _require(access.can_write_board(user, zone.board))
    if not investors:
        raise ValidationError({"investors": _("Cần ít nhất một nhà đầu tư.")})
    event = _event(EventKind.ISSUE, issue)
    _complete_amounts(event, rates or rate_table())
    _clean_event(event)
    problems = ledger.check([event], today=timezone.localdate())
    if problems:
        _raise_problems(problems, [event])
    project = Project(code=(code or "").strip(), zone=zone, kind=kind, sector=(sector or "").strip().upper())
    apply_state(project, ledger.derive([event]))
    project.full_clean()
    # The first certificate is a licence event like the others: the same locks, the same staleness mark.
    _refuse_locked_events(zone.board_id, [event])
    _refuse_altering_ledger(project, [], [event], event.event_date)
    shares = _investor_shares(investors)
    _check_kind(kind, shares)
    project.save()
    ProjectInvestor.objects.bulk_create(
        [ProjectInvestor(project=project, investor=investor, share_pct=share) for investor, share in shares]
    )
    event.investor = shares[0][0]
    event.project = project
    event.created_by = user if getattr(user, "pk", None) else None
    event.save()
    _record_project(user=user, project=project, before={}, source=source, action=AuditAction.CREATE)
    audit.record(
        actor=user,
        source=source,
        action=AuditAction.CREATE,
        instance=event,
        before=None,
        after=event_snapshot(event),
        board=zone.board,
    )
    send_records_changed([(zone.board_id, event.event_date)], records=LICENCE_EVENTS)
    return project


def _current_investor(events: list[LicenceEvent]) -> Investor | None:
    stated = [event for event in ledger.ordered(events) if event.investor_id]
    return stated[-1].investor if stated else None


@transaction.atomic
def licence_adjust(
    *,
    user,
    project: Project,
    expected_version: int | None = None,
    investor: dict | None = None,
    source=AuditSource.WEB,
    rates: ledger.RateTable | None = None,
    **data,
) -> LicenceEvent:
    """Record an adjustment certificate (điều chỉnh lần N) with the capital *after* it.

    The project name and investor default to the current ones. Audited; bumps the project's version.
    """
    stored, live, before = _lock(user=user, project=project, expected_version=expected_version)
    data.setdefault("project_name", stored.name)
    event = _event(EventKind.ADJUST, data)
    if not event.project_name:
        event.project_name = stored.name
    event.investor = investor_for(**investor) if investor else _current_investor(live)
    _complete_amounts(event, rates or rate_table())
    _clean_event(event)
    _save_ledger(user=user, project=stored, live=live, new=[event], retired=[], source=source)
    if event.investor is not None:
        # An adjustment naming a new investor (a transfer) adds it to the project, share unknown.
        ProjectInvestor.objects.get_or_create(project=stored, investor=event.investor)
    _record_project(user=user, project=stored, before=before, source=source)
    return event


@transaction.atomic
def licence_terminate(
    *, user, project: Project, expected_version: int | None = None, source=AuditSource.WEB, **data
) -> LicenceEvent:
    """Record the termination (chấm dứt) of a project, with its decision number and Art. 48 ground."""
    stored, live, before = _lock(user=user, project=project, expected_version=expected_version)
    data.update(capital_vnd=None, capital_usd=None)
    data.setdefault("project_name", stored.name)
    event = _event(EventKind.TERMINATE, data)
    event.project_name = event.project_name or stored.name
    event.investor = _current_investor(live)
    _clean_event(event)
    _save_ledger(user=user, project=stored, live=live, new=[event], retired=[], source=source)
    _record_project(user=user, project=stored, before=before, source=source)
    return event


@transaction.atomic
def licence_correct(
    *,
    user,
    event: LicenceEvent,
    reason: str,
    expected_version: int | None = None,
    voided: bool = False,
    investor: dict | None = None,
    source=AuditSource.WEB,
    rates: ledger.RateTable | None = None,
    approved_correction: bool = False,
    **data,
) -> LicenceEvent:
    """Correct an event: append a new version with the changed values and the required reason.

    An event of an approved period is corrected only through an approved Correction
    (`approved_correction`, passed by reports.services_approval alone).

    `voided=True` cancels an event entered by mistake (the issue can only be voided with the
    project's last event). The earlier version stays in the ledger, no longer current.
    Audited; bumps the project's version. Raises ValidationError when nothing changes.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Cần ghi lý do đính chính.")})
    stored, live, before = _lock(user=user, project=event.project, expected_version=expected_version)
    current = next((e for e in live if e.series == event.series), None)
    if current is None:
        raise ValidationError(_("Sự kiện này đã được đính chính hoặc hủy; hãy tải lại trang."))
    if voided and current.kind == EventKind.ISSUE:
        raise ValidationError(_("Không thể hủy giấy chứng nhận cấp mới của dự án; hãy đính chính nó."))
    new = LicenceEvent(kind=current.kind, series=current.series, version=current.version + 1, reason=reason.strip())
    for name in (*EVENT_FIELDS, "investor_id", "capital_vnd_derived", "capital_usd_derived"):
        setattr(new, name, getattr(current, name))
    # A derived amount is not stated: it is derived again unless the correction states it.
    if current.capital_usd_derived:
        new.capital_usd = None
    if current.capital_vnd_derived:
        new.capital_vnd = None
    _set_event_fields(new, data)
    if investor:
        new.investor = investor_for(**investor)
    new.voided = voided
    _complete_amounts(new, rates or rate_table())
    _clean_event(new)
    ignore = {"version": None, "reason": None}
    if not voided and event_snapshot(new) | ignore == event_snapshot(current) | ignore:
        raise ValidationError(_("Bản đính chính không khác gì bản hiện hành."))
    _save_ledger(
        user=user, project=stored, live=live, new=[new], retired=[current], source=source,
        approved_correction=approved_correction,
    )  # fmt: skip
    _record_project(user=user, project=stored, before=before, source=source)
    return new


@transaction.atomic
def project_update(
    *, user, project: Project, expected_version: int | None = None, source=AuditSource.WEB, **data
) -> Project:
    """Change a project's zone, kind or sector (its name and capital come from its certificates).

    Moving it to another board's zone needs write access to both boards. Audited when changed.
    """
    stored, live, before = _lock(user=user, project=project, expected_version=expected_version)
    for name, value in data.items():
        if name not in PROJECT_FIELDS:
            raise TypeError(f"unknown field {name!r}")
        setattr(stored, name, value)
    if stored.zone_id != project.zone_id:
        _require(access.can_write_board(user, stored.zone.board))
    if stored.zone_id != project.zone_id or stored.kind != project.kind:
        _refuse_locked_history(stored, [project.zone.board_id, stored.zone.board_id])
        # Also the "same period last year" of an approved period (a project ended the year before it).
        reports = list(stored.enterprise_reports.all())
        what = _("loại dự án hoặc khu của dự án %(code)s") % {"code": stored.code}
        locks.refuse_altering(
            "project", project_part(project, live, reports), project_part(stored, live, reports), what
        )
    stored.full_clean()
    _check_kind(stored.kind, [(s.investor, s.share_pct) for s in stored.shares.select_related("investor")])
    if project_snapshot(stored, live) != before:
        stored.version += 1
        stored.save()
        _record_project(user=user, project=stored, before=before, source=source)
        # A new zone or kind moves the project's whole history between boards or FDI/DDI columns.
        send_records_changed([(project.zone.board_id, stored.issued_on), (stored.zone.board_id, stored.issued_on)])
    return stored


@transaction.atomic
def project_investors_set(
    *, user, project: Project, investors: list[dict], expected_version: int | None = None, source=AuditSource.WEB
) -> Project:
    """Replace a project's investors and their shares. Audited; bumps the version when changed."""
    stored, live, before = _lock(user=user, project=project, expected_version=expected_version)
    if not investors:
        raise ValidationError({"investors": _("Cần ít nhất một nhà đầu tư.")})
    shares = _investor_shares(investors)
    for _investor, share in shares:
        ProjectInvestor(project=stored, investor=_investor, share_pct=share).full_clean(
            exclude=["project"], validate_unique=False, validate_constraints=False
        )
    _check_kind(stored.kind, shares)
    stored.shares.all().delete()
    ProjectInvestor.objects.bulk_create(
        [ProjectInvestor(project=stored, investor=investor, share_pct=share) for investor, share in shares]
    )
    if project_snapshot(stored, live) != before:
        stored.version += 1
        stored.save(update_fields=["version"])
        _record_project(user=user, project=stored, before=before, source=source)
    return stored


# --- enterprise quarterly reports --------------------------------------------------------------


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


# --- exchange rates ----------------------------------------------------------------------------


@transaction.atomic
def exchange_rate_save(
    *, user, rate: ExchangeRate | None = None, audit_source=AuditSource.ADMIN, **data
) -> ExchangeRate:
    """Create or change a USD→VND rate (administrators only). Audited with `audit_source`.

    (`source` is the rate's own field, the publication it comes from.)
    Only amounts derived later use a changed rate; stored derived amounts are not recomputed.
    """
    _require(access.can_manage_boards(user))
    created = rate is None
    rate = rate or ExchangeRate()
    before = None if created else audit.snapshot(rate)
    for name, value in data.items():
        if name not in ("valid_from", "valid_to", "vnd_per_usd", "source"):
            raise TypeError(f"unknown field {name!r}")
        setattr(rate, name, value)
    rate.full_clean()
    rate.save()
    audit.record(
        actor=user,
        source=audit_source,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        instance=rate,
        before=before,
        after=audit.snapshot(rate),
    )
    return rate
