"""Writes of a bloc's emulation year: blocs and bloc years, registrations, the scoring table, rounds,
self scores and reviews, closing, publishing and concluding the year (DOMAIN.md §8).

Every write is keyword-only and atomic, checks emulation.access, validates with full_clean() and
leaves an audit record. Refusals are PermissionDenied (no right) or ValidationError (a Vietnamese
message naming what is wrong); nothing is saved when either is raised.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kcn_portal.core import audit
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require
from kcn_portal.core.signals import send_records_changed
from kcn_portal.indicators import INDICATORS
from zones.models import Board

from . import access, selectors
from .enums import RoundKind, RoundStatus, SubmissionStatus, TieBreak
from .models import (
    QUARTER,
    AwardTitle,
    Bloc,
    BlocMember,
    BlocYear,
    CovenantTarget,
    Criterion,
    CriterionGroup,
    Proposal,
    RankingEntry,
    Registration,
    RuleClaim,
    Score,
    Scorecard,
    ScoringRound,
    ScoringRule,
    ScoringTable,
)

ZERO = Decimal("0")


def _record(user, source, action, instance, before, after, board=None) -> None:
    audit.record(actor=user, source=source, action=action, instance=instance, before=before, after=after, board=board)


def _points(value, label: str) -> Decimal | None:
    """A score typed by a person: None when blank; ValidationError when not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(_("%(label)s: '%(value)s' không phải là số.") % {"label": label, "value": value}) from exc


# --- blocs and bloc years -------------------------------------------------------------------------


@transaction.atomic
def bloc_save(*, user, code: str, name: str, ministry: str, source=AuditSource.WEB) -> Bloc:
    """Create or rename a bloc (administrators and the ministry). Audited."""
    _require(access.manages_catalogue(user))
    bloc = Bloc.objects.filter(code=code).first() or Bloc(code=code)
    before = audit.snapshot(bloc) if bloc.pk else None
    bloc.name, bloc.ministry = name, ministry
    bloc.full_clean()
    bloc.save()
    _record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, bloc, before, audit.snapshot(bloc))
    return bloc


YEAR_ROLES = ("leader", "deputy", "host", "alternate_reviewer")


def _year_snapshot(bloc_year: BlocYear) -> dict:
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
    before = _year_snapshot(bloc_year) if bloc_year else None
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
    after = _year_snapshot(bloc_year)
    _record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, bloc_year, before, after)
    if old_members != set(member_ids):
        # A bloc report adds up the year's members. Marking goes through the boards (a board's scopes
        # include its blocs), so every board before and after the change is named: a removed board no
        # longer leads to the bloc, the remaining ones do.
        send_records_changed((board_id, datetime.date(year, 1, 1)) for board_id in old_members | set(member_ids))
    return bloc_year


# --- registration -----------------------------------------------------------------------------------


def _registration_snapshot(registration: Registration) -> dict:
    data = audit.snapshot(registration)
    data["titles"] = sorted(registration.titles.values_list("code", flat=True))
    data["targets"] = [
        [t.description, t.indicator, str(t.target_value) if t.target_value is not None else None]
        for t in registration.targets.all()
    ]
    return data


