"""The Excel summary of a report snapshot (reports.exporters.summary_workbook) on the demo data.

Hà Nam, Thái Bình and Hà Nội are seeded and every 2019 report is built once for the module; the
board and bloc workbooks are written once too and read back with openpyxl (and LibreOffice).
"""

import datetime
import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.core.management import call_command

from kcn_portal import periods
from kcn_portal.indicators import CATALOGUE, GROUPS, by_group
from reports import exporters, scopes
from reports.engine import sources
from reports.models import ReportSnapshot
from reports.selectors import snapshots
from reports.services import builds
from tests.demo import demo_fixture
from tests.factories import make_project
from zones.models import Board, Zone

HEADER = [
    "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị", "Kỳ này", "Cùng kỳ năm trước", "Tăng/giảm (%)", "Kế hoạch năm",
    "Đạt (% kế hoạch)",
]  # fmt: skip
FIELDS = ("value", "previous", "growth_pct", "plan", "plan_pct")
ATTRACTION, VALID = str(GROUPS["attraction"]), str(GROUPS["valid"])

seeded = demo_fixture()


@pytest.fixture(scope="module")
def built(seeded, django_db_blocker):
    """Every 2019 report, inside the module's seeding transaction (rolled back with it)."""
    with django_db_blocker.unblock():
        builds.report_build(period=periods.parse("2019"))
    return seeded


def write(snapshot):
    """(detail rows, the workbook's bytes) of a snapshot."""
    handle = io.BytesIO()
    rows = exporters.summary_workbook(snapshot, handle)
    return rows, handle.getvalue()


@pytest.fixture(scope="module")
def files(built, django_db_blocker, tmp_path_factory):
    """The HNA and DBSH workbooks of 2019 (paths), with their snapshots and detail row counts."""
    folder = tmp_path_factory.mktemp("xlsx")
    out = {}
    with django_db_blocker.unblock():
        for scope in ("board:HNA", "bloc:DBSH"):
            snapshot = ReportSnapshot.objects.get(scope=scope, period="2019")
            path = folder / exporters.file_name(snapshot)
            with open(path, "wb") as handle:
                out[scope] = (snapshot, path, exporters.summary_workbook(snapshot, handle))
    return out


@pytest.fixture
def demo(built, db):
    return built


def load(path):
    return openpyxl.load_workbook(path)


def values(ws, first_row, last_row=None, width=None):
    return [list(row) for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=width, values_only=True)]


def expected_rows(snapshot, group):
    doc = snapshots.document(snapshot)["indicators"]
    return [
        [i.code, str(i.name), i.unit_label, *(doc[i.code][field] for field in FIELDS)]
        for i in CATALOGUE
        if i.group == group
    ]


# --- a board ------------------------------------------------------------------------------------


def test_the_workbook_has_a_cover_a_sheet_per_group_and_the_detail(demo, files):
    wb = load(files["board:HNA"][1])
    assert wb.sheetnames == ["Thông tin", *(str(label) for label in GROUPS.values()), "Chi tiết sự kiện"]
    assert exporters.file_name(files["board:HNA"][0]) == "bao-cao-board-HNA-2019-v1.xlsx"


def test_the_cover_names_scope_period_version_time_and_rate_rule(demo, files):
    snapshot, path, _rows = files["board:HNA"]
    ws = load(path)["Thông tin"]
    cover = {row[0]: row[1] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]}
    generated = snapshot.generated_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert cover["Phạm vi"] == "board:HNA — Ban Quản lý các khu công nghiệp tỉnh Hà Nam"
    assert cover["Kỳ báo cáo"] == "2019 — Năm 2019"
    assert (cover["Từ ngày"], cover["Đến ngày"]) == (datetime.datetime(2019, 1, 1), datetime.datetime(2019, 12, 31))
    assert cover["Phiên bản"] == 1
    assert cover["Tính lúc"] == generated.replace(tzinfo=None, second=0, microsecond=0)
    assert cover["Quy tắc tỷ giá"] == snapshot.rate_rule
    assert ws["B5"].number_format == "dd/mm/yyyy" and ws["B8"].number_format == "dd/mm/yyyy hh:mm"


