"""Writes of blocs and bloc years: a bloc's name, a year's members (in order), its leader, deputy, host,
alternate reviewer and the decision naming them (DOMAIN.md §8)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emulation import access
from emulation.enums import RoundStatus
from emulation.models import Bloc, BlocMember, BlocYear
from emulation.services.common import record
from kcn_portal.core import audit
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.core.signals import send_records_changed
from zones.models import Board


@transaction.atomic
def bloc_save(*, user, code: str, name: str, ministry: str, source=AuditSource.WEB) -> Bloc:
    """Create or rename a bloc (administrators and the ministry). Audited."""
    _require(access.manages_catalogue(user))
    bloc = Bloc.objects.filter(code=code).first() or Bloc(code=code)
    before = audit.snapshot(bloc) if bloc.pk else None
    bloc.name, bloc.ministry = name, ministry
    bloc.full_clean()
    bloc.save()
    record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, bloc, before, audit.snapshot(bloc))
    return bloc


YEAR_ROLES = ("leader", "deputy", "host", "alternate_reviewer")


def year_snapshot(bloc_year: BlocYear) -> dict:
    """The audited state of a bloc year: its fields and its member codes."""
    data = audit.snapshot(bloc_year)
    data["members"] = sorted(bloc_year.memberships.values_list("board__code", flat=True))
    return data


@transaction.atomic
def bloc_year_save(
    *,
    user,
    bloc: Bloc,
    year: int,
    members: Sequence[Board],
    leader: Board | None = None,
    deputy: Board | None = None,
    host: Board | None = None,
    alternate_reviewer: Board | None = None,
    decision_no: str = "",
    decision_date: datetime.date | None = None,
    expected_version: int | None = None,
    source=AuditSource.WEB,
) -> BlocYear:
    """Set a bloc's members, leader, deputy, host and decision for a year (administrators and the ministry).

    The leader, deputy, host and alternate reviewer must be members; leader and deputy differ.
    Changing the members marks the bloc's reports of the year stale (they add up the members).
    """
    _require(access.manages_catalogue(user))
    bloc_year = BlocYear.objects.select_for_update().filter(bloc=bloc, year=year).first()
    before = year_snapshot(bloc_year) if bloc_year else None
    if bloc_year and expected_version is not None and expected_version != bloc_year.version:
        raise ConflictError(current=before, changed=changes_since(bloc_year, expected_version))
    bloc_year = bloc_year or BlocYear(bloc=bloc, year=year)
    roles = {"leader": leader, "deputy": deputy, "host": host, "alternate_reviewer": alternate_reviewer}
    member_ids = [board.pk for board in members]
    errors = {}
    if not member_ids:
        errors["members"] = _("Khối phải có ít nhất một thành viên.")
    if len(set(member_ids)) != len(member_ids):
        errors["members"] = _("Một Ban được chọn hai lần.")
    for role, board in roles.items():
        if board is not None and board.pk not in member_ids:
            errors[role] = _("%(board)s không phải là thành viên của khối năm %(year)s.") % {
                "board": board.name,
                "year": year,
            }
    if leader is not None and deputy is not None and leader.pk == deputy.pk:
        errors["deputy"] = _("Khối phó phải khác Khối trưởng.")
    if bloc_year.pk and bloc_year.rounds.exclude(status=RoundStatus.DRAFT).exists():
        old = set(bloc_year.memberships.values_list("board_id", flat=True))
        if old != set(member_ids):
            errors["members"] = _("Đã mở đợt chấm điểm: không thay đổi được thành viên của năm.")
    if errors:
        raise ValidationError(errors)
    for role, board in roles.items():
        setattr(bloc_year, role, board)
    bloc_year.decision_no, bloc_year.decision_date = decision_no, decision_date
    bloc_year.full_clean(exclude=["version"])
    if bloc_year.pk:
        bloc_year.version += 1
    bloc_year.save()
    old_members = set(bloc_year.memberships.values_list("board_id", flat=True))
    bloc_year.memberships.exclude(board_id__in=member_ids).delete()
    for order, board_id in enumerate(member_ids, start=1):
        BlocMember.objects.update_or_create(bloc_year=bloc_year, board_id=board_id, defaults={"order": order})
    after = year_snapshot(bloc_year)
    record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, bloc_year, before, after)
    if old_members != set(member_ids):
        # A bloc report adds up the year's members. Marking goes through the boards (a board's scopes
        # include its blocs), so every board before and after the change is named: a removed board no
        # longer leads to the bloc, the remaining ones do.
        send_records_changed((board_id, datetime.date(year, 1, 1)) for board_id in old_members | set(member_ids))
    return bloc_year
