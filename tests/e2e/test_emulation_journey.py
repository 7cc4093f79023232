# ruff: noqa: F811 — the bloc-year fixtures are imported from tests/emulation/conftest.py and used by name.
"""A bloc year in a real browser: Nam Định's staff self-score with evidence and its leader submits; the
Khối trưởng (Hà Nam) reviews, closes and publishes; the ministry sees the ranking and downloads the
score sheet, whose totals are read back (issue 5, must show).
"""

from decimal import Decimal

import openpyxl
import pytest

from emulation.models import Scorecard
from emulation.services import scoring
from tests.emulation.conftest import bloc_year, ndh, ndh_leader, ndh_staff, points, table, tbh_leader, year_end  # noqa: F401

from .test_licence_journey import login as first_login


def login(page, live_server, username):
    page.context.clear_cookies()  # sign the previous person out
    first_login(page, live_server, username)


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def card(year_end, code):
    return Scorecard.objects.get(round=year_end, board__code=code)


def prepare_the_others(year_end, tbh_leader, hna_leader):
    """Hà Nam and Thái Bình have self-scored, submitted and been reviewed already (through the services)."""
    for code, self_scores, reviewer, reviewed in (
        ("HNA", {"1.1": 9, "1.2": 5, "2.1": 18}, tbh_leader, {"1.1": 9, "1.2": 4.5, "2.1": 17}),  # 30.5
        ("TBH", {"1.1": 8, "1.2": 5, "2.1": 19}, hna_leader, {"1.1": 8, "1.2": 5, "2.1": 18.25}),  # 31.25
    ):
        scorecard = card(year_end, code)
        scoring.scorecard_self_save(user=None, scorecard=scorecard, scores=points(scorecard, self_scores))
        scoring.scorecard_submit(user=None, scorecard=scorecard)
        scoring.scorecard_review(user=reviewer, scorecard=scorecard, reviews=points(scorecard, reviewed))


def test_a_bloc_year_is_scored_reviewed_published_and_downloaded(
    page, live_server, year_end, hna_leader, tbh_leader, ndh_staff, ndh_leader, ministry_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    prepare_the_others(year_end, tbh_leader, hna_leader)
    ndh_card = card(year_end, "NDH")
    ids = {s.criterion.code: s.criterion_id for s in ndh_card.scores.select_related("criterion")}
    card_url = f"{live_server.url}/emulation/DBSH/2025/year_end/NDH/"

    login(page, live_server, "ndh.staff")
    page.goto(card_url)
    for code, value in (("1.1", "9,75"), ("1.2", "5"), ("2.1", "19,5")):
        page.locator(f"[name=points_{ids[code]}]").fill(value)
    page.locator(f"[name=evidence_{ids['2.1']}]").fill("Báo cáo tổng kết phong trào năm 2025")
    page.locator("[data-action=self-save]").click()
    page.wait_for_load_state()
    stored = dict(ndh_card.scores.values_list("criterion__code", "self_points"))
    assert stored == {"1.1": Decimal("9.75"), "1.2": Decimal("5.00"), "2.1": Decimal("19.50")}
    evidence = tmp_path / "bao-cao.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    upload = page.locator('[data-criterion="2.1"] input[type=file]')
    upload.set_input_files(str(evidence))
    upload.locator("xpath=..").get_by_role("button", name="Tải lên").click()
    assert "bao-cao.pdf" in page.locator('[data-criterion="2.1"] [data-cell=evidence]').inner_text()

    login(page, live_server, "ndh.lead")
    page.goto(card_url)
    page.locator("[data-action=submit]").click()
    assert Scorecard.objects.get(pk=ndh_card.pk).status == "submitted"

    login(page, live_server, "hna.lead")
    page.goto(f"{live_server.url}/emulation/DBSH/2025/year_end/")
    page.get_by_role("link", name="NDH").first.click()
    for code, value in (("1.1", "9,5"), ("1.2", "5"), ("2.1", "18")):
        page.locator(f"[name=rpoints_{ids[code]}]").fill(value)
    page.locator(f"[name=comment_{ids['1.1']}]").fill("Thu hút đầu tư chưa đạt kế hoạch năm")
    page.locator("[data-action=review-save]").click()
    # Self and reviewed side by side, the difference highlighted.
    row = page.locator('[data-criterion="1.1"]')
    assert "table-warning" in row.get_attribute("class")
    page.goto(f"{live_server.url}/emulation/DBSH/2025/year_end/")
    page.locator("[data-action=close]").click()
    page.locator("[data-action=publish]").click()

    login(page, live_server, "ministry")
    page.goto(f"{live_server.url}/emulation/DBSH/2025/year_end/")
    ranked = [
        (row.get_attribute("data-ranked"), row.locator("[data-cell=total]").inner_text().strip())
        for row in page.locator("[data-ranking] tbody tr").all()
    ]
    assert ranked == [("NDH", "32,50"), ("TBH", "31,25"), ("HNA", "30,50")]
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng điểm (Excel)").click()
    path = tmp_path / "scores.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True)["Bảng điểm"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    code, total, rank = header.index("Mã Ban"), header.index("Tổng điểm"), header.index("Xếp hạng")
    assert [(row[code], Decimal(str(row[total])), row[rank]) for row in rows[3:]] == [
        ("NDH", Decimal("32.5"), 1), ("TBH", Decimal("31.25"), 2), ("HNA", Decimal("30.5"), 3),
    ]  # fmt: skip
