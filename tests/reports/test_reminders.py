"""Deadline reminders to the board leaders: when, to whom, what they say, and never twice a day.

Hà Nam has two projects since mid-2025 (nothing expected before 2025-Q3); 2025-Q3's deadline is
15/10/2025, so the reminder before it goes on 10/10 and those after it on 16/10, 23/10, …
"""

import datetime
import logging

import pytest
from django.core import mail
from django.test.utils import override_settings

from investment.models import EnterpriseReport
from reports import tasks
from reports.enums import ReminderKind
from reports.models import ReminderLog
from reports.services import deadlines as reminders
from tests.factories import MembershipFactory, UserFactory, make_project
from tests.reports.test_deadlines import approve, local, report
from zones.enums import MembershipRole

SITE = "https://kcn.example.vn"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.KCN_SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "kcn-portal@example.vn"


@pytest.fixture
def hna_board(hna_zone, hna_leader, tbh_zone):
    """Hà Nam with two projects (one reported 2025-Q3), two leaders with e-mail; staff and an inactive leader."""
    hna = hna_zone.board
    first = make_project(hna_zone, "5421000001", event_date=datetime.date(2025, 7, 1))
    second = make_project(hna_zone, "5421000002", event_date=datetime.date(2025, 8, 1))
    report(first, 2025, 3, local(2025, 10, 2, 9, 0))
    hna_leader.email = "lanhdao@bqlhanam.gov.vn"
    hna_leader.save()
    for username, role, email, active in (
        ("hna.pgd", MembershipRole.LEADER, "phogiamdoc@bqlhanam.gov.vn", True),
        ("hna.cv", MembershipRole.STAFF, "chuyenvien@bqlhanam.gov.vn", True),
        ("hna.old", MembershipRole.LEADER, "nghiviec@bqlhanam.gov.vn", False),
        ("hna.noemail", MembershipRole.LEADER, "", True),
    ):
        user = UserFactory(username=username, email=email, is_active=active)
        MembershipFactory(user=user, board=hna, role=role)
    return hna, first, second


RECIPIENTS = ["lanhdao@bqlhanam.gov.vn", "phogiamdoc@bqlhanam.gov.vn"]
LINK = f"  Xem chi tiết: {SITE}/boards/HNA/reports/completeness/?year=2025"


def logs():
    return list(ReminderLog.objects.order_by("sent_on", "board__code", "period").values_list(
        "board__code", "period", "kind", "sent_on", "recipients"
    ))  # fmt: skip


def test_before_the_deadline_the_leaders_are_reminded(hna_board, caplog):
    with caplog.at_level(logging.WARNING, logger="reports.services.deadlines"):
        result = reminders.reminders_send(today=datetime.date(2025, 10, 10))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.from_email) == (RECIPIENTS, "kcn-portal@example.vn")
    assert message.subject == "Nhắc hạn số liệu báo cáo: Quý 3 năm 2025, hạn 15/10/2025"
    assert message.body.splitlines() == [
        "Kính gửi Lãnh đạo Ban Quản lý các KCN tỉnh Hà Nam,",
        "",
        "Cổng thông tin KCN nhắc hạn hoàn thành số liệu báo cáo của Ban:",
        "",
        "- Quý 3 năm 2025: hạn hoàn thành số liệu là hết ngày 15/10/2025 (còn 5 ngày).",
        "  Đã nhận 1/2 báo cáo quý của doanh nghiệp, còn thiếu 1 báo cáo.",
        "  Số liệu chưa được Lãnh đạo Ban phê duyệt.",
        LINK,
        "",
        "Thư được gửi tự động từ Cổng thông tin KCN, xin không trả lời thư này.",
    ]
    assert logs() == [("HNA", "2025-Q3", "before", datetime.date(2025, 10, 10), RECIPIENTS)]
    assert [log.pk for log in result.sent] == list(ReminderLog.objects.values_list("pk", flat=True))
    # Thái Bình has nothing to report but has not approved either: due a reminder, it has no leader to send it to.
    assert result.skipped == ["TBH"]
    assert caplog.messages == ["Reminder not sent: board TBH has no leader with an e-mail address (2025-Q3 before)"]


def test_a_second_run_the_same_day_sends_nothing(hna_board):
    reminders.reminders_send(today=datetime.date(2025, 10, 10))
    result = reminders.reminders_send(today=datetime.date(2025, 10, 10))
    assert (len(mail.outbox), result.sent, ReminderLog.objects.count()) == (1, [], 1)


def test_no_reminder_on_other_days_before_the_deadline(hna_board):
    for day in (9, 11, 14, 15):
        reminders.reminders_send(today=datetime.date(2025, 10, day))
    assert (mail.outbox, logs()) == ([], [])


