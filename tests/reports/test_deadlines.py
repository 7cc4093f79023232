"""Reporting deadlines: the deadline of a period, completeness and timeliness per board, the ministry page.

Statuses are computed at a given `now` (never the clock); the page shows periods whose deadline is long
past, so its statuses do not depend on the day the tests run.
"""

import datetime
import html as htmllib
import re
import zlib

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from investment.models import EnterpriseReport
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal import periods
from kcn_portal.settings import base
from reports.enums import Timeliness
from reports.models import PeriodApproval, ReportSnapshot
from reports.selectors import deadlines
from tests.factories import BoardFactory, MembershipFactory, UserFactory, ZoneFactory, make_project
from zones.enums import MembershipRole


def local(*args) -> datetime.datetime:
    """An aware datetime in the portal's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.datetime(*args))


def report(project, year, quarter, received_at):
    """A quarterly report saved through the service, received by the board at `received_at`."""
    saved, _created = enterprise_report_services.enterprise_report_save(
        user=None, project=project, year=year, quarter=quarter, revenue_vnd=10**9, employees=10
    )
    EnterpriseReport.objects.filter(pk=saved.pk).update(received_at=received_at)
    return saved


def approve(board, period, approved_at):
    """A PeriodApproval row as the approval service would leave it (with a minimal snapshot to point at)."""
    parsed = periods.parse(period)
    snapshot = ReportSnapshot.objects.create(
        scope=f"board:{board.code}", period=period, version=1, start=parsed.start, end=parsed.end,
        indicators={}, rate_rule="", generated_at=approved_at,
    )  # fmt: skip
    return PeriodApproval.objects.create(
        board=board, period=period, start=parsed.start, end=parsed.end, snapshot=snapshot, approved_at=approved_at
    )


def statuses(period, now, **kwargs):
    return {
        s.board.code: s for s in deadlines.board_statuses(user=None, period_codes=[period], now=now, **kwargs)[period]
    }


# --- the deadline of a period ----------------------------------------------------------------------


def test_deadline_of_each_kind_of_period():
    assert [deadlines.deadline(code) for code in ("2025-Q3", "2025-Q4", "2025-H1", "2025-H2", "2025")] == [
        datetime.date(2025, 10, 15),
        datetime.date(2026, 1, 15),
        datetime.date(2025, 7, 15),
        datetime.date(2026, 1, 15),
        datetime.date(2026, 1, 20),
    ]
    assert deadlines.deadline("2025-M07") is None
    assert deadlines.deadline("2025-YTD11") is None


@override_settings(KCN_REPORT_DEADLINE_DAYS={"Q": 10, "H": 30, "Y": 31})
def test_deadline_follows_the_setting():
    assert [deadlines.deadline(code) for code in ("2025-Q3", "2025-H1", "2025")] == [
        datetime.date(2025, 10, 10),
        datetime.date(2025, 7, 30),
        datetime.date(2026, 1, 31),
    ]


def test_deadline_days_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("KCN_REPORT_DEADLINE_DAYS", raising=False)
    assert base.env_deadline_days("KCN_REPORT_DEADLINE_DAYS", "Q=15,H=15,Y=20") == {"Q": 15, "H": 15, "Y": 20}
    monkeypatch.setenv("KCN_REPORT_DEADLINE_DAYS", " q=10, Y=25 ")
    assert base.env_deadline_days("KCN_REPORT_DEADLINE_DAYS", "Q=15,H=15,Y=20") == {"Q": 10, "H": 15, "Y": 25}
    monkeypatch.setenv("KCN_REPORT_DEADLINE_DAYS", "M=5")
    with pytest.raises(ImproperlyConfigured) as error:
        base.env_deadline_days("KCN_REPORT_DEADLINE_DAYS", "Q=15,H=15,Y=20")
    assert str(error.value) == "KCN_REPORT_DEADLINE_DAYS: 'M=5' — dùng dạng Q=15,H=15,Y=20 / use Q=15,H=15,Y=20"


def test_default_settings():
    assert (base.KCN_REMINDER_DAYS_BEFORE, base.KCN_REMINDER_REPEAT_DAYS) == (5, 7)
    assert base.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    beat = base.CELERY_BEAT_SCHEDULE["reports-reminders"]
    assert (beat["task"], beat["schedule"].hour, beat["schedule"].minute) == ("reports.send_reminders", {7}, {0})


# --- status of a board at chosen times -------------------------------------------------------------


@pytest.fixture
def hna_projects(hna_zone):
    """Hà Nam: one project since 2019, one issued in August 2025, one terminated in May 2025."""
    old = make_project(hna_zone, "5421000001")
    new = make_project(hna_zone, "5421000002", event_date=datetime.date(2025, 8, 1))
    ended = make_project(hna_zone, "5421000003")
    licence_services.licence_terminate(
        user=None, project=ended, certificate_no="5421000003-CD", event_date=datetime.date(2025, 5, 10),
        termination_ground="investor",
    )  # fmt: skip
    return old, new, ended


def test_on_time_up_to_the_end_of_the_deadline_day_in_local_time(hna_projects):
    old, new, _ended = hna_projects
    report(old, 2025, 3, local(2025, 10, 1, 9, 0))
    report(new, 2025, 3, local(2025, 10, 15, 23, 59))
    status = statuses("2025-Q3", now=local(2026, 1, 1))["HNA"]
    assert (status.expected, status.received, status.missing, status.percent) == (2, 2, 0, 100)
    assert (status.completed_at, status.deadline) == (local(2025, 10, 15, 23, 59), datetime.date(2025, 10, 15))
    assert (status.status, status.approved_at) == (Timeliness.ON_TIME, None)


def test_late_when_the_last_report_came_after_the_deadline_day(hna_projects):
    old, new, _ended = hna_projects
    report(old, 2025, 3, local(2025, 10, 1, 9, 0))
    report(new, 2025, 3, local(2025, 10, 16, 0, 0))
    status = statuses("2025-Q3", now=local(2025, 10, 20))["HNA"]
    assert (status.received, status.completed_at, status.status) == (2, local(2025, 10, 16, 0, 0), Timeliness.LATE)


def test_pending_until_the_deadline_day_ends_then_missing(hna_projects):
    old, _new, _ended = hna_projects
    report(old, 2025, 3, local(2025, 10, 1, 9, 0))
    before = statuses("2025-Q3", now=local(2025, 10, 15, 23, 59, 59))["HNA"]
    after = statuses("2025-Q3", now=local(2025, 10, 16, 0, 0))["HNA"]
    assert (before.expected, before.received, before.percent, before.completed_at) == (2, 1, 50, None)
    assert (before.status, after.status) == (Timeliness.PENDING, Timeliness.MISSING)


def test_a_year_expects_each_project_in_the_quarters_it_was_valid(hna_projects):
    old, new, ended = hna_projects
    for quarter in (1, 2, 3):
        report(old, 2025, quarter, local(2025, 3 * quarter + 1, 5))
    for quarter in (1, 2):
        report(ended, 2025, quarter, local(2025, 3 * quarter + 1, 6))
    report(new, 2025, 3, local(2025, 10, 7))
    report(new, 2025, 4, local(2026, 1, 8))
    # A report of a quarter the project was not valid in (stored before its termination was recorded) does not count.
    EnterpriseReport.objects.create(project=ended, year=2025, quarter=3, received_at=local(2026, 1, 30))
    year = statuses("2025", now=local(2026, 1, 20, 23, 59))["HNA"]
    assert (year.expected, year.received, year.deadline, year.status) == (
        8, 7, datetime.date(2026, 1, 20), Timeliness.PENDING,
    )  # fmt: skip
    assert statuses("2025", now=local(2026, 1, 21))["HNA"].status == Timeliness.MISSING
    half = statuses("2025-H2", now=local(2026, 1, 21))["HNA"]
    assert (half.expected, half.received, half.status) == (4, 3, Timeliness.MISSING)
    report(old, 2025, 4, local(2026, 1, 20, 10, 0))
    year = statuses("2025", now=local(2026, 2, 1))["HNA"]
    half = statuses("2025-H2", now=local(2026, 2, 1))["HNA"]
    assert (year.received, year.completed_at, year.status) == (8, local(2026, 1, 20, 10, 0), Timeliness.ON_TIME)
    assert (half.received, half.completed_at, half.status) == (4, local(2026, 1, 20, 10, 0), Timeliness.LATE)


def test_a_board_with_nothing_to_report_is_complete(hna, tbh_zone):
    status = statuses("2025-Q3", now=local(2026, 1, 1))["TBH"]
    assert (status.expected, status.received, status.percent, status.completed_at, status.status) == (
        0, 0, None, None, Timeliness.ON_TIME,
    )  # fmt: skip


def test_approval_is_shown_with_its_date(hna_projects):
    approve(hna_projects[0].zone.board, "2025-Q3", local(2025, 10, 16, 10, 0))
    assert statuses("2025-Q3", now=local(2026, 1, 1))["HNA"].approved_at == local(2025, 10, 16, 10, 0)
    assert statuses("2025-Q2", now=local(2026, 1, 1))["HNA"].approved_at is None


def test_months_have_no_deadline(hna):
    with pytest.raises(ValueError, match="no deadline for period 2025-M07"):
        deadlines.board_statuses(user=None, period_codes=["2025-M07"])


def test_the_periods_around_a_day():
    assert deadlines.current_and_previous(datetime.date(2026, 1, 10)) == [
        "2026-Q1", "2025-Q4", "2026-H1", "2025-H2", "2026", "2025",
    ]  # fmt: skip
    assert deadlines.current_and_previous(datetime.date(2025, 8, 31)) == [
        "2025-Q3", "2025-Q2", "2025-H2", "2025-H1", "2025", "2024",
    ]  # fmt: skip
    assert deadlines.recent_periods(datetime.date(2026, 2, 1)) == [
        "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1", "2024-Q4", "2024-Q3", "2024-Q2",
        "2026-H1", "2025-H2", "2025-H1", "2024-H2", "2026", "2025", "2024",
    ]  # fmt: skip
    assert deadlines.last_ended_quarter(datetime.date(2025, 10, 1)) == "2025-Q3"


def _board_with_projects(code, bloc, count, reported):
    board = BoardFactory(code=code, name=f"Ban Quản lý các KCN {code}", bloc_code=bloc)
    zone = ZoneFactory(code=f"{code}-Z", board=board)
    for index in range(count):
        project = make_project(zone, f"59{zlib.crc32(code.encode()) % 10**6:06d}{index:02d}")
        if index < reported:
            report(project, 2025, 3, local(2025, 10, 2 + index, 8, 0))
    return board


def test_every_board_and_period_in_four_queries(ministry_user, hna_projects, tbh_zone, django_assert_num_queries):
    _board_with_projects("HYN", "DBSH", 3, 2)
    with django_assert_num_queries(4):
        result = deadlines.board_statuses(user=ministry_user, period_codes=["2025-Q3", "2025-H2", "2025", "2024"])
    assert [s.board.code for s in result["2025"]] == ["HNA", "HYN", "TBH"]
    assert [(s.expected, s.received) for s in result["2025-Q3"]] == [(2, 0), (3, 2), (0, 0)]
    # A bloc's members (the boards' bloc_code when the emulation data has no record of the year): one more query.
    with django_assert_num_queries(5):
        result = deadlines.board_statuses(user=ministry_user, period_codes=["2025-Q3"], bloc="DBSH")
    assert [s.board.code for s in result["2025-Q3"]] == ["HNA", "HYN", "TBH"]


# --- the page --------------------------------------------------------------------------------------


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip())


def rows(html: str) -> dict[str, list[str]]:
    found = re.findall(r'<tr data-board="([^"]+)"[^>]*>(.*?)</tr>', html, re.S)
    return {code: [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for code, row in found}


@pytest.fixture
def page_data(hna_projects, tbh_zone):
    """2025-Q3: Hà Nam complete on time and approved, Thái Bình late, Hưng Yên missing, Cần Thơ nothing to report."""
    old, new, _ended = hna_projects
    report(old, 2025, 3, local(2025, 10, 1, 9, 0))
    report(new, 2025, 3, local(2025, 10, 15, 16, 30))
    report(make_project(tbh_zone, "5421000004"), 2025, 3, local(2025, 10, 20, 8, 15))
    hyn = BoardFactory(code="HYN", name="Ban Quản lý các KCN tỉnh Hưng Yên")
    make_project(ZoneFactory(code="HYN-PN", board=hyn), "5421000005")
    BoardFactory(code="CTO", name="Ban Quản lý các KCX và CN Cần Thơ", bloc_code="DBSCL")
    approve(old.zone.board, "2025-Q3", local(2025, 10, 16, 10, 0))


HNA_ROW = ["HNA", "Ban Quản lý các KCN tỉnh Hà Nam", "2", "2", "100,0 %", "15/10/2025 16:30", "15/10/2025",
           "Đủ, đúng hạn", "16/10/2025 10:00"]  # fmt: skip


def test_ministry_sees_every_board_with_its_status(client, ministry_user, page_data):
    client.force_login(ministry_user)
    response = client.get("/reports/deadlines/?period=2025-Q3")
    html = response.content.decode()
    assert response.status_code == 200
    assert list(rows(html)) == ["CTO", "HNA", "HYN", "TBH"]
    assert rows(html) == {
        "CTO": ["CTO", "Ban Quản lý các KCX và CN Cần Thơ", "0", "0", "–", "–", "15/10/2025", "Đủ, đúng hạn",
                "Chưa phê duyệt"],
        "HNA": HNA_ROW,
        "HYN": ["HYN", "Ban Quản lý các KCN tỉnh Hưng Yên", "1", "0", "0,0 %", "–", "15/10/2025", "Thiếu, quá hạn",
                "Chưa phê duyệt"],
        "TBH": ["TBH", "Ban Quản lý KKT và các KCN tỉnh Thái Bình", "1", "1", "100,0 %", "20/10/2025 08:15",
                "15/10/2025", "Đủ, muộn", "Chưa phê duyệt"],
    }  # fmt: skip
    assert re.findall(r'data-count="(\w+)">([^<]+)</span>', html) == [
        ("on_time", "Đủ, đúng hạn: 2"),
        ("late", "Đủ, muộn: 1"),
        ("missing", "Thiếu, quá hạn: 1"),
        ("pending", "Chưa đủ, chưa đến hạn: 0"),
    ]
    assert text(re.search(r"<p [^>]*data-summary>(.*?)</p>", html, re.S).group(1)) == (
        "Quý 3 năm 2025: hạn hoàn thành số liệu là hết ngày 15/10/2025. "
        "Mỗi dự án còn hiệu lực trong một quý của kỳ phải có báo cáo quý đó."
    )
    assert '<a href="/boards/HNA/reports/completeness/?year=2025">HNA</a>' in html


def test_the_bloc_filter_and_a_year(client, admin_user, page_data):
    client.force_login(admin_user)
    html = client.get("/reports/deadlines/?period=2025-Q3&bloc=DBSCL").content.decode()
    assert list(rows(html)) == ["CTO"]
    html = client.get("/reports/deadlines/?period=2025").content.decode()
    # The year expects Hà Nam's old project in four quarters, its new one in two, the terminated one in two.
    assert rows(html)["HNA"] == ["HNA", "Ban Quản lý các KCN tỉnh Hà Nam", "8", "2", "25,0 %", "–", "20/01/2026",
                                 "Thiếu, quá hạn", "Chưa phê duyệt"]  # fmt: skip


def test_board_staff_see_only_their_board(client, hna_staff, page_data):
    client.force_login(hna_staff)
    response = client.get("/reports/deadlines/?period=2025-Q3")
    assert response.status_code == 200
    assert rows(response.content.decode()) == {"HNA": HNA_ROW}


def test_a_user_without_a_board_sees_no_row(client, page_data):
    client.force_login(UserFactory(username="nobody"))
    html = client.get("/reports/deadlines/?period=2025-Q3").content.decode()
    assert rows(html) == {}
    assert "Không có Ban quản lý nào trong phạm vi đã chọn." in html


def test_anonymous_is_sent_to_login(client):
    response = client.get("/reports/deadlines/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/reports/deadlines/")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "2025-M07",
            "Kỳ '2025-M07' không có hạn báo cáo: chọn một quý, 6 tháng hoặc năm (ví dụ 2025-Q3, 2025-H1, 2025).",
        ),
        ("2025-Q5", "Mã kỳ '2025-Q5' không hợp lệ: số sau Q phải từ 1 đến 4."),
    ],
)
def test_a_period_without_a_deadline_is_refused(client, ministry_user, page_data, code, message):
    client.force_login(ministry_user)
    response = client.get(f"/reports/deadlines/?period={code}")
    html = response.content.decode()
    assert response.status_code == 200
    assert text(re.search(r'data-error="period">(.*?)</div>', html, re.S).group(1)) == message
    assert rows(html) == {} and "data-deadlines" not in html


def test_without_a_period_the_last_ended_quarter(client, ministry_user, hna):
    client.force_login(ministry_user)
    html = client.get("/reports/deadlines/").content.decode()
    code = deadlines.last_ended_quarter(timezone.localdate())
    assert f'name="period" value="{code}"' in html
    assert list(rows(html)) == ["HNA"]


def test_the_page_reads_two_or_six_boards_in_the_same_number_of_queries(client, ministry_user, hna_projects, tbh_zone):
    report(make_project(tbh_zone, "5421000004"), 2025, 3, local(2025, 10, 20, 8, 15))
    approve(tbh_zone.board, "2025-H2", local(2026, 1, 16, 9, 0))
    client.force_login(ministry_user)
    url = "/reports/deadlines/?period=2025-H2"
    client.get(url)  # the session and anything cached on first use
    with CaptureQueriesContext(connection) as two:
        html = client.get(url).content.decode()
    assert list(rows(html)) == ["HNA", "TBH"]
    for code in ("BNH", "HDG", "HYN", "VPC"):
        board = _board_with_projects(code, "DBSH", 3, 1)
        approve(board, "2025-H2", local(2026, 1, 16, 9, 0))
    with CaptureQueriesContext(connection) as six:
        html = client.get(url).content.decode()
    assert list(rows(html)) == ["BNH", "HDG", "HNA", "HYN", "TBH", "VPC"]
    assert rows(html)["HYN"][2:] == ["6", "1", "16,7 %", "–", "15/01/2026", "Thiếu, quá hạn", "16/01/2026 09:00"]
    assert len(six) == len(two)


def test_the_menu_links_the_page_for_the_ministry_and_board_people(client, ministry_user, hna_staff):
    # Board people see their own boards there (test_leaders_see_their_board_like_staff).
    link = '<a class="dropdown-item" href="/reports/deadlines/" data-nav="deadlines">Hạn nộp và tình hình báo cáo</a>'
    for user in (ministry_user, hna_staff):
        client.force_login(user)
        assert link in client.get("/").content.decode()


def test_leaders_see_their_board_like_staff(client, hna, page_data):
    leader = UserFactory(username="hna.leader2")
    MembershipFactory(user=leader, board=hna, role=MembershipRole.LEADER)
    client.force_login(leader)
    assert list(rows(client.get("/reports/deadlines/?period=2025-Q3").content.decode())) == ["HNA"]
