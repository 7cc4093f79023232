"""The Excel export of the project list: exactly the filtered rows, Vietnamese headers, formats, formula-safe text."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from investment.services import licences as services
from tests.factories import make_project

D = datetime.date
HEADER = [
    "Mã số dự án", "Tên dự án", "Ban quản lý", "Mã khu", "Tên khu", "Nhà đầu tư chính", "Mã quốc gia",
    "Quốc gia/vùng lãnh thổ", "Loại dự án", "Ngành VSIC", "Tình trạng", "Ngày cấp mới", "Ngày chấm dứt",
    "Vốn đăng ký (đồng)", "Vốn đăng ký (USD)", "Số tiền quy đổi theo tỷ giá", "Diện tích đất (ha)",
]  # fmt: skip


@pytest.fixture
def projects(hna_zone, hna_staff, tbh_zone):
    first = make_project(hna_zone, "5421000001", user=hna_staff, land_area_ha=Decimal("12.5"))
    services.licence_terminate(
        user=hna_staff, project=first, certificate_no="QĐ-1", event_date=D(2022, 5, 5), termination_ground="board"
    )
    # No USD on the certificate: derived with the 2021 rate of the catalogue (23.160 đồng per USD).
    make_project(
        hna_zone, "5421000002", user=hna_staff, kind="ddi", event_date=D(2021, 7, 1), capital_usd=None,
        capital_vnd=2_316_000_000, project_name='=HYPERLINK("http://evil.example","Bấm vào")',
        investors=[{"name": "@SUM(A1)", "country": "VN", "share_pct": Decimal("100")}],
    )  # fmt: skip
    make_project(tbh_zone, "5421000009")


def export(client, query=""):
    response = client.get(f"/projects/export.xlsx{query}")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return b"".join(response.streaming_content)


def test_export_writes_exact_cells_with_formats(client, hna_staff, projects):
    client.force_login(hna_staff)
    ws = openpyxl.load_workbook(io.BytesIO(export(client)))["Dự án"]
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert rows[0] == HEADER
    assert rows[1] == [
        "5421000002", '=HYPERLINK("http://evil.example","Bấm vào")', "HNA", "HNA-DV1", "KCN Đồng Văn I", "@SUM(A1)",
        "VN", "Việt Nam", "DDI", None, "Còn hiệu lực", datetime.datetime(2021, 7, 1), None, 2_316_000_000, 100000,
        "USD quy đổi từ VND", None,
    ]  # fmt: skip
    assert rows[2][:2] == ["5421000001", "Dự án 5421000001"] and rows[2][6:] == [
        "KR", "Hàn Quốc", "FDI", None, "Đã chấm dứt", datetime.datetime(2019, 3, 15), datetime.datetime(2022, 5, 5),
        1_152_500_000_000, 50000000, "Không", 12.5,
    ]  # fmt: skip
    assert [ws.cell(2, c).number_format for c in (12, 14, 15)] == ["DD/MM/YYYY", "#,##0", "#,##0.00"]
    assert (ws.cell(2, 2).data_type, ws.cell(2, 6).data_type) == ("s", "s")  # text, never a formula
    assert ws.max_row == 3  # the other board's project is not there


def test_export_has_exactly_the_filtered_rows_of_every_page(client, hna_staff, hna_zone):
    for i in range(30):
        make_project(hna_zone, f"54210000{i:02d}", kind="fdi", user=hna_staff)
    make_project(
        hna_zone, "5421000099", kind="ddi", user=hna_staff,
        investors=[{"name": "Công ty Việt", "country": "VN", "share_pct": Decimal("100")}],
    )  # fmt: skip
    client.force_login(hna_staff)
    ws = openpyxl.load_workbook(io.BytesIO(export(client, "?kind=fdi&sort=-code&page=2")))["Dự án"]
    codes = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert codes == [f"54210000{i:02d}" for i in range(29, -1, -1)]


def test_calamine_reads_text_as_text(client, hna_staff, projects, tmp_path):
    client.force_login(hna_staff)
    path = tmp_path / "du-an.xlsx"
    path.write_bytes(export(client, "?country=VN"))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Dự án").to_python()
    assert rows[0] == HEADER
    assert rows[1][:2] == ["5421000002", '=HYPERLINK("http://evil.example","Bấm vào")']
    assert rows[1][5] == "@SUM(A1)"
    assert rows[1][11:16] == [D(2021, 7, 1), "", 2316000000.0, 100000.0, "USD quy đổi từ VND"]
    assert len(rows) == 2


def test_export_file_name_and_scope(client, tbh_staff, projects):
    client.force_login(tbh_staff)
    response = client.get("/projects/export.xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="du-an-')
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Dự án"]
    assert [row[0] for row in ws.iter_rows(min_row=2, values_only=True)] == ["5421000009"]
