"""The emulation workbooks: a round's score sheet (and its download) and the year's award statistics.

The conftest bloc year is scored: NDH claims a bonus (2 points, the table's cap) and HNA a penalty
(2 points), so the totals are NDH 30 + 2 = 32, TBH 30, HNA 30 − 2 = 28.
"""

import csv
import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest

from emulation import exporters
from emulation.enums import AwardKind, AwardLevel, RecipientKind, RoundKind, RuleKind
from emulation.models import Scorecard, ScoringRound
from emulation.services import awards as awards_services
from emulation.services import scoring, years

from .conftest import points

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SELF = {"HNA": {"1.1": 9, "1.2": 5, "2.1": 18}, "TBH": {"1.1": 8, "1.2": 4.5, "2.1": 19},
        "NDH": {"1.1": 10, "1.2": 5, "2.1": 20}}  # fmt: skip
REVIEWED = {"HNA": {"1.1": 9, "1.2": 5, "2.1": 16}, "TBH": {"1.1": 8, "1.2": 4.5, "2.1": 17.5},
            "NDH": {"1.1": 9.75, "1.2": 5, "2.1": 15.25}}  # fmt: skip


def claims(card, kind, count):
    return {card.claims.get(rule__kind=kind).rule_id: {"count": count}}


@pytest.fixture
def scored(year_end):
    """Every card self-scored, submitted and reviewed (by the system); the round still open."""
    extra = {"NDH": (RuleKind.BONUS, 2), "HNA": (RuleKind.PENALTY, 1)}
    for code in ("HNA", "TBH", "NDH"):
        card = Scorecard.objects.get(round=year_end, board__code=code)
        claimed = claims(card, *extra[code]) if code in extra else {}
        scoring.scorecard_self_save(user=None, scorecard=card, scores=points(card, SELF[code]), claims=claimed)
        scoring.scorecard_submit(user=None, scorecard=card)
        scoring.scorecard_review(user=None, scorecard=card, reviews=points(card, REVIEWED[code]), claims=claimed)
    return year_end


@pytest.fixture
def closed(scored):
    scoring.round_close(user=None, scoring_round=scored)
    scored.refresh_from_db()
    return scored