def test_after_the_deadline_every_seven_days_while_incomplete(hna_board):
    _hna, _first, second = hna_board
    sent_on = []
    for day in range(16, 32):
        if reminders.reminders_send(today=datetime.date(2025, 10, day)).sent:
            sent_on.append(day)
    assert sent_on == [16, 23, 30]
    message = mail.outbox[0]
    assert (message.to, message.subject) == (RECIPIENTS, "Nhắc hạn số liệu báo cáo: Quý 3 năm 2025, quá hạn 15/10/2025")
    assert message.body.splitlines()[4:8] == [
        "- Quý 3 năm 2025: đã quá hạn 1 ngày (hạn hoàn thành số liệu là hết ngày 15/10/2025).",
        "  Đã nhận 1/2 báo cáo quý của doanh nghiệp, còn thiếu 1 báo cáo.",
        "  Số liệu chưa được Lãnh đạo Ban phê duyệt.",
        LINK,
    ]
    assert mail.outbox[1].body.splitlines()[4] == (
        "- Quý 3 năm 2025: đã quá hạn 8 ngày (hạn hoàn thành số liệu là hết ngày 15/10/2025)."
    )
    assert [(log[1], log[2], log[3]) for log in logs()] == [
        ("2025-Q3", "after", datetime.date(2025, 10, day)) for day in (16, 23, 30)
    ]
    # Complete (even unapproved and late): no more reminders after the deadline.
    report(second, 2025, 3, local(2025, 11, 1, 8, 0))
    assert reminders.reminders_send(today=datetime.date(2025, 11, 6)).sent == []
    assert len(mail.outbox) == 3


@override_settings(KCN_REMINDER_REPEAT_DAYS=3, KCN_REMINDER_DAYS_BEFORE=2)
def test_the_days_follow_the_settings(hna_board):
    sent = {}
    for day in range(10, 24):
        for log in reminders.reminders_send(today=datetime.date(2025, 10, day)).sent:
            sent[day] = log.kind
    assert sent == {13: ReminderKind.BEFORE, 16: ReminderKind.AFTER, 19: ReminderKind.AFTER, 22: ReminderKind.AFTER}


def test_complete_but_not_approved_is_reminded_before_only(hna_board):
    _hna, _first, second = hna_board
    report(second, 2025, 3, local(2025, 10, 3, 9, 0))
    reminders.reminders_send(today=datetime.date(2025, 10, 10))
    assert mail.outbox[0].body.splitlines()[5:7] == [
        "  Đã nhận đủ 2/2 báo cáo quý của doanh nghiệp.",
        "  Số liệu chưa được Lãnh đạo Ban phê duyệt.",
    ]
    assert reminders.reminders_send(today=datetime.date(2025, 10, 16)).sent == []
    assert len(mail.outbox) == 1


def test_nothing_when_complete_and_approved(hna_board):
    hna, _first, second = hna_board
    report(second, 2025, 3, local(2025, 10, 3, 9, 0))
    approve(hna, "2025-Q3", local(2025, 10, 6, 14, 0))
    result = reminders.reminders_send(today=datetime.date(2025, 10, 10))
    assert (mail.outbox, [log.board.code for log in result.sent]) == ([], [])


def test_approved_but_incomplete_is_still_reminded(hna_board):
    hna, _first, _second = hna_board
    approve(hna, "2025-Q3", local(2025, 10, 6, 14, 0))
    reminders.reminders_send(today=datetime.date(2025, 10, 10))
    assert mail.outbox[0].body.splitlines()[5:7] == [
        "  Đã nhận 1/2 báo cáo quý của doanh nghiệp, còn thiếu 1 báo cáo.",
        "  Số liệu đã được Lãnh đạo Ban phê duyệt ngày 06/10/2025 14:00.",
    ]


def test_periods_due_the_same_day_share_one_email(hna_board):
    reminders.reminders_send(today=datetime.date(2026, 1, 10))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == (
        "Nhắc hạn số liệu báo cáo: Quý 4 năm 2025, hạn 15/01/2026; 6 tháng cuối năm 2025, hạn 15/01/2026"
    )
    assert message.body.splitlines()[4:12] == [
        "- Quý 4 năm 2025: hạn hoàn thành số liệu là hết ngày 15/01/2026 (còn 5 ngày).",
        "  Đã nhận 0/2 báo cáo quý của doanh nghiệp, còn thiếu 2 báo cáo.",
        "  Số liệu chưa được Lãnh đạo Ban phê duyệt.",
        LINK,
        "- 6 tháng cuối năm 2025: hạn hoàn thành số liệu là hết ngày 15/01/2026 (còn 5 ngày).",
        "  Đã nhận 1/4 báo cáo quý của doanh nghiệp, còn thiếu 3 báo cáo.",
        "  Số liệu chưa được Lãnh đạo Ban phê duyệt.",
        LINK,
    ]
    assert [(log[0], log[1], log[2]) for log in logs()] == [("HNA", "2025-H2", "before"), ("HNA", "2025-Q4", "before")]


def test_a_failed_send_records_nothing_and_the_next_run_retries(hna_board, monkeypatch):
    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert reminders.reminders_send(today=datetime.date(2025, 10, 10)).sent == []
    assert ReminderLog.objects.count() == 0
    monkeypatch.undo()
    assert len(reminders.reminders_send(today=datetime.date(2025, 10, 10)).sent) == 1
    assert len(mail.outbox) == 1


def test_the_report_counts_do_not_change_by_sending(hna_board):
    before = list(EnterpriseReport.objects.values_list("pk", "received_at"))
    reminders.reminders_send(today=datetime.date(2025, 10, 16))
    assert list(EnterpriseReport.objects.values_list("pk", "received_at")) == before


def test_the_task_calls_the_service(monkeypatch):
    calls = []
    monkeypatch.setattr(reminders, "reminders_send", lambda **kwargs: calls.append(kwargs))
    tasks.send_reminders.apply()
    assert calls == [{}]
    assert (tasks.send_reminders.name, tasks.send_reminders.acks_late) == ("reports.send_reminders", True)