@transaction.atomic
def registration_save(
    *,
    user,
    bloc_year: BlocYear,
    board: Board,
    titles: Iterable[AwardTitle],
    targets: Sequence[dict],
    note: str = "",
    expected_version: int | None = None,
    source=AuditSource.WEB,
) -> Registration:
    """Save a member's registration draft: titles aimed for and covenant targets (its staff).

    `targets`: [{"description", "indicator" (a reports catalogue code or ""), "target_value"}].
    Refused once submitted.
    """
    _require(access.can_edit_registration(user, board.pk))
    if not bloc_year.memberships.filter(board=board).exists():
        raise ValidationError(_("%(board)s không phải là thành viên của khối năm %(year)s.") % {
            "board": board.name, "year": bloc_year.year})  # fmt: skip
    registration = Registration.objects.select_for_update().filter(bloc_year=bloc_year, board=board).first()
    before = _registration_snapshot(registration) if registration else None
    if registration and expected_version is not None and expected_version != registration.version:
        raise ConflictError(current=before, changed=changes_since(registration, expected_version))
    if registration and registration.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Đăng ký đã gửi, không sửa được nữa."))
    registration = registration or Registration(bloc_year=bloc_year, board=board)
    rows, errors = [], []
    for number, target in enumerate(targets, start=1):
        description = (target.get("description") or "").strip()
        indicator = (target.get("indicator") or "").strip()
        if not description and not indicator:
            continue
        if indicator and indicator not in INDICATORS:
            errors.append(_("Dòng %(n)s: không có chỉ tiêu mã '%(code)s'.") % {"n": number, "code": indicator})
            continue
        try:
            value = _points(target.get("target_value"), _("Dòng %(n)s") % {"n": number})
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if indicator and value is None:
            errors.append(_("Dòng %(n)s: chỉ tiêu theo mã cần giá trị cam kết.") % {"n": number})
            continue
        rows.append((description or str(INDICATORS[indicator].name), indicator, value))
    if errors:
        raise ValidationError({"targets": errors})
    registration.note = note
    registration.full_clean(exclude=["version"])
    if registration.pk:
        registration.version += 1
    registration.save()
    registration.titles.set(list(titles))
    registration.targets.all().delete()
    CovenantTarget.objects.bulk_create(
        CovenantTarget(registration=registration, order=order, description=d[:500], indicator=i, target_value=v)
        for order, (d, i, v) in enumerate(rows, start=1)
    )
    after = _registration_snapshot(registration)
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    _record(user, source, action, registration, before, after, board=board)
    return registration


@transaction.atomic
def registration_submit(*, user, registration: Registration, source=AuditSource.WEB) -> Registration:
    """The member's leader submits its registration (it then cannot change)."""
    _require(access.can_submit_registration(user, registration.board_id))
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == SubmissionStatus.SUBMITTED:
        return registration
    if not registration.titles.exists() and not registration.targets.exists():
        raise ValidationError(_("Đăng ký chưa có danh hiệu hay chỉ tiêu nào."))
    before = audit.snapshot(registration)
    registration.status, registration.submitted_at = SubmissionStatus.SUBMITTED, timezone.now()
    registration.submitted_by = user if getattr(user, "pk", None) else None
    registration.version += 1
    registration.save()
    _record(user, source, AuditAction.UPDATE, registration, before, audit.snapshot(registration), registration.board)
    return registration


# --- the scoring table ------------------------------------------------------------------------------


def _editable_table(user, table: ScoringTable) -> ScoringTable:
    _require(access.manages_year(user, table.bloc_year))
    table = ScoringTable.objects.select_for_update().get(pk=table.pk)
    if table.locked_at:
        raise ValidationError(_("Bảng chấm điểm đã khóa khi mở đợt chấm, không sửa được."))
    return table


@transaction.atomic
def table_create(*, user, bloc_year: BlocYear, copy_previous: bool = True, source=AuditSource.WEB) -> ScoringTable:
    """The year's scoring table, copied from the bloc's latest earlier table when there is one."""
    _require(access.manages_year(user, bloc_year))
    existing = ScoringTable.objects.filter(bloc_year=bloc_year).first()
    if existing:
        return existing
    previous = (
        ScoringTable.objects.filter(bloc_year__bloc=bloc_year.bloc, bloc_year__year__lt=bloc_year.year)
        .order_by("-bloc_year__year")
        .first()
        if copy_previous
        else None
    )
    table = ScoringTable.objects.create(
        bloc_year=bloc_year,
        bonus_cap=previous.bonus_cap if previous else ZERO,
        penalty_cap=previous.penalty_cap if previous else ZERO,
        tie_break=list(previous.tie_break) if previous else [TieBreak.GROUPS],
        copied_from=previous,
    )
    if previous:
        for group in previous.groups.prefetch_related("criteria"):
            copy = CriterionGroup.objects.create(table=table, order=group.order, name=group.name)
            Criterion.objects.bulk_create(
                Criterion(group=copy, order=c.order, code=c.code, name=c.name, max_points=c.max_points,
                          guidance=c.guidance)
                for c in group.criteria.all()
            )  # fmt: skip
        ScoringRule.objects.bulk_create(
            ScoringRule(table=table, kind=r.kind, order=r.order, name=r.name, points=r.points, cap=r.cap)
            for r in previous.rules.all()
        )
    _record(user, source, AuditAction.CREATE, table, None, audit.snapshot(table))
    return table


