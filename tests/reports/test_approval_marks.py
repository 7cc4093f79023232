"""Approval marks on the report pages and in the Excel summary, and the ministry's acceptance (issue 7).

The bloc DBSH of these tests has Hà Nam and Thái Bình (tests/reports/conftest.py's ledger); Hà Nam's
leader approves 2019, Thái Bình's has not unless a test says so.
"""

import html as htmllib
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kcn_portal.periods import parse
from reports import exporters
from reports.models import ReportSnapshot, SummaryAcceptance
from reports.services import approval as approval_services
from reports.services import builds, staleness
from tests.factories import BoardFactory, MembershipFactory, UserFactory
from zones.enums import MembershipRole

BLOC = "/reports/bloc:DBSH/2019/"


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip())


def marked(html: str, attribute: str) -> str:
    """The text of the element carrying `attribute`."""
    return text(re.search(rf"<(\w+) [^>]*{attribute}[^>]*>(.*?)</\1>", html, re.S).group(2))


def last_cell(html: str, board: str) -> str:
    """The approval mark under the board's name in the members' table."""
    row = re.search(rf'<tr data-member="{board}">(.*?)</tr>', html, re.S).group(1)
    return text(re.search(r"<div [^>]*data-approval>(.*?)</div>", row, re.S).group(1))


def page(client, user, url=BLOC) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def leader_of(board):
    user = UserFactory(username=f"{board.code.lower()}.lead")
    MembershipFactory(user=user, board=board, role=MembershipRole.LEADER)
    return user


@pytest.fixture
def approved(ledger, hna, hna_leader):
    """Hà Nam approved 2019; every 2019 report built after it."""
    approval = approval_services.period_approve(user=hna_leader, board=hna, period="2019")
    builds.report_build(period=parse("2019"))
    return approval


def test_the_bloc_page_marks_each_member_and_counts_the_approvals(client, approved, ministry_user):
    html = page(client, ministry_user)
    assert (last_cell(html, "HNA"), last_cell(html, "TBH")) == (f"Đã phê duyệt {today()} (v1)", "Chưa phê duyệt")
    assert marked(html, "data-approval-count") == "1/2 Ban đã phê duyệt"
    assert marked(html, "data-acceptance") == "Bộ chưa tiếp nhận báo cáo tổng hợp kỳ này."
    assert "data-final" not in html and marked(html, "data-accept-form") == "Tiếp nhận báo cáo tổng hợp"


def test_a_board_page_says_who_approved_which_version(client, approved, hna_staff, admin_user):
    html = page(client, hna_staff, "/reports/board:HNA/2019/")
    assert marked(html, "data-board-approval") == f"Đã phê duyệt ngày {today()} bởi hna.lead, phiên bản 1"
    assert marked(page(client, admin_user, "/reports/board:TBH/2019/"), "data-board-approval") == "Chưa phê duyệt"
    assert "data-accept-form" not in page(client, hna_staff)  # board staff read the bloc but do not accept it


def test_months_show_no_approval_marks(client, approved, ministry_user):
    builds.report_build(period=parse("2019-M07"))
    html = page(client, ministry_user, "/reports/bloc:DBSH/2019-M07/")
    assert "data-approval" not in html and "data-accept-form" not in html
    assert "data-board-approval" not in page(client, ministry_user, "/reports/board:HNA/2019-M07/")


def test_the_ministry_accepts_only_once_every_member_approved(client, approved, tbh, ministry_user):
    client.force_login(ministry_user)
    refused = page(client, ministry_user, client.post(BLOC + "accept/")["Location"])
    assert "Các Ban chưa phê duyệt kỳ 2019: TBH." in refused and not SummaryAcceptance.objects.exists()
    approval_services.period_approve(user=leader_of(tbh), board=tbh, period="2019")
    staleness.reports_rebuild_stale()
    html = page(client, ministry_user, client.post(BLOC + "accept/")["Location"])
    version = ReportSnapshot.objects.filter(scope="bloc:DBSH", period="2019").order_by("-version").first().version
    assert f"Đã tiếp nhận báo cáo tổng hợp kỳ Năm 2019, phiên bản {version}." in html
    assert marked(html, "data-acceptance") == f"Bộ đã tiếp nhận ngày {today()} bởi ministry, phiên bản {version}."
    assert (marked(html, "data-approval-count"), marked(html, "data-final")) == (
        "2/2 Ban đã phê duyệt", "Tổng hợp chính thức")  # fmt: skip


