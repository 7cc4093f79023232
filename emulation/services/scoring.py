"""Writes of a bloc year's scoring: the table (groups, criteria, bonus and penalty rules, caps, tie-break),
the rounds, self scores, submission, review, returning a card, closing and publishing a round (DOMAIN.md §8)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation import access
from emulation.enums import RoundStatus, SubmissionStatus, TieBreak
from emulation.models import (
    QUARTER,
    BlocYear,
    Criterion,
    CriterionGroup,
    RankingEntry,
    RuleClaim,
    Score,
    Scorecard,
    ScoringRound,
    ScoringRule,
    ScoringTable,
)
from emulation.selectors import scoring as scoring_selectors
from emulation.services.common import ZERO, parse_points, record
from kcn_portal.core import audit
from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.services import require as _require

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
    record(user, source, AuditAction.CREATE, table, None, audit.snapshot(table))
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
    table.bonus_cap = parse_points(bonus_cap, _("Điểm thưởng tối đa"))
    table.penalty_cap = parse_points(penalty_cap, _("Điểm trừ tối đa"))
    table.tie_break = list(tie_break)
    table.full_clean(exclude=["version"])
    table.version += 1
    table.save()
    record(user, source, AuditAction.UPDATE, table, before, audit.snapshot(table))
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
    record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, group, before, audit.snapshot(group))
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
    criterion.max_points = parse_points(max_points, _("Điểm chuẩn"))
    criterion.guidance = guidance
    _order_free(group.criteria.exclude(pk=criterion.pk), order)
    criterion.full_clean()
    criterion.save()
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    record(user, source, action, criterion, before, audit.snapshot(criterion))
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
    rule.points, rule.cap = parse_points(points, _("Điểm mỗi lần")), parse_points(cap, _("Tối đa"))
    rule.full_clean()
    rule.save()
    record(user, source, AuditAction.UPDATE if before else AuditAction.CREATE, rule, before, audit.snapshot(rule))
    return rule


@transaction.atomic
def table_item_delete(*, user, item: CriterionGroup | Criterion | ScoringRule, source=AuditSource.WEB) -> None:
    """Remove a group (with its criteria), a criterion or a rule from an unlocked table."""
    table = item.table if isinstance(item, CriterionGroup | ScoringRule) else item.group.table
    _editable_table(user, table)
    record(user, source, AuditAction.DELETE, item, audit.snapshot(item), None)
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
    record(user, source, action, scoring_round, before, audit.snapshot(scoring_round))
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
    record(user, source, AuditAction.UPDATE, scoring_round, before, audit.snapshot(scoring_round))
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
            points = parse_points(data.get("points"), _("Tiêu chí %(code)s") % {"code": line.criterion.code})
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
    record(user, source, AuditAction.UPDATE, card, before, _card_snapshot(card, "self_points"), card.board)
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
    record(user, source, AuditAction.UPDATE, card, before, audit.snapshot(card), card.board)
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
    record(user, source, AuditAction.UPDATE, card, before, audit.snapshot(card), card.board)
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
            points = parse_points(data.get("points"), label)
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
    record(user, source, AuditAction.UPDATE, card, before, _card_snapshot(card, "reviewed_points"), card.board)
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
        for card in scoring_selectors.ranking_preview(scoring_round)
    ]
    scoring_round.ranking.all().delete()
    RankingEntry.objects.bulk_create(entries)
    scoring_round.status, scoring_round.closed_at = RoundStatus.CLOSED, timezone.now()
    scoring_round.closed_by = user if getattr(user, "pk", None) else None
    scoring_round.save()
    record(user, source, AuditAction.UPDATE, scoring_round, before, audit.snapshot(scoring_round))
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
    record(user, source, AuditAction.UPDATE, scoring_round, before, audit.snapshot(scoring_round))
    return scoring_round