@transaction.atomic
def table_settings_save(
    *, user, table: ScoringTable, bonus_cap, penalty_cap, tie_break: Sequence[str], source=AuditSource.WEB
) -> ScoringTable:
    """Caps of the bonus and penalty totals and the ordered tie-break rules."""
    table = _editable_table(user, table)
    before = audit.snapshot(table)
    unknown = [rule for rule in tie_break if rule not in TieBreak.values]
    if unknown or len(set(tie_break)) != len(tie_break):
        raise ValidationError({"tie_break": _("Thứ tự xét bằng điểm không hợp lệ: %(rules)s.") % {
            "rules": ", ".join(unknown) or _("trùng lặp")}})  # fmt: skip
    table.bonus_cap = _points(bonus_cap, _("Điểm thưởng tối đa"))
    table.penalty_cap = _points(penalty_cap, _("Điểm trừ tối đa"))
    table.tie_break = list(tie_break)
    table.full_clean(exclude=["version"])
    table.version += 1
    table.save()
    _record(user, source, AuditAction.UPDATE, table, before, audit.snapshot(table))
    return table


def _order_free(siblings, order: int) -> None:
    # Said here rather than by the unique constraint, whose wording names the table's columns.
    if siblings.filter(order=order).exists():
        raise ValidationError({"order": _("Thứ tự này đã có, hãy chọn số khác.")})


@transaction.atomic
def group_save(
    *, user, table: ScoringTable, order: int, name: str, group: CriterionGroup | None = None, source=AuditSource.WEB
) -> CriterionGroup:
    """Add or rename a group of criteria."""
    _editable_table(user, table)
    before = audit.snapshot(group) if group else None
    group = group or CriterionGroup(table=table)
    group.order, group.name = order, name
    _order_free(table.groups.exclude(pk=group.pk), order)
    group.full_clean()
    group.save()
    _record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, group, before, audit.snapshot(group))
    return group


@transaction.atomic
def criterion_save(
    *,
    user,
    group: CriterionGroup,
    order: int,
    code: str,
    name: str,
    max_points,
    guidance: str = "",
    criterion: Criterion | None = None,
    source=AuditSource.WEB,
) -> Criterion:
    """Add or change a criterion (maximum points in steps of 0.25)."""
    _editable_table(user, group.table)
    before = audit.snapshot(criterion) if criterion else None
    criterion = criterion or Criterion(group=group)
    criterion.group, criterion.order, criterion.code, criterion.name = group, order, code, name
    criterion.max_points = _points(max_points, _("Điểm chuẩn"))
    criterion.guidance = guidance
    _order_free(group.criteria.exclude(pk=criterion.pk), order)
    criterion.full_clean()
    criterion.save()
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    _record(user, source, action, criterion, before, audit.snapshot(criterion))
    return criterion


@transaction.atomic
def rule_save(
    *,
    user,
    table: ScoringTable,
    kind: str,
    order: int,
    name: str,
    points,
    cap,
    rule: ScoringRule | None = None,
    source=AuditSource.WEB,
) -> ScoringRule:
    """Add or change a bonus or penalty rule (points per occurrence, capped)."""
    _editable_table(user, table)
    before = audit.snapshot(rule) if rule else None
    rule = rule or ScoringRule(table=table)
    rule.kind, rule.order, rule.name = kind, order, name
    rule.points, rule.cap = _points(points, _("Điểm mỗi lần")), _points(cap, _("Tối đa"))
    rule.full_clean()
    rule.save()
    _record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, rule, before, audit.snapshot(rule))
    return rule


@transaction.atomic
def table_item_delete(*, user, item: CriterionGroup | Criterion | ScoringRule, source=AuditSource.WEB) -> None:
    """Remove a group (with its criteria), a criterion or a rule from an unlocked table."""
    table = item.table if isinstance(item, CriterionGroup | ScoringRule) else item.group.table
    _editable_table(user, table)
    _record(user, source, AuditAction.DELETE, item, audit.snapshot(item), None)
    item.delete()


# --- rounds ------------------------------------------------------------------------------------------


