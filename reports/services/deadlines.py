"""E-mail reminders of the reporting deadlines to the board leaders (issue 7; beat runs it every morning).

The deadlines themselves and every board's status against them are reads: reports.selectors.deadlines.
For the current and previous quarter, half year and year (deadlines.current_and_previous):

- before: exactly KCN_REMINDER_DAYS_BEFORE days before the deadline, when the board's data is still
  incomplete or not approved by its leader;
- after: the day after the deadline, then every KCN_REMINDER_REPEAT_DAYS days, while it is incomplete.

One e-mail per board and day (every period due that day in it) to the e-mail addresses of its active
leaders. Each (board, period, kind, day) is recorded in ReminderLog before the e-mail leaves, in the
same transaction: a second run the same day sends nothing, and a failed send leaves no record (a run
later that day sends it). Boards without a leader's address are skipped and logged.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kcn_portal import periods
from kcn_portal.core.templatetags.kcn_format import format_number, vn_date
from reports.enums import ReminderKind
from reports.models import ReminderLog
from reports.selectors import deadlines
from zones.enums import MembershipRole
from zones.models import Membership

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """One period of one board that needs a reminder today."""

    status: deadlines.BoardStatus
    kind: ReminderKind
    days: int  # days left before the deadline (before) or days past it (after)


@dataclass
class SendResult:
    sent: list[ReminderLog] = field(default_factory=list)  # the records of the reminders sent
    skipped: list[str] = field(default_factory=list)  # codes of boards due a reminder but without a leader's e-mail


def reminder_kind(status: deadlines.BoardStatus, today: datetime.date) -> ReminderKind | None:
    """Which reminder (if any) a board's period needs on `today`."""
    days_left = (status.deadline - today).days
    if days_left == settings.KCN_REMINDER_DAYS_BEFORE and not (status.complete and status.approved):
        return ReminderKind.BEFORE
    days_past = -days_left
    if days_past >= 1 and (days_past - 1) % settings.KCN_REMINDER_REPEAT_DAYS == 0 and not status.complete:
        return ReminderKind.AFTER
    return None


def reminders_due(*, today: datetime.date, now: datetime.datetime | None = None) -> dict[int, list[Due]]:
    """Board id → the periods it must be reminded of today (a fixed number of queries for every board)."""
    statuses = deadlines.board_statuses(user=None, period_codes=deadlines.current_and_previous(today), now=now)
    due: dict[int, list[Due]] = defaultdict(list)
    for items in statuses.values():
        for status in items:
            kind = reminder_kind(status, today)
            if kind is not None:
                due[status.board.pk].append(Due(status, kind, abs((status.deadline - today).days)))
    for items in due.values():
        items.sort(key=lambda item: (item.status.deadline, periods.parse(item.status.period).end))
    return dict(due)


def leader_emails(board_ids) -> dict[int, list[str]]:
    """Board id → the e-mail addresses of its active leaders, sorted and without repeats (one query)."""
    emails: dict[int, set[str]] = defaultdict(set)
    rows = (
        Membership.objects.filter(board_id__in=list(board_ids), role=MembershipRole.LEADER, user__is_active=True)
        .exclude(user__email="")
        .values_list("board_id", "user__email")
    )
    for board_id, email in rows:
        emails[board_id].add(email.strip())
    return {board_id: sorted(addresses) for board_id, addresses in emails.items()}


def completeness_url(status: deadlines.BoardStatus) -> str:
    """The board's completeness page for the period's year, as an absolute link."""
    path = reverse("enterprise:completeness", kwargs={"code": status.board.code})
    return f"{settings.KCN_SITE_URL}{path}?year={periods.parse(status.period).year}"


