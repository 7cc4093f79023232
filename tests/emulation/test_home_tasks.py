"""The home page's emulation shortcuts: a reviewer's submitted scorecards waiting, a member's draft card."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation import home
from emulation.enums import RoundStatus
from kcn_portal.core.home import Asker, Task
from tests.emulation.test_scoring_pages import card_of, review_form, submitted

ROUND = "Khối thi đua Đồng bằng sông Hồng 2025 – Tổng kết năm"
ROUND_URL = "/emulation/DBSH/2025/year_end/"


def shortcuts(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    block = re.search(r"data-next-tasks>(.*?)</ul>", html, re.S)
    return re.findall(r'<li><a href="([^"]*)">([^<]*)</a></li>', block.group(1)) if block else []


def tasks_of(user, today=datetime.date(2025, 12, 1)):
    boards = [membership.board for membership in user.memberships.select_related("board")]
    return home.home_tasks(Asker(user=user, boards=boards, overview=False, today=today))


def test_a_member_sees_its_draft_card_with_its_deadline_until_submitted(client, year_end, ndh_staff):
    card_of(year_end, "NDH")
    assert tasks_of(ndh_staff) == [
        Task(
            f"Ban Quản lý các KCN tỉnh Nam Định: phiếu tự chấm {ROUND} chưa gửi, hạn 15/12/2025",
            ROUND_URL + "NDH/",
        )
    ]
    late = f"Ban Quản lý các KCN tỉnh Nam Định: phiếu tự chấm {ROUND} chưa gửi, đã quá hạn 15/12/2025"
    assert [task.text for task in tasks_of(ndh_staff, today=datetime.date(2025, 12, 16))] == [late]
    assert (ROUND_URL + "NDH/", late) in shortcuts(client, ndh_staff)  # the page: today is past the deadline
    submitted(year_end, "NDH")
    assert tasks_of(ndh_staff) == []
    assert "data-next-tasks" not in client.get("/").content.decode()


def test_the_bloc_leader_sees_the_submitted_cards_to_review_until_reviewed(client, year_end, hna_leader):
    assert [task for task in tasks_of(hna_leader) if "thẩm định" in task.text] == []
    ndh = submitted(year_end, "NDH")
    submitted(year_end, "TBH")
    own = f"Ban Quản lý các KCN tỉnh Hà Nam: phiếu tự chấm {ROUND} chưa gửi, hạn 15/12/2025"
    assert tasks_of(hna_leader) == [
        Task(f"{ROUND}: 2 phiếu tự chấm đã gửi chờ thẩm định", ROUND_URL),
        Task(own, ROUND_URL + "HNA/"),
    ]
    page = shortcuts(client, hna_leader)
    assert (ROUND_URL, f"{ROUND}: 2 phiếu tự chấm đã gửi chờ thẩm định") in page
    client.post(ROUND_URL + "NDH/review/", review_form(ndh, {"1.1": ("9", ""), "1.2": ("5", ""), "2.1": ("20", "")}))
    assert tasks_of(hna_leader)[0] == Task(f"{ROUND}: 1 phiếu tự chấm đã gửi chờ thẩm định", ROUND_URL)


def test_the_member_reviewing_no_one_sees_no_review_task(year_end, ndh_leader):
    submitted(year_end, "HNA")
    submitted(year_end, "TBH")
    assert [task.text for task in tasks_of(ndh_leader)] == [
        f"Ban Quản lý các KCN tỉnh Nam Định: phiếu tự chấm {ROUND} chưa gửi, hạn 15/12/2025"
    ]


def test_a_round_no_longer_open_asks_nothing(year_end, ndh_staff):
    year_end.status = RoundStatus.CLOSED
    year_end.save(update_fields=["status"])
    assert tasks_of(ndh_staff) == []


def test_the_shortcuts_cost_the_same_queries_for_one_card_or_two(year_end, hna_leader):
    submitted(year_end, "NDH")
    tasks_of(hna_leader)  # the user's memberships are read once and kept on the user
    with CaptureQueriesContext(connection) as one:
        tasks_of(hna_leader)
    submitted(year_end, "TBH")
    with CaptureQueriesContext(connection) as two:
        tasks_of(hna_leader)
    assert len(two.captured_queries) == len(one.captured_queries) == 3  # boards, cards to review, drafts
