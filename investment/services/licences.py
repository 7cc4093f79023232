"""Writes to a project's licence ledger: registration (the first certificate), adjustments, terminations
and corrections.

Pages, the API, commands and reports' approved corrections call these (the workbook importer writes
thousands at once through investment.services.bulk, with the same semantics). Each is atomic, locks the
project row (investment.services.projects), validates (the model's field rules and the ledger rules of
investment.ledger over the whole ledger as it would be after the write), refuses what an approved period
locks (kcn_portal.core.locks), records an audit entry and bumps the project's version. A ledger write
never changes an event's stated values: a correction appends a new version of it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kcn_portal.core import audit, locks
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.core.signals import LICENCE_ADJUSTMENTS, LICENCE_EVENTS, send_records_changed
from kcn_portal.core.specs import CHOICE, TEXT
from zones import access
from zones.models import Zone

from .. import ledger
from ..enums import EventKind
from ..models import Investor, LicenceEvent, Project, ProjectInvestor
from ..selectors.exchange_rates import rate_table
from ..specs import EVENT_FIELDS, LICENCE_EVENT
from .projects import (
    check_kind,
    investor_for,
    investor_shares,
    lock_project,
    project_part,
    record_project,
)

# The stated fields of an event a person enters (and a correction may change).
# The texts of an event: a value left out (None) is stored as "".
TEXT_FIELDS = {name for name in EVENT_FIELDS if LICENCE_EVENT[name].kind in (TEXT, CHOICE)}


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
        raise ValidationError({"termination_ground": LICENCE_EVENT["termination_ground"].text("required")})


def _refuse_locked_events(board_id: int, events: list[LicenceEvent]) -> None:
    """An event dated in an approved period (core.locks) is neither added nor corrected nor retired."""
    board_locks = locks.locks_of([board_id]).get(board_id, [])
    for event in events:
        lock = locks.covering(board_locks, event.event_date)
        if lock:
            what = _("sự kiện ngày %(date)s") % {"date": event.event_date.strftime("%d/%m/%Y")}
            raise ValidationError({"event_date": locks.message(lock, what)})


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
    old_derived = {
        event.pk: tuple(getattr(event, f) for f in ledger.DERIVED_FIELDS) for event in ledger_events if event.pk
    }
    state = ledger.derive(ledger_events)
    if retired:
        LicenceEvent.objects.filter(pk__in=retired_ids).update(is_current=False)
    changed = [
        event
        for event in ledger_events
        if event.pk and old_derived[event.pk] != tuple(getattr(event, f) for f in ledger.DERIVED_FIELDS)
    ]
    if changed:
        LicenceEvent.objects.bulk_update(changed, ledger.DERIVED_FIELDS)
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
    ledger.apply_state(project, state)
    project.version += 1
    project.save()
    board_id = project.zone.board_id
    send_records_changed(
        ((board_id, event.event_date) for event in [*new, *retired]),
        records=LICENCE_ADJUSTMENTS if not retired and all(e.kind == EventKind.ADJUST for e in new) else LICENCE_EVENTS,
    )


def event_snapshot(event: LicenceEvent) -> dict:
    """An event version's stated values as the audit trail keeps them (the derived columns left out)."""
    return audit.snapshot(event, exclude=("id", "created_at", "created_by", "project", *ledger.DERIVED_FIELDS))


def _set_event_fields(event: LicenceEvent, data: dict) -> None:
    unknown = set(data) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields {sorted(unknown)}")
    for name, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(event, name, "" if value is None and name in TEXT_FIELDS else value)


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
    ledger.apply_state(project, ledger.derive([event]))
    project.full_clean()
    # The first certificate is a licence event like the others: the same locks, the same staleness mark.
    _refuse_locked_events(zone.board_id, [event])
    _refuse_altering_ledger(project, [], [event], event.event_date)
    shares = investor_shares(investors)
    check_kind(kind, shares)
    project.save()
    ProjectInvestor.objects.bulk_create(
        [ProjectInvestor(project=project, investor=investor, share_pct=share) for investor, share in shares]
    )
    event.investor = shares[0][0]
    event.project = project
    event.created_by = user if getattr(user, "pk", None) else None
    event.save()
    record_project(user=user, project=project, before={}, source=source, action=AuditAction.CREATE)
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
    stored, live, before = lock_project(user=user, project=project, expected_version=expected_version)
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
    record_project(user=user, project=stored, before=before, source=source)
    return event


@transaction.atomic
def licence_terminate(
    *, user, project: Project, expected_version: int | None = None, source=AuditSource.WEB, **data
) -> LicenceEvent:
    """Record the termination (chấm dứt) of a project, with its decision number and Art. 48 ground."""
    stored, live, before = lock_project(user=user, project=project, expected_version=expected_version)
    data.update(capital_vnd=None, capital_usd=None)
    data.setdefault("project_name", stored.name)
    event = _event(EventKind.TERMINATE, data)
    event.project_name = event.project_name or stored.name
    event.investor = _current_investor(live)
    _clean_event(event)
    _save_ledger(user=user, project=stored, live=live, new=[event], retired=[], source=source)
    record_project(user=user, project=stored, before=before, source=source)
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
        raise ValidationError({"reason": LICENCE_EVENT["reason"].text("required")})
    stored, live, before = lock_project(user=user, project=event.project, expected_version=expected_version)
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
    record_project(user=user, project=stored, before=before, source=source)
    return new
