"""The home page's shortcuts to the next tasks: missing reports and approvals of the last ended quarter."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.selectors import deadlines
from tests.factories import make_project


def tasks_of(html):
    block = re.search(r"data-next-tasks>(.*?)</div>", html, re.S)
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", block.group(1), re.S)]


@pytest.fixture
def project(hna_zone):
    return make_project(hna_zone, "5421000001")


def test_the_board_leader_sees_the_missing_report_and_the_approval(client, hna_leader, project):
    client.force_login(hna_leader)
    quarter = deadlines.last_ended_quarter(timezone.localdate())  # today 2026-12-07: 2026-Q3
    label = f"Quý {quarter[-1]}/{quarter[:4]}"
    assert tasks_of(client.get("/").content.decode()) == [
        f"Ban Quản lý các KCN tỉnh Hà Nam: 1 báo cáo doanh nghiệp {label} còn thiếu",
        f"Ban Quản lý các KCN tỉnh Hà Nam: số liệu {label} chờ lãnh đạo phê duyệt",
    ]


def test_staff_see_the_missing_report_only(client, hna_staff, project):
    client.force_login(hna_staff)
    [task] = deadlines.next_tasks(user=hna_staff, boards=[project.zone.board], today=datetime.date(2026, 12, 7))
    assert (task.period, task.missing, task.approve) == ("2026-Q3", 1, False)
    assert len(tasks_of(client.get("/").content.decode())) == 1


def test_nothing_to_do_shows_no_shortcuts(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    assert "data-next-tasks" not in client.get("/").content.decode()


def test_the_ministry_sees_how_many_boards_are_past_the_deadline(client, ministry_user, project, tbh_zone):
    assert deadlines.overdue_boards(user=ministry_user, today=datetime.date(2026, 12, 7)) == ("2026-Q3", 1)
    client.force_login(ministry_user)
    quarter = deadlines.last_ended_quarter(timezone.localdate())
    shown = tasks_of(client.get("/").content.decode())
    assert shown == [f"1 Ban chưa đủ báo cáo Quý {quarter[-1]}/{quarter[:4]} dù đã quá hạn"]


def test_the_shortcuts_cost_the_same_queries_for_one_project_or_two(client, hna_leader, project):
    client.force_login(hna_leader)
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    make_project(project.zone, "5421000002")
    with CaptureQueriesContext(connection) as two:
        client.get("/")
    assert len(two.captured_queries) == len(one.captured_queries)