def sheet(scoring_round):
    out = io.BytesIO()
    exporters.score_sheet(scoring_round, out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def row(ws, number):
    return [cell.value for cell in ws[number]]


def test_the_score_sheets_cover_prints_on_one_landscape_page_values_to_the_left(closed):
    ws = sheet(closed)["Thông tin"]
    setup = (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight)
    assert setup == ("landscape", 9, 1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage is True  # A4
    year = next(cell.row for cell in ws["A"] if cell.value == "Năm")
    assert (ws.cell(year, 2).value, ws.cell(year, 2).alignment.horizontal, ws.cell(year, 1).alignment.vertical) == (
        2025, "left", "top")  # fmt: skip


def test_the_score_sheet_headers_and_cover(closed):
    wb = sheet(closed)
    assert wb.sheetnames == ["Thông tin", "Bảng điểm", "Tiêu chí"]
    assert wb.properties.title == "Bảng tổng hợp điểm thi đua DBSH 2025"
    cover = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(min_row=3, values_only=True)}
    assert (cover["Năm"], cover["Đợt chấm"], cover["Trạng thái"]) == (2025, "Tổng kết năm", "Đã khóa chấm")
    ws = wb["Bảng điểm"]
    assert [ws["D1"].value, ws["J1"].value, ws["N1"].value] == [
        "1. Thực hiện nhiệm vụ chuyên môn", "2. Công tác thi đua, khen thưởng", "Tổng tự chấm"
    ]  # fmt: skip
    assert row(ws, 2)[3:13] == ["1.1 (10 điểm)", None, "1.2 (5 điểm)", None, "Cộng nhóm 1 (15 điểm)", None,
                                "2.1 (20 điểm)", None, "Cộng nhóm 2 (20 điểm)", None]  # fmt: skip
    assert row(ws, 3)[3:5] == ["Tự chấm", "Thẩm định"]
    assert (ws.freeze_panes, ws["E4"].number_format) == ("D4", "#,##0.00")


def test_a_closed_round_lists_members_in_rank_order_with_their_points(closed):
    ws = sheet(closed)["Bảng điểm"]
    assert [row(ws, n)[1] for n in (4, 5, 6)] == ["NDH", "TBH", "HNA"]
    assert row(ws, 4)[:19] == [1, "NDH", "Ban Quản lý các KCN tỉnh Nam Định", 10, 9.75, 5, 5, 15, 14.75, 20,
                               15.25, 20, 15.25, 35, 30, 2, 0, 32, 1]  # fmt: skip
    assert row(ws, 6)[13:20] == [32, 30, 0, 2, 28, 3, None]
    assert ws.max_row == 6


def test_an_open_round_shows_the_preview_in_member_order(scored):
    ws = sheet(scored)["Bảng điểm"]
    assert [(row(ws, n)[1], row(ws, n)[17], row(ws, n)[18]) for n in (4, 5, 6)] == [
        ("HNA", 28, 3), ("TBH", 30, 2), ("NDH", 32, 1)
    ]  # fmt: skip


def url(kind="year_end"):
    return f"/emulation/DBSH/2025/{kind}/scores.xlsx"


def downloaded(client, kind="year_end"):
    """The answer's status and, for a workbook, its members in the sheet's order with their totals."""
    response = client.get(url(kind))
    if response.status_code != 200:
        return response.status_code, []
    assert (response["Content-Type"], response["Cache-Control"]) == (XLSX, "private, no-store")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Bảng điểm"]
    return 200, [(ws.cell(n, 2).value, ws.cell(n, 18).value) for n in range(4, ws.max_row + 1)]


RANKED = [("NDH", 32), ("TBH", 30), ("HNA", 28)]


def test_members_download_the_score_sheet_only_once_published(client, closed, ndh_staff, hna_leader):
    client.force_login(ndh_staff)
    assert downloaded(client) == (404, [])
    client.force_login(hna_leader)  # the bloc leader manages the year: before publication too
    assert downloaded(client) == (200, RANKED)
    scoring.round_publish(user=None, scoring_round=closed)
    client.force_login(ndh_staff)
    assert client.get(url())["Content-Disposition"] == 'attachment; filename="bang-diem-DBSH-2025-year-end.xlsx"'
    assert downloaded(client) == (200, RANKED)
    assert downloaded(client, "mid_year") == (404, [])


def test_outsiders_get_404(client, closed, ministry_user, db):
    from tests.factories import BoardFactory, MembershipFactory, UserFactory

    scoring.round_publish(user=None, scoring_round=closed)
    outsider = UserFactory(username="qnh.staff")
    MembershipFactory(user=outsider, board=BoardFactory(code="QNH"), role="staff")
    client.force_login(outsider)
    assert downloaded(client) == (404, [])
    client.force_login(ministry_user)
    assert downloaded(client) == (200, RANKED)


def test_the_score_sheet_reads_as_many_queries_for_3_as_for_4_members(scored, bloc_year):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import BoardFactory

    members = [m.board for m in bloc_year.memberships.order_by("order")] + [BoardFactory(code="VPC")]
    year = years.bloc_year_save(user=None, bloc=bloc_year.bloc, year=2026, members=members,
                                   leader=bloc_year.leader, deputy=bloc_year.deputy)  # fmt: skip
    scoring.table_create(user=None, bloc_year=year)
    later = scoring.round_save(user=None, bloc_year=year, kind=RoundKind.YEAR_END,
                                opens_on=datetime.date(2026, 11, 1), closes_on=datetime.date(2026, 12, 1))  # fmt: skip
    scoring.round_open(user=None, scoring_round=later)

    def count(scoring_round):
        scoring_round = ScoringRound.objects.get(pk=scoring_round.pk)  # nothing cached from the fixtures
        with CaptureQueriesContext(connection) as queries:
            exporters.score_sheet(scoring_round, io.BytesIO())
        return len(queries)

    assert [row(sheet(later)["Bảng điểm"], n)[1] for n in (4, 5, 6, 7)] == ["HNA", "TBH", "NDH", "VPC"]
    assert count(later) == count(scored)


def test_libreoffice_reads_the_totals(closed, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the workbook was not opened in LibreOffice")
    path = tmp_path / "scores.xlsx"
    with open(path, "wb") as handle:
        exporters.score_sheet(closed, handle)
    # CSV of the second sheet ("Bảng điểm"): the 12th filter token picks the sheet (LibreOffice ≥ 7.2).
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2"
    command = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
               "--convert-to", csv_filter, "--outdir", str(tmp_path / "out"), str(path)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    produced = sorted((tmp_path / "out").glob("*.csv"))
    assert done.returncode == 0 and produced, done.stdout + done.stderr
    rows = list(csv.reader(produced[0].read_text(encoding="utf-8").splitlines()))
    assert produced[0].name == "scores-Bảng điểm.csv"
    assert [(r[1], r[13], r[14], r[17], r[18]) for r in rows[3:]] == [
        ("NDH", "35", "30", "32", "1"), ("TBH", "31.5", "30", "30", "2"), ("HNA", "32", "30", "28", "3")
    ]  # fmt: skip


# --- award statistics ---------------------------------------------------------------------------


@pytest.fixture
def awards(hna, tbh):
    def title(code, name, kind, level, order):
        return awards_services.award_title_save(user=None, code=code, name=name, kind=kind, level=level, order=order)

    t = {
        "CSTDCS": title("CSTDCS", "Chiến sĩ thi đua cơ sở", AwardKind.TITLE, AwardLevel.BASE, 1),
        "CO_BO": title("CO_BO", "Cờ thi đua của Bộ", AwardKind.TITLE, AwardLevel.PROVINCE, 2),
        "BK_BO": title("BK_BO", "Bằng khen của Bộ trưởng", AwardKind.COMMENDATION, AwardLevel.PROVINCE, 3),
    }
    person = awards_services.recipient_get_or_create
    hna_board = person(user=None, kind=RecipientKind.BOARD, board=hna, name=hna.name)
    hna_unit = person(user=None, kind=RecipientKind.UNIT, board=hna, name="Phòng Quản lý đầu tư")
    an = person(user=None, kind=RecipientKind.PERSON, board=hna, name="Nguyễn Văn An")
    binh = person(user=None, kind=RecipientKind.PERSON, board=tbh, name="=Trần Thị Bình")
    decide = awards_services.award_decision_save
    day = datetime.date(2025, 1, 15)
    decide(user=None, number="10/QĐ-BQL", date=day, issuer="Trưởng ban", title=t["CSTDCS"], year=2024,
           recipients=[an, binh])  # fmt: skip
    decide(user=None, number="20/QĐ-BKHĐT", date=day, issuer="Bộ trưởng", title=t["BK_BO"], year=2024,
           recipients=[hna_board, hna_unit, an])  # fmt: skip
    decide(user=None, number="21/QĐ-BKHĐT", date=day, issuer="Bộ trưởng", title=t["BK_BO"], year=2024,
           recipients=[binh])  # fmt: skip
    decide(user=None, number="5/QĐ-BKHĐT", date=day, issuer="Bộ trưởng", title=t["CO_BO"], year=2023,
           recipients=[hna_board])  # fmt: skip
    return t


def statistics(user, year=2024):
    out = io.BytesIO()
    exporters.award_statistics(year, out, user=user)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    return [list(r) for r in wb["Thống kê"].iter_rows(min_row=3, values_only=True)], wb["Quyết định"]


def test_award_statistics_count_decisions_and_recipients_per_title(awards, ministry_user):
    rows, decisions = statistics(ministry_user)
    assert rows == [
        ["STT", "Danh hiệu, hình thức khen thưởng", "Cấp", "Số quyết định", "Tập thể", "Cá nhân", "Tổng số"],
        ["I", "Danh hiệu thi đua", None, None, None, None, None],
        [1, "Chiến sĩ thi đua cơ sở", "Cơ sở", 1, 0, 2, 2],
        [2, "Cờ thi đua của Bộ", "Bộ, ngành, tỉnh", 0, 0, 0, 0],
        [None, "Cộng danh hiệu thi đua", None, 1, 0, 2, 2],
        ["II", "Hình thức khen thưởng", None, None, None, None, None],
        [1, "Bằng khen của Bộ trưởng", "Bộ, ngành, tỉnh", 2, 2, 2, 4],
        [None, "Cộng hình thức khen thưởng", None, 2, 2, 2, 4],
        [None, "Tổng cộng", None, 3, 2, 4, 6],
    ]
    assert [c.value for c in decisions[3]][1:9] == [
        "20/QĐ-BKHĐT", datetime.datetime(2025, 1, 15), "Bộ trưởng", "Bằng khen của Bộ trưởng", None,
        "Ban Quản lý các KCN tỉnh Hà Nam (HNA); Nguyễn Văn An (HNA); Phòng Quản lý đầu tư (HNA)", 2, 1,
    ]  # fmt: skip
    assert (decisions["G4"].value, decisions["G4"].quotePrefix) == ("=Trần Thị Bình (TBH)", True)


def test_a_board_counts_only_its_own_recipients(client, awards, hna_staff):
    client.force_login(hna_staff)
    response = client.get("/emulation/awards/statistics/2024.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="thong-ke-khen-thuong-2024.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in wb["Thống kê"].iter_rows(min_row=3, values_only=True)]
    assert rows[2] == [1, "Chiến sĩ thi đua cơ sở", "Cơ sở", 1, 0, 1, 1]
    assert rows[-1] == [None, "Tổng cộng", None, 2, 2, 2, 4]
    assert wb["Thống kê"]["A2"].value.startswith("Phạm vi: HNA.")


def test_award_statistics_read_a_fixed_number_of_queries(awards, hna, ministry_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            exporters.award_statistics(2024, io.BytesIO(), user=ministry_user)
        return len(queries)

    few = count()
    person = awards_services.recipient_get_or_create(user=None, kind=RecipientKind.PERSON, board=hna, name="Lê Văn C")
    for number in range(3):
        awards_services.award_decision_save(user=None, number=f"9{number}/QĐ", date=datetime.date(2025, 2, 1),
                                            issuer="Bộ trưởng", title=awards["CO_BO"], year=2024,
                                            recipients=[person])  # fmt: skip
    assert count() == few