@transaction.atomic
def round_save(
    *,
    user,
    bloc_year: BlocYear,
    kind: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    source=AuditSource.WEB,
) -> ScoringRound:
    """Create or re-date the year's mid-year or year-end round (until it is closed)."""
    _require(access.manages_year(user, bloc_year))
    scoring_round = ScoringRound.objects.select_for_update().filter(bloc_year=bloc_year, kind=kind).first()
    before = audit.snapshot(scoring_round) if scoring_round else None
    if scoring_round and scoring_round.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
        raise ValidationError(_("Đợt chấm đã khóa, không đổi được ngày."))
    scoring_round = scoring_round or ScoringRound(bloc_year=bloc_year, kind=kind)
    scoring_round.opens_on, scoring_round.closes_on = opens_on, closes_on
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("Hạn chấm phải sau ngày mở.")})
    if opens_on and opens_on.year != bloc_year.year:
        raise ValidationError({"opens_on": _("Đợt chấm của năm %(year)s phải mở trong năm đó.") % {
            "year": bloc_year.year}})  # fmt: skip
    scoring_round.full_clean()
    scoring_round.save()
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    _record(user, source, action, scoring_round, before, audit.snapshot(scoring_round))
    return scoring_round


@transaction.atomic
def round_open(*, user, scoring_round: ScoringRound, source=AuditSource.WEB) -> ScoringRound:
    """Open a round: the table locks and every member gets a scorecard with a line per criterion and rule."""
    bloc_year = scoring_round.bloc_year
    _require(access.manages_year(user, bloc_year))
    scoring_round = ScoringRound.objects.select_for_update().get(pk=scoring_round.pk)
    if scoring_round.status != RoundStatus.DRAFT:
        raise ValidationError(_("Đợt chấm đã mở rồi."))
    table = ScoringTable.objects.select_for_update().filter(bloc_year=bloc_year).first()
    criteria = list(Criterion.objects.filter(group__table=table)) if table else []
    if not criteria:
        raise ValidationError(_("Bảng chấm điểm của năm chưa có tiêu chí nào."))
    if bloc_year.leader_id is None or bloc_year.deputy_id is None:
        raise ValidationError(_("Khối chưa có Khối trưởng và Khối phó: chưa có người thẩm định."))
    before = audit.snapshot(scoring_round)
    if table.locked_at is None:
        table.locked_at = timezone.now()
        table.save(update_fields=["locked_at"])
    rules = list(table.rules.all())
    for board_id in bloc_year.memberships.values_list("board_id", flat=True):
        card, _created = Scorecard.objects.get_or_create(round=scoring_round, board_id=board_id)
        Score.objects.bulk_create([Score(scorecard=card, criterion=c) for c in criteria], ignore_conflicts=True)
        RuleClaim.objects.bulk_create([RuleClaim(scorecard=card, rule=r) for r in rules], ignore_conflicts=True)
    scoring_round.status = RoundStatus.OPEN
    scoring_round.save(update_fields=["status"])
    _record(user, source, AuditAction.UPDATE, scoring_round, before, audit.snapshot(scoring_round))
    return scoring_round


def _card_for_update(scorecard: Scorecard, expected_version: int | None) -> Scorecard:
    card = Scorecard.objects.select_for_update().select_related("round__bloc_year").get(pk=scorecard.pk)
    if expected_version is not None and expected_version != card.version:
        raise ConflictError(current=audit.snapshot(card), changed={"version": [expected_version, card.version]})
    if card.round.status != RoundStatus.OPEN:
        raise ValidationError(_("Đợt chấm không mở: không chấm điểm được."))
    return card


def _card_snapshot(card: Scorecard, field: str) -> dict:
    data = {f"{s.criterion.code}": str(getattr(s, field)) if getattr(s, field) is not None else None
            for s in card.scores.select_related("criterion")}  # fmt: skip
    count = "self_count" if field == "self_points" else "reviewed_count"
    data.update({f"rule {c.rule_id}": getattr(c, count) for c in card.claims.all()})
    data["status"] = card.status
    return data


def _number(value: Decimal) -> str:
    """Points as a person writes them: 10, 9,75."""
    return format(value.normalize(), "f").replace(".", ",")


def _check_points(value: Decimal | None, limit: Decimal, label: str) -> None:
    if value is None:
        return
    if value < 0 or value > limit:
        raise ValidationError(
            _("%(label)s: %(value)s điểm vượt quá điểm chuẩn %(max)s.")
            % {"label": label, "value": _number(value), "max": _number(limit)}
        )
    if value % QUARTER:
        raise ValidationError(_("%(label)s: điểm phải là bội số của 0,25.") % {"label": label})


