"""Hà Nội's staff (the largest demo board: 803 projects) fills the quarter grid of its biggest zone page by page:
what is typed on page 1 is still there after saving page 2, and is saved in turn; each stored value is exact."""

from decimal import Decimal
from pathlib import Path

import pytest

from investment import demo_data
from investment.models import EnterpriseReport
from tests.demo import ensure_rate_catalogue
from tests.factories import MembershipFactory, UserFactory
from web.management.commands.seed_demo import Tally, seed_boards, seed_zones
from zones.enums import MembershipRole
from zones.models import Board

from .test_licence_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
GRID = "/boards/HNI/reports/2025-Q3/?zone=HNI-QM"


@pytest.fixture
def largest_board(db):
    ensure_rate_catalogue()
    seed_boards(Tally())
    seed_zones(Tally())
    demo_data.seed_projects(Tally(), boards=("HNI",))
    board = Board.objects.get(code="HNI")
    MembershipFactory(user=UserFactory(username="hni.staff"), board=board, role=MembershipRole.STAFF)
    return board


def stored(code):
    report = EnterpriseReport.objects.filter(project__code=code, year=2025, quarter=3).first()
    return report and (report.revenue_vnd, report.export_usd, report.employees, report.version)


def test_a_page_is_saved_and_what_was_typed_on_another_is_kept(browser, live_server, largest_board):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, live_server, "hni.staff")
        page.goto(f"{live_server.url}{GRID}")
        rows = page.locator("tr[data-project]")
        assert rows.count() == 50
        first = rows.nth(0).get_attribute("data-project")
        rows.nth(0).locator("input[name$='-revenue_vnd']").fill("1250000000")

        page.get_by_role("link", name="Trang sau").first.click()
        page.wait_for_url(f"{live_server.url}{GRID}&page=2")
        banner = page.locator("[data-unsaved-banner]")
        assert banner.inner_text().startswith("Có 1 dòng chưa lưu ở trang khác: HNI-QM, trang 1: 1 dòng.")
        second = rows.nth(3).get_attribute("data-project")
        rows.nth(3).locator("input[name$='-export_usd']").fill("2500.75")
        rows.nth(3).locator("input[name$='-employees']").fill("120")
        page.get_by_role("button", name="Lưu trang này").click()
        page.wait_for_url(f"{live_server.url}{GRID}&page=2")
        assert page.locator(".alert-success").inner_text() == "Đã lưu 1 báo cáo."
        assert (stored(second), stored(first)) == ((None, Decimal("2500.75"), 120, 1), None)

        # Page 1 again: the typed value is back in its input, the row marked, and it saves exactly.
        banner.get_by_role("link").click()
        page.wait_for_url(f"{live_server.url}{GRID}")
        assert page.locator(f"tr[data-project='{first}'] input[name$='-revenue_vnd']").input_value() == "1250000000"
        assert page.locator("tr[data-restored]").evaluate_all("rows => rows.map(r => r.dataset.project)") == [first]
        assert banner.inner_text() == (
            "Các dòng tô vàng của trang này có giá trị bạn đã nhập trước đó mà chưa lưu; bấm “Lưu trang này” để lưu."
        )
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "quarter-grid-restored.png"))
        page.get_by_role("button", name="Lưu trang này").click()
        page.wait_for_url(f"{live_server.url}{GRID}")
        assert stored(first) == (1_250_000_000, None, None, 1)
        assert banner.is_hidden()
        assert page.evaluate("Object.keys(sessionStorage)") == []
    finally:
        context.close()
