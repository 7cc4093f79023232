"""Writes to projects themselves: their zone, kind, sector and investors; the project row's lock and audit.

A project's licence ledger is written by investment.services.licences (registration included: the
first certificate), its quarterly reports by investment.services.enterprise_reports; both lock the
project row, snapshot it and record its audit entry with the helpers here. Each write is atomic,
checks zones.access, validates, records an audit entry and bumps the project's version, so a stale
editor is refused with ConflictError. `user=None` is the system.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kcn_portal.core import audit, locks
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.core.signals import send_records_changed
from zones import access

from .. import ledger
from ..enums import ProjectKind
from ..models import SHARE_ORDER, Investor, LicenceEvent, Project, ProjectInvestor, live_event_q

PROJECT_FIELDS = ("zone", "kind", "sector")
VIETNAM = "VN"


# --- snapshots for the audit trail and conflict messages -------------------------------------


def investors_text(shares) -> str:
    """The audit trail's one-line summary of (investor, share) pairs."""
    return "; ".join(f"{investor.name} ({investor.country.code}) {share or '?'}%" for investor, share in shares)


def _investors_text(project: Project) -> str:
    return investors_text(
        (share.investor, share.share_pct) for share in project.shares.select_related("investor").order_by(*SHARE_ORDER)
    )


def project_snapshot(project: Project, events=None) -> dict:
    """The project's fields, investors and a summary of its ledger, as the audit trail keeps them."""
    data = audit.snapshot(project, exclude=("id", "version", "created_at"))
    data["investors"] = _investors_text(project)
    if events is None:
        events = list(project.events.filter(live_event_q()))
    data["ledger"] = ledger.summary(events)
    return data


def project_changes_since(*, user, project: Project, version: int) -> dict[str, list]:
    """{field: [value at `version`, value now]} for what other saves changed since `version`."""
    if not access.can_read_board(user, project.zone.board):
        return {}
    return changes_since(project, version)


def lock_project(*, user, project: Project, expected_version: int | None) -> tuple[Project, list[LicenceEvent], dict]:
    """Lock the project row, refuse a stale version, return it with its live events and a snapshot."""
    _require(access.can_write_board(user, project.zone.board))
    stored = Project.objects.select_for_update().select_related("zone__board").get(pk=project.pk)
    events = list(stored.events.filter(live_event_q()))
    before = project_snapshot(stored, events)
    if expected_version is not None and int(expected_version) != stored.version:
        raise ConflictError(current=before, changed=changes_since(stored, int(expected_version)))
    return stored, events, before


def record_project(*, user, project: Project, before: dict, source, action=AuditAction.UPDATE) -> None:
    """The project's audit record: `before` (the snapshot lock_project took) against its snapshot now."""
    audit.record(
        actor=user,
        source=source,
        action=action,
        instance=project,
        before=before if action == AuditAction.UPDATE else None,
        after=project_snapshot(project),
        board=project.zone.board,
    )


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


def check_kind(kind: str, shares: list[tuple[Investor, Decimal | None]]) -> None:
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


def investor_shares(investors: list[dict], cache: dict | None = None) -> list[tuple[Investor, Decimal | None]]:
    """(investor, share) of each {"name", "country", "kind"?, "share_pct"?}; an investor named twice is refused."""
    shares, seen = [], set()
    for item in investors:
        investor = investor_for(name=item["name"], country=item["country"], kind=item.get("kind"), cache=cache)
        if investor.pk in seen:
            raise ValidationError({"investors": _("Nhà đầu tư '%(name)s' bị nhập hai lần.") % {"name": investor.name}})
        seen.add(investor.pk)
        shares.append((investor, item.get("share_pct")))
    return shares


# --- the project's figures under the locks -----------------------------------------------------


def project_part(project: Project, events, reports=None) -> locks.Part:
    """The project as the figures see it (core.locks.altering): its board, kind, live events and reports."""
    if reports is None:
        reports = list(project.enterprise_reports.all()) if project.pk else []
    return locks.Part(project.zone.board_id, locks.ProjectRecords(project.kind, tuple(events), tuple(reports)))


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


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def project_update(
    *, user, project: Project, expected_version: int | None = None, source=AuditSource.WEB, **data
) -> Project:
    """Change a project's zone, kind or sector (its name and capital come from its certificates).

    Moving it to another board's zone needs write access to both boards. Audited when changed.
    """
    stored, live, before = lock_project(user=user, project=project, expected_version=expected_version)
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
    check_kind(stored.kind, [(s.investor, s.share_pct) for s in stored.shares.select_related("investor")])
    if project_snapshot(stored, live) != before:
        stored.version += 1
        stored.save()
        record_project(user=user, project=stored, before=before, source=source)
        # A new zone or kind moves the project's whole history between boards or FDI/DDI columns.
        send_records_changed([(project.zone.board_id, stored.issued_on), (stored.zone.board_id, stored.issued_on)])
    return stored


@transaction.atomic
def project_investors_set(
    *, user, project: Project, investors: list[dict], expected_version: int | None = None, source=AuditSource.WEB
) -> Project:
    """Replace a project's investors and their shares. Audited; bumps the version when changed."""
    stored, live, before = lock_project(user=user, project=project, expected_version=expected_version)
    if not investors:
        raise ValidationError({"investors": _("Cần ít nhất một nhà đầu tư.")})
    shares = investor_shares(investors)
    for _investor, share in shares:
        ProjectInvestor(project=stored, investor=_investor, share_pct=share).full_clean(
            exclude=["project"], validate_unique=False, validate_constraints=False
        )
    check_kind(stored.kind, shares)
    stored.shares.all().delete()
    ProjectInvestor.objects.bulk_create(
        [ProjectInvestor(project=stored, investor=investor, share_pct=share) for investor, share in shares]
    )
    if project_snapshot(stored, live) != before:
        stored.version += 1
        stored.save(update_fields=["version"])
        record_project(user=user, project=stored, before=before, source=source)
    return stored