@transaction.atomic
def scorecard_self_save(
    *,
    user,
    scorecard: Scorecard,
    scores: dict[int, dict],
    claims: dict[int, dict] | None = None,
    expected_version: int | None = None,
    source=AuditSource.WEB,
) -> Scorecard:
    """The member's staff save self scores: {criterion id: {"points", "evidence"}}, {rule id: {"count", "note"}}.

    Only while the round is open and the card is not submitted; points within each criterion's maximum.
    """
    _require(access.can_edit_own_card(user, scorecard))
    card = _card_for_update(scorecard, expected_version)
    if card.status == SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Phiếu đã gửi, không sửa được. Xin Khối trưởng trả lại nếu cần sửa."))
    before = _card_snapshot(card, "self_points")
    lines = {s.criterion_id: s for s in card.scores.select_related("criterion")}
    errors = []
    for criterion_id, data in scores.items():
        line = lines.get(int(criterion_id))
        if line is None:
            raise ValidationError(_("Tiêu chí không thuộc bảng chấm điểm của phiếu này."))
        try:
            points = _points(data.get("points"), _("Tiêu chí %(code)s") % {"code": line.criterion.code})
            _check_points(points, line.criterion.max_points, _("Tiêu chí %(code)s") % {"code": line.criterion.code})
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        line.self_points, line.evidence = points, (data.get("evidence") or "").strip()
    _save_claims(card, claims or {}, "self_count", errors)
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_update(lines.values(), ["self_points", "evidence"])
    card.version += 1
    card.returned_note = ""
    card.save(update_fields=["version", "returned_note"])
    _record(user, source, AuditAction.UPDATE, card, before, _card_snapshot(card, "self_points"), card.board)
    return card


def _save_claims(card: Scorecard, claims: dict[int, dict], field: str, errors: list) -> None:
    current = {c.rule_id: c for c in card.claims.select_related("rule")}
    for rule_id, data in claims.items():
        claim = current.get(int(rule_id))
        if claim is None:
            raise ValidationError(_("Nội dung thưởng, trừ không thuộc bảng chấm điểm của phiếu này."))
        raw = data.get("count")
        if raw in (None, ""):
            count = 0 if field == "self_count" else None
        else:
            try:
                count = int(str(raw).strip())
            except ValueError:
                count = -1
            if count < 0 or count > 999:
                errors.append(_("%(rule)s: số lần '%(value)s' không hợp lệ.") % {"rule": claim.rule.name, "value": raw})
                continue
        setattr(claim, field, count)
        if field == "self_count" and "note" in data:
            claim.note = (data.get("note") or "").strip()
    if not errors:
        RuleClaim.objects.bulk_update(current.values(), [field, "note"])


@transaction.atomic
def scorecard_submit(
    *, user, scorecard: Scorecard, expected_version: int | None = None, source=AuditSource.WEB
) -> Scorecard:
    """The member's leader submits the self score; every criterion must be scored."""
    _require(access.can_submit_own_card(user, scorecard))
    card = _card_for_update(scorecard, expected_version)
    if card.status == SubmissionStatus.SUBMITTED:
        return card
    missing = list(card.scores.filter(self_points__isnull=True).values_list("criterion__code", flat=True))
    if missing:
        raise ValidationError(_("Chưa tự chấm các tiêu chí: %(codes)s.") % {"codes": ", ".join(missing)})
    before = audit.snapshot(card)
    card.status, card.submitted_at = SubmissionStatus.SUBMITTED, timezone.now()
    card.submitted_by = user if getattr(user, "pk", None) else None
    card.version += 1
    card.save()
    _record(user, source, AuditAction.UPDATE, card, before, audit.snapshot(card), card.board)
    return card


@transaction.atomic
def scorecard_return(
    *, user, scorecard: Scorecard, note: str, expected_version: int | None = None, source=AuditSource.WEB
) -> Scorecard:
    """A reviewer sends a submitted card back to the member for correction, saying why."""
    _require(access.can_review(user, scorecard))
    card = _card_for_update(scorecard, expected_version)
    if card.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Phiếu chưa gửi, không cần trả lại."))
    if not note.strip():
        raise ValidationError({"note": _("Cần ghi lý do trả lại phiếu.")})
    before = audit.snapshot(card)
    card.status, card.returned_note = SubmissionStatus.DRAFT, note.strip()
    card.version += 1
    card.save()
    _record(user, source, AuditAction.UPDATE, card, before, audit.snapshot(card), card.board)
    return card


