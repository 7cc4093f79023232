"""The page of the demo's most complex project (Hà Nam's corrected example: 12 certificates, a correction,
32 quarterly reports) fits a 1366×768 screen: no horizontal scrolling of the page or of its ledger (issue 16)."""

import pytest

from investment import demo_data
from investment.models import LicenceEvent
from tests.demo import ensure_rate_catalogue
from web.management.commands.seed_demo import Tally, seed_boards, seed_memberships, seed_users, seed_zones
from zones.demo_data import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_largest_demo_project_fits_1366_pixels(browser, live_server):
    ensure_rate_catalogue()
    for seed in (seed_boards, seed_zones, seed_users, seed_memberships):
        seed(Tally())
    demo_data.seed_projects(Tally(), boards=("HNA",))
    demo_data.seed_examples(Tally(), boards=("HNA",))
    code = demo_data.example_codes(demo_data.board_demo("HNA"))[0]
    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("hna.staff")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/projects/{code}/")
    ledger = page.locator("[data-ledger]").locator("xpath=..")  # its .table-responsive wrapper
    widths = (
        page.evaluate("document.scrollingElement.scrollWidth"),
        ledger.evaluate("e => e.scrollWidth - e.clientWidth"),
    )
    # 13 stored events: 12 certificates and the corrected version of the first, shown in one row.
    events = LicenceEvent.objects.filter(project__code=code).count()
    assert (events, page.locator("[data-ledger] tbody[data-event]").count(), widths) == (13, 12, (1366, 0))
    assert page.locator("[data-correction]").count() == 1