def test_the_cover_prints_on_one_landscape_page_with_its_long_rule_readable(demo, files):
    snapshot, path, _rows = files["board:HNA"]
    ws = load(path)["Thông tin"]
    setup = (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight)
    assert setup == ("landscape", 9, 1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage is True  # A4
    rule_row = next(cell.row for cell in ws["A"] if cell.value == "Quy tắc tỷ giá")
    lines = -(-len(snapshot.rate_rule) // 95)  # the 100-character column holds 95 characters a line
    assert (lines > 1, ws.row_dimensions[rule_row].height) == (True, 15 * lines)
    assert (ws.cell(rule_row, 1).alignment.vertical, ws.cell(rule_row, 2).alignment.horizontal) == ("top", "left")


def test_a_board_sheet_holds_the_snapshot_figures_exactly(demo, files):
    snapshot, path, _rows = files["board:HNA"]
    ws = load(path)[ATTRACTION]
    assert values(ws, 3, 3) == [HEADER]
    assert values(ws, 4) == expected_rows(snapshot, "attraction")
    # The published 2019 figures of Hà Nam (DOMAIN.md §9): 67 new projects, 50 FDI, 17 DDI.
    assert [row[3] for row in values(ws, 4, 6)] == [67, 50, 17]


def test_every_group_sheet_of_a_board_equals_the_json_document(demo, files):
    snapshot, path, _rows = files["board:HNA"]
    wb = load(path)
    for group, label, _indicators in by_group():
        assert values(wb[label], 4) == expected_rows(snapshot, group), group
    assert values(wb[VALID], 4, 4)[0][:4] == ["valid_projects", "Số dự án còn hiệu lực", "số lượng", 410]


def test_number_formats_follow_the_unit(demo, files):
    ws = load(files["board:HNA"][1])[ATTRACTION]
    formats = {row[0].value: [cell.number_format for cell in row[3:8]] for row in ws.iter_rows(min_row=4)}
    assert formats["new_projects"] == ["#,##0", "#,##0", "0.00", "#,##0", "0.00"]
    assert formats["new_capital_fdi_vnd"][:2] == ["#,##0", "#,##0"]
    assert formats["new_capital_fdi_usd"][:2] == ["#,##0.00", "#,##0.00"]
    zones = {row[0].value: row[3].number_format for row in load(files["board:HNA"][1])[str(GROUPS["zones"])]}
    assert (zones["zone_area_ha"], zones["occupancy_pct"], zones["zones_total"]) == ("#,##0.00", "0.00", "#,##0")


def test_the_attraction_sheet_has_a_native_bar_chart(demo, files):
    path = files["board:HNA"][1]
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
        names = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
    assert names == ["xl/charts/chart1.xml"]
    assert "<barChart>" in chart and '<barDir val="col" />' in chart
    sheet = "'Thu hút đầu tư'!"
    assert re.findall("<f>(.*?)</f>", chart) == [  # series title, categories, values: this year, then last
        f"{sheet}D3", f"{sheet}$B$4:$B$6", f"{sheet}$D$4:$D$6", f"{sheet}E3", f"{sheet}$B$4:$B$6", f"{sheet}$E$4:$E$6",
    ]  # fmt: skip
    assert len(load(path)[ATTRACTION]._charts) == 1


def test_the_detail_sheet_lists_every_event_counted(demo, files):
    _snapshot, path, rows = files["board:HNA"]
    hna = Board.objects.get(code="HNA")
    expected = sources.events_in(periods.parse("2019"), [hna.pk]).count()
    ws = load(path)["Chi tiết sự kiện"]
    assert rows == expected == ws.max_row - 1
    assert sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if row[5] == "Cấp mới") == 67
    assert {row[0] for row in ws.iter_rows(min_row=2, values_only=True)} == {"HNA"}


def test_a_detail_row_shows_the_event_as_on_the_certificate(demo, files):
    ws = load(files["board:HNA"][1])["Chi tiết sự kiện"]
    header = [cell.value for cell in ws[1]]
    assert header == [
        "Mã Ban", "Mã khu", "Mã số dự án", "Tên dự án", "FDI/DDI", "Loại sự kiện", "Số GCNĐKĐT / quyết định",
        "Ngày", "Vốn đầu tư (đồng)", "Vốn đầu tư (USD)", "Vốn tăng/giảm (đồng)", "Vốn tăng/giảm (USD)",
        "Số tiền quy đổi theo tỷ giá",
    ]  # fmt: skip
    adjust = next(row for row in ws.iter_rows(min_row=2) if str(row[5].value).startswith("Điều chỉnh lần"))
    from investment.models import LicenceEvent

    event = LicenceEvent.objects.get(project__code=adjust[2].value, certificate_no=adjust[6].value, is_current=True)
    assert [cell.value for cell in adjust[7:12]] == [
        datetime.datetime.combine(event.event_date, datetime.time()),
        event.capital_vnd,
        float(event.capital_usd) if event.capital_usd is not None else None,
        event.capital_change_vnd,
        float(event.capital_change_usd) if event.capital_change_usd is not None else None,
    ]
    assert [cell.number_format for cell in adjust[7:10]] == ["dd/mm/yyyy", "#,##0", "#,##0.00"]


# --- a bloc -------------------------------------------------------------------------------------


def test_a_bloc_sheet_has_a_row_per_member_and_a_total_equal_to_the_document(demo, files):
    snapshot, path, _rows = files["bloc:DBSH"]
    ws = load(path)[ATTRACTION]
    indicators = [i for i in CATALOGUE if i.group == "attraction"]
    first = 4 + len(indicators)  # a blank row after the indicator table, then the members' table
    assert values(ws, 4, first - 1, width=8) == expected_rows(snapshot, "attraction")
    assert values(ws, first + 1, first + 1)[0][0] == "Số liệu kỳ này theo từng Ban"
    assert values(ws, first + 3, first + 3)[0] == [None, None, *(i.code for i in indicators), None]
    members = values(ws, first + 4, first + 3 + len(snapshot.members))
    names = dict(Board.objects.values_list("code", "name"))
    assert members == [
        [code, names[code], *(snapshot.member_values[code][i.code] for i in indicators), "Chưa phê duyệt"]
        for code in snapshot.members
    ]
    doc = snapshots.document(snapshot)["indicators"]
    total = values(ws, first + 4 + len(snapshot.members), first + 4 + len(snapshot.members))[0]
    assert total == ["Tổng cộng", "Khối thi đua DBSH", *(doc[i.code]["value"] for i in indicators), None]


def test_a_bloc_lists_its_eleven_members_with_the_three_seeded_boards_figures(demo, files):
    snapshot, path, _rows = files["bloc:DBSH"]
    ws = load(path)[ATTRACTION]
    rows = {row[0]: row for row in ws.iter_rows(min_row=34, values_only=True) if row[0]}
    assert len(snapshot.members) == 11 and set(snapshot.members) <= set(rows)
    assert rows["HNA"][2] == 67 and rows["QNH"][2] == 0
    assert rows["Tổng cộng"][2] == sum(rows[code][2] for code in snapshot.members)


def test_a_bloc_ratio_total_is_the_bloc_ratio_not_a_sum(demo, files):
    snapshot, path, _rows = files["bloc:DBSH"]
    ws = load(path)[str(GROUPS["zones"])]
    header = next(row for row in ws.iter_rows(values_only=True) if row[0] is None and "occupancy_pct" in row)
    column = header.index("occupancy_pct")
    total = next(row for row in ws.iter_rows(values_only=True) if row[0] == "Tổng cộng")
    assert total[column] == snapshot.indicators["occupancy_pct"]["value"]
    assert total[column] != sum(snapshot.member_values[code]["occupancy_pct"] for code in snapshot.members)


def test_a_bloc_has_the_chart_of_new_projects_per_board(demo, files):
    snapshot, path, _rows = files["bloc:DBSH"]
    first, last = 4 + 26 + 4, 4 + 26 + 3 + len(snapshot.members)
    with zipfile.ZipFile(path) as archive:
        charts = sorted(name for name in archive.namelist() if name.startswith("xl/charts/chart"))
        per_board = archive.read(charts[1]).decode()
    assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
    sheet = "'Thu hút đầu tư'!"
    assert re.findall("<f>(.*?)</f>", per_board) == [f"{sheet}$A${first}:$A${last}", f"{sheet}$C${first}:$C${last}"]


def test_the_bloc_cover_lists_its_member_boards(demo, files):
    ws = load(files["bloc:DBSH"][1])["Thông tin"]
    rows = [row for row in ws.iter_rows(min_row=12, values_only=True) if row[1]]
    assert rows[0] == ("Các Ban thành viên (11)", "BNH — " + Board.objects.get(code="BNH").name)
    assert [row[1].split(" — ")[0] for row in rows] == sorted(files["bloc:DBSH"][0].members)


def test_the_bloc_detail_sheet_lists_the_events_of_every_member(demo, files):
    snapshot, path, rows = files["bloc:DBSH"]
    ids = list(Board.objects.filter(code__in=snapshot.members).values_list("pk", flat=True))
    ws = load(path)["Chi tiết sự kiện"]
    assert rows == sources.events_in(periods.parse("2019"), ids).count() == ws.max_row - 1
    assert sorted({row[0] for row in ws.iter_rows(min_row=2, values_only=True)}) == ["HNA", "HNI", "TBH"]


# --- LibreOffice --------------------------------------------------------------------------------


def libreoffice_roundtrip(path, folder):
    """Open the file in LibreOffice (headless) and save it again as .xlsx; the new file's path."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the workbook was not opened in LibreOffice")
    profile = folder / "profile"  # its own profile: other soffice processes on the machine do not interfere
    command = [
        soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
        "--convert-to", "xlsx", "--outdir", str(folder / "out"), str(path),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    converted = folder / "out" / path.name
    assert done.returncode == 0 and converted.exists(), done.stdout + done.stderr
    return converted


def test_libreoffice_opens_the_bloc_workbook_and_reads_the_same_values(demo, files, tmp_path):
    _snapshot, path, rows = files["bloc:DBSH"]
    converted = openpyxl.load_workbook(libreoffice_roundtrip(path, tmp_path))
    original = load(path)
    assert converted.sheetnames == original.sheetnames
    for label in (ATTRACTION, VALID, str(GROUPS["zones"]), str(GROUPS["enterprises"])):
        assert values(converted[label], 3) == values(original[label], 3), label
    assert converted["Chi tiết sự kiện"].max_row == rows + 1
    assert converted[ATTRACTION]["D4"].number_format == "#,##0"
    with zipfile.ZipFile(tmp_path / "out" / path.name) as archive:
        assert sum(name.startswith("xl/charts/chart") for name in archive.namelist()) == 2


# --- small cases --------------------------------------------------------------------------------


def board_report(period):
    builds.report_build(period=periods.parse(period), targets=[scopes.Scope(scopes.BOARD, "HNA")])
    return ReportSnapshot.objects.filter(scope="board:HNA", period=period).order_by("-version").first()


def test_text_that_looks_like_a_formula_stays_text(demo):
    zone = Zone.objects.filter(board__code="HNA").order_by("code").first()
    make_project(zone, "5429999999", project_name='=HYPERLINK("http://x","bấm")', event_date=datetime.date(2019, 5, 2))
    _rows, data = write(board_report("2019"))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Chi tiết sự kiện"]
    cell = next(row[3] for row in ws.iter_rows(min_row=2) if row[2].value == "5429999999")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x","bấm")', "s", True)


def test_progress_is_reported_in_order(demo, files, monkeypatch):
    monkeypatch.setattr(exporters, "PROGRESS_EVERY", 100)
    seen = []
    rows = exporters.summary_workbook(files["board:HNA"][0], io.BytesIO(), progress=seen.append)
    assert seen == [5, 8, 12, 16, 20, *(20 + 70 * n // rows for n in range(100, rows + 1, 100)), 90, 95]


def test_an_empty_figure_is_an_empty_cell(demo):
    # A month does not cover a quarter: the enterprise figures are not available, never 0.
    _rows, data = write(board_report("2019-M07"))
    ws = openpyxl.load_workbook(io.BytesIO(data))[str(GROUPS["enterprises"])]
    assert values(ws, 4, 4) == [["revenue_vnd", "Doanh thu", "đồng", None, None, None, None, None]]
    assert ws["D4"].number_format == "#,##0"


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2019", "Năm 2019"),
        ("2019-H1", "6 tháng đầu năm 2019"),
        ("2019-H2", "6 tháng cuối năm 2019"),
        ("2019-Q3", "Quý 3 năm 2019"),
        ("2019-M07", "Tháng 7 năm 2019"),
        ("2019-YTD11", "11 tháng năm 2019"),
    ],
)
def test_period_labels(code, label):
    assert periods.parse(code).label == label


def test_the_report_command_writes_the_same_workbook(demo, files, tmp_path):
    out = tmp_path / "hna.xlsx"
    call_command("report", scope="board:HNA", period="2019", file_format="xlsx", out=str(out))
    assert values(load(out)[ATTRACTION], 4) == values(load(files["board:HNA"][1])[ATTRACTION], 4)