def _reviewer_board_id(user, card: Scorecard) -> int | None:
    boards = access.reviewer_board_ids(card.round.bloc_year, card.board_id)
    if user is None or user.is_superuser:
        return None
    return min(boards & access.led_board_ids(user))


@transaction.atomic
def scorecard_review(
    *,
    user,
    scorecard: Scorecard,
    reviews: dict[int, dict],
    claims: dict[int, dict] | None = None,
    expected_version: int | None = None,
    source=AuditSource.WEB,
) -> Scorecard:
    """A reviewer sets reviewed scores and comments: {criterion id: {"points", "comment"}}, {rule id: {"count"}}.

    Only on a submitted card of an open round, never by the member's own board.
    """
    _require(access.can_review(user, scorecard))
    card = _card_for_update(scorecard, expected_version)
    if card.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Ban chưa gửi phiếu tự chấm: chưa thẩm định được."))
    before = _card_snapshot(card, "reviewed_points")
    lines = {s.criterion_id: s for s in card.scores.select_related("criterion")}
    reviewer_board = _reviewer_board_id(user, card)
    now, errors = timezone.now(), []
    for criterion_id, data in reviews.items():
        line = lines.get(int(criterion_id))
        if line is None:
            raise ValidationError(_("Tiêu chí không thuộc bảng chấm điểm của phiếu này."))
        label = _("Tiêu chí %(code)s") % {"code": line.criterion.code}
        try:
            points = _points(data.get("points"), label)
            _check_points(points, line.criterion.max_points, label)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        comment = (data.get("comment") or "").strip()
        if (points, comment) != (line.reviewed_points, line.review_comment):
            line.reviewed_points, line.review_comment = points, comment
            line.reviewed_by = user if getattr(user, "pk", None) else None
            line.reviewed_by_board_id, line.reviewed_at = reviewer_board, now
    _save_claims(card, claims or {}, "reviewed_count", errors)
    if errors:
        raise ValidationError(errors)
    Score.objects.bulk_update(
        lines.values(), ["reviewed_points", "review_comment", "reviewed_by", "reviewed_by_board", "reviewed_at"]
    )
    card.version += 1
    card.save(update_fields=["version"])
    _record(user, source, AuditAction.UPDATE, card, before, _card_snapshot(card, "reviewed_points"), card.board)
    return card


@transaction.atomic
def round_close(*, user, scoring_round: ScoringRound, source=AuditSource.WEB) -> list[RankingEntry]:
    """The bloc leader closes the round: every card must be submitted and fully reviewed; the ranking is frozen."""
    bloc_year = scoring_round.bloc_year
    _require(access.leads_year(user, bloc_year))
    scoring_round = ScoringRound.objects.select_for_update().get(pk=scoring_round.pk)
    if scoring_round.status != RoundStatus.OPEN:
        raise ValidationError(_("Chỉ khóa được đợt chấm đang mở."))
    cards = scoring_round.scorecards.select_related("board")
    unsubmitted = [c.board.code for c in cards if c.status != SubmissionStatus.SUBMITTED]
    if unsubmitted:
        raise ValidationError(_("Chưa gửi phiếu tự chấm: %(boards)s.") % {"boards": ", ".join(unsubmitted)})
    unreviewed = sorted(
        set(
            Score.objects.filter(scorecard__round=scoring_round, reviewed_points__isnull=True).values_list(
                "scorecard__board__code", flat=True
            )
        )
        | set(
            RuleClaim.objects.filter(
                scorecard__round=scoring_round, reviewed_count__isnull=True, self_count__gt=0
            ).values_list("scorecard__board__code", flat=True)
        )
    )
    if unreviewed:
        raise ValidationError(_("Chưa thẩm định xong: %(boards)s.") % {"boards": ", ".join(unreviewed)})
    before = audit.snapshot(scoring_round)
    entries = [
        RankingEntry(
            round=scoring_round,
            board_id=card.board_id,
            self_points=card.self_points,
            reviewed_points=card.reviewed_points,
            bonus=card.bonus,
            penalty=card.penalty,
            total=card.total,
            rank=card.rank,
            tie_note=card.tie_note[:255],
        )
        for card in selectors.ranking_preview(scoring_round)
    ]
    scoring_round.ranking.all().delete()
    RankingEntry.objects.bulk_create(entries)
    scoring_round.status, scoring_round.closed_at = RoundStatus.CLOSED, timezone.now()
    scoring_round.closed_by = user if getattr(user, "pk", None) else None
    scoring_round.save()
    _record(user, source, AuditAction.UPDATE, scoring_round, before, audit.snapshot(scoring_round))
    return list(scoring_round.ranking.select_related("board"))