def test_only_the_ministry_accepts(client, approved, hna_staff, tbh_staff):
    client.force_login(hna_staff)
    assert client.post(BLOC + "accept/").status_code == 403  # reads the bloc, may not accept it
    client.force_login(tbh_staff)
    assert client.post("/reports/board:HNA/2019/accept/").status_code == 404  # another board: not found
    assert not SummaryAcceptance.objects.exists()


def test_the_bloc_page_runs_the_same_queries_for_one_or_three_approvals(client, approved, tbh, ministry_user):
    nbh = BoardFactory(code="NBH")
    builds.report_build(period=parse("2019"))
    client.force_login(ministry_user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(BLOC).status_code == 200
    for board in (tbh, nbh):
        approval_services.period_approve(user=leader_of(board), board=board, period="2019")
    staleness.reports_rebuild_stale()
    with CaptureQueriesContext(connection) as three:
        html = client.get(BLOC).content.decode()
    assert (marked(html, "data-approval-count"), len(three)) == ("3/3 Ban đã phê duyệt", len(one))


# --- the Excel summary --------------------------------------------------------------------------


def workbook(scope: str, period: str = "2019"):
    snapshot = ReportSnapshot.objects.filter(scope=scope, period=period).order_by("-version").first()
    handle = io.BytesIO()
    exporters.summary_workbook(snapshot, handle)
    return openpyxl.load_workbook(io.BytesIO(handle.getvalue()))


def cover(wb) -> dict:
    return {row[0]: row[1] for row in wb["Thông tin"].iter_rows(min_row=3, values_only=True) if row[0]}


def test_the_bloc_workbook_marks_each_member_and_counts_them_on_the_cover(approved):
    wb = workbook("bloc:DBSH")
    ws = wb["Thu hút đầu tư"]
    header = next(row for row in ws.iter_rows(values_only=True) if row[0] == "Mã Ban")
    rows = {row[0]: row[len(header) - 1] for row in ws.iter_rows(values_only=True) if row[0] in ("HNA", "TBH")}
    assert (header[-1], header[2]) == ("Phê duyệt", "Số dự án cấp mới (số lượng)")  # the figures keep their columns
    assert rows == {"HNA": f"Đã phê duyệt {today()}", "TBH": "Chưa phê duyệt"}
    assert cover(wb)["Phê duyệt"] == "1/2 Ban đã phê duyệt"


def test_the_board_workbook_says_who_approved_and_a_month_says_nothing(approved):
    assert cover(workbook("board:HNA"))["Phê duyệt"] == f"Đã phê duyệt ngày {today()} bởi hna.lead, phiên bản 1"
    builds.report_build(period=parse("2019-M07"))
    month = workbook("bloc:DBSH", "2019-M07")
    assert "Phê duyệt" not in cover(month)
    assert "Phê duyệt" not in [cell.value for row in month["Thu hút đầu tư"].iter_rows() for cell in row]


def test_the_approvals_cost_the_workbook_one_query(approved):
    builds.report_build(period=parse("2019-M07"))
    counts = []
    for period in ("2019-M07", "2019"):
        snapshot = ReportSnapshot.objects.get(scope="bloc:DBSH", period=period)
        with CaptureQueriesContext(connection) as queries:
            exporters.summary_workbook(snapshot, io.BytesIO())
        counts.append(len(queries))
    assert counts[1] == counts[0] + 1