def _line(item: Due) -> list[str]:
    status = item.status
    label = periods.parse(status.period).label
    values = {
        "period": label,
        "deadline": vn_date(status.deadline),
        "days": item.days,
        "received": format_number(status.received),
        "expected": format_number(status.expected),
        "missing": format_number(status.missing),
    }
    if item.kind == ReminderKind.BEFORE:
        first = _("- %(period)s: hạn hoàn thành số liệu là hết ngày %(deadline)s (còn %(days)s ngày).") % values
    else:
        first = _("- %(period)s: đã quá hạn %(days)s ngày (hạn hoàn thành số liệu là hết ngày %(deadline)s).") % values
    if status.complete:
        received = _("  Đã nhận đủ %(received)s/%(expected)s báo cáo quý của doanh nghiệp.") % values
    else:
        received = (
            _("  Đã nhận %(received)s/%(expected)s báo cáo quý của doanh nghiệp, còn thiếu %(missing)s báo cáo.")
            % values
        )
    if status.approved:
        approval = _("  Số liệu đã được Lãnh đạo Ban phê duyệt ngày %(date)s.") % {"date": vn_date(status.approved_at)}
    else:
        approval = _("  Số liệu chưa được Lãnh đạo Ban phê duyệt.")
    link = _("  Xem chi tiết: %(url)s") % {"url": completeness_url(status)}
    return [first, received, approval, link]


def message_text(board, items: list[Due]) -> tuple[str, str]:
    """The subject and body of a board's reminder (in the portal's language, Vietnamese)."""
    parts = []
    for item in items:
        values = {"period": periods.parse(item.status.period).label, "deadline": vn_date(item.status.deadline)}
        if item.kind == ReminderKind.BEFORE:
            parts.append(_("%(period)s, hạn %(deadline)s") % values)
        else:
            parts.append(_("%(period)s, quá hạn %(deadline)s") % values)
    subject = _("Nhắc hạn số liệu báo cáo: %(periods)s") % {"periods": "; ".join(parts)}
    lines = [
        _("Kính gửi Lãnh đạo %(board)s,") % {"board": board.name},
        "",
        _("Cổng thông tin KCN nhắc hạn hoàn thành số liệu báo cáo của Ban:"),
        "",
    ]
    for item in items:
        lines.extend(_line(item))
    lines += ["", _("Thư được gửi tự động từ Cổng thông tin KCN, xin không trả lời thư này.")]
    return subject, "\n".join(lines) + "\n"


def reminders_send(*, today: datetime.date | None = None, now: datetime.datetime | None = None) -> SendResult:
    """Send today's reminders (idempotent: what ReminderLog already records for today is not sent again)."""
    today = today or timezone.localdate()
    result = SendResult()
    with translation.override(settings.LANGUAGE_CODE):
        due = reminders_due(today=today, now=now)
        if not due:
            return result
        already = set(
            ReminderLog.objects.filter(board_id__in=list(due), sent_on=today).values_list("board_id", "period", "kind")
        )
        emails = leader_emails(due)
        connection = get_connection()
        for board_id, items in due.items():
            items = [item for item in items if (board_id, item.status.period, item.kind) not in already]
            if not items:
                continue
            board = items[0].status.board
            recipients = emails.get(board_id)
            if not recipients:
                result.skipped.append(board.code)
                logger.warning(
                    "Reminder not sent: board %s has no leader with an e-mail address (%s)",
                    board.code,
                    ", ".join(f"{item.status.period} {item.kind}" for item in items),
                )
                continue
            subject, body = message_text(board, items)
            try:
                with transaction.atomic():
                    logs = [
                        ReminderLog.objects.create(
                            board=board, period=item.status.period, kind=item.kind, sent_on=today, recipients=recipients
                        )
                        for item in items
                    ]
                    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, connection=connection).send()
            except IntegrityError:
                # Another run recorded it meanwhile: it sends the e-mail.
                continue
            except OSError:  # smtplib's errors included: nothing recorded, a later run that day sends it
                logger.exception("Reminder to board %s could not be sent", board.code)
                continue
            result.sent.extend(logs)
    return result