@transaction.atomic
def round_publish(*, user, scoring_round: ScoringRound, source=AuditSource.WEB) -> ScoringRound:
    """The bloc leader publishes a closed round's ranking to the members and the ministry."""
    _require(access.leads_year(user, scoring_round.bloc_year))
    scoring_round = ScoringRound.objects.select_for_update().get(pk=scoring_round.pk)
    if scoring_round.status != RoundStatus.CLOSED:
        raise ValidationError(_("Chỉ công bố được đợt chấm đã khóa."))
    before = audit.snapshot(scoring_round)
    scoring_round.status, scoring_round.published_at = RoundStatus.PUBLISHED, timezone.now()
    scoring_round.save()
    _record(user, source, AuditAction.UPDATE, scoring_round, before, audit.snapshot(scoring_round))
    return scoring_round


@transaction.atomic
def year_conclude(
    *,
    user,
    bloc_year: BlocYear,
    proposals: Sequence[tuple[Board, AwardTitle]],
    next_leader: Board,
    next_deputy: Board,
    next_host: Board | None = None,
    source=AuditSource.WEB,
) -> BlocYear:
    """Record the year-end review's decisions: who is proposed for which award, next year's leader,
    deputy and host. Next year's bloc year is created with the same members when it does not exist.
    """
    _require(access.leads_year(user, bloc_year))
    bloc_year = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    if not bloc_year.rounds.filter(kind=RoundKind.YEAR_END, status=RoundStatus.PUBLISHED).exists():
        raise ValidationError(_("Chưa công bố kết quả tổng kết năm."))
    member_ids = set(bloc_year.memberships.values_list("board_id", flat=True))
    errors = {}
    for name, board in (("next_leader", next_leader), ("next_deputy", next_deputy), ("next_host", next_host)):
        if board is not None and board.pk not in member_ids:
            errors[name] = _("%(board)s không phải là thành viên của khối.") % {"board": board.name}
    if next_leader and next_deputy and next_leader.pk == next_deputy.pk:
        errors["next_deputy"] = _("Khối phó phải khác Khối trưởng.")
    outsiders = [board.name for board, _title in proposals if board.pk not in member_ids]
    if outsiders:
        errors["proposals"] = _("Không phải thành viên của khối: %(boards)s.") % {"boards": ", ".join(outsiders)}
    if errors:
        raise ValidationError(errors)
    before = _year_snapshot(bloc_year)
    bloc_year.next_leader, bloc_year.next_deputy, bloc_year.next_host = next_leader, next_deputy, next_host
    bloc_year.concluded_at = timezone.now()
    bloc_year.version += 1
    bloc_year.save()
    bloc_year.proposals.all().delete()
    Proposal.objects.bulk_create(Proposal(bloc_year=bloc_year, board=board, title=title) for board, title in proposals)
    after = _year_snapshot(bloc_year)
    after["proposals"] = sorted(f"{board.code}:{title.code}" for board, title in proposals)
    _record(user, source, AuditAction.UPDATE, bloc_year, before, after)
    following, created = BlocYear.objects.get_or_create(bloc=bloc_year.bloc, year=bloc_year.year + 1)
    if created:
        BlocMember.objects.bulk_create(
            BlocMember(bloc_year=following, board_id=m.board_id, order=m.order) for m in bloc_year.memberships.all()
        )
    if created or (following.leader_id is None and following.deputy_id is None):
        following_before = None if created else _year_snapshot(following)
        following.leader, following.deputy, following.host = next_leader, next_deputy, next_host
        if not created:
            following.version += 1  # one audited update per version (concurrency.changes_since)
        following.save()
        _record(user, source, AuditAction.CREATE if created else AuditAction.UPDATE, following, following_before,
                _year_snapshot(following))  # fmt: skip
    return bloc_year
