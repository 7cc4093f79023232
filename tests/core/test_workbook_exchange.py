"""The browser side of the data-exchange workbook: a board's export, the blank template, damaged uploads."""

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from investment.models import EnterpriseReport, LicenceEvent, Project
from kcn_portal.core.models import AuditRecord, TaskRun
from kcn_portal.core.workbook import import_workbook, template_workbook
from reports.models import Plan
from tests.core.test_upload import text_of
from tests.factories import make_project
from tests.fixtures.workbooks import read_sheets
from zones.models import Board, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_boards(hna_zone, tbh_zone):
    make_project(hna_zone, code="5421000001")
    make_project(tbh_zone, code="5421000009")


def export_as(client, user, board, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post("/workbook/export/", {"board": board})


def test_hna_staff_exports_only_hna_rows(client, hna_staff, two_boards, django_capture_on_commit_callbacks, tmp_path):
    response = export_as(client, hna_staff, "HNA", django_capture_on_commit_callbacks)
    run = TaskRun.objects.get(kind="workbook_export")
    assert (response.url, run.status, run.result["sheets"]["licences"]) == (f"/tasks/{run.pk}/", "succeeded", 1)
    download = client.get(f"/workbook/export/{run.pk}/download/")
    (tmp_path / "hna.xlsx").write_bytes(b"".join(download.streaming_content))
    sheets = read_sheets(tmp_path / "hna.xlsx")
    assert [row[0] for row in sheets["boards"][1:]] == ["HNA"]
    assert [row[2] for row in sheets["zones"][1:]] == ["HNA"]
    assert [row[0] for row in sheets["licences"][1:]] == ["5421000001"]
    assert download["Content-Disposition"] == 'attachment; filename="du-lieu-hna.xlsx"'


def test_another_boards_export_is_404(client, tbh_staff, two_boards, django_capture_on_commit_callbacks):
    assert export_as(client, tbh_staff, "HNA", django_capture_on_commit_callbacks).status_code == 404
    assert export_as(client, tbh_staff, "*", django_capture_on_commit_callbacks).status_code == 404
    assert TaskRun.objects.count() == 0


def test_the_picker_offers_the_ministry_every_board_and_all(client, ministry_user, two_boards):
    client.force_login(ministry_user)
    html = client.get("/workbook/export/?board=TBH").content.decode()
    options = re.findall(r'<option value="([^"]+)"( selected)?>', html)
    assert options == [("*", ""), ("HNA", ""), ("TBH", " selected")]


def test_the_blank_template_has_keys_titles_and_an_example_that_imports(client, hna_staff, tmp_path):
    client.force_login(hna_staff)
    (tmp_path / "template.xlsx").write_bytes(client.get("/workbook/template.xlsx").content)
    sheets = read_sheets(tmp_path / "template.xlsx")
    assert sheets["plans"] == [
        ("board_code", "year", "indicator", "value"),
        ("Mã Ban quản lý", "Năm", "Chỉ tiêu", "Giá trị kế hoạch"),
        ("VD", 2021, "new_projects", 5),
    ]
    result = import_workbook(tmp_path / "template.xlsx")  # the system: it may create the example board
    assert (result.errors, {name: counts.created for name, counts in result.sheets.items()}) == (
        [],
        {"boards": 1, "zones": 1, "licences": 1, "enterprise_reports": 1, "plans": 1},
    )
    event = LicenceEvent.objects.get(project__code="5499000001")
    assert (event.capital_vnd, str(event.capital_usd), str(event.land_area_ha)) == (230 * 10**9, "10000000.00", "2.50")
    assert EnterpriseReport.objects.get(project__code="5499000001", year=2021, quarter=2).employees == 120
    assert (Zone.objects.get(code="VD-KCN1").board.code, Plan.objects.get(board__code="VD").value) == ("VD", 5)


def test_the_template_written_by_the_exporter_helper_is_row_one_keys(tmp_path):
    buffer = io.BytesIO()
    template_workbook(buffer)
    (tmp_path / "t.xlsx").write_bytes(buffer.getvalue())
    assert read_sheets(tmp_path / "t.xlsx")["enterprise_reports"][0][:3] == ("project_code", "period", "revenue_vnd")


# --- damaged workbooks: refused with a Vietnamese message, the stored file removed, nothing written ----


def _parts(tmp_path, hna_zone):
    make_project(hna_zone, code="5421000001")
    path = tmp_path / "real.xlsx"
    template_workbook(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _declare_smaller(path, part, size):
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]).decode() == part:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


SHEET = "xl/worksheets/sheet5.xml"  # plans, the fifth sheet


def damaged(kind, tmp_path, parts):
    if kind == "truncated":
        return _zip(tmp_path / "bad.xlsx", {**parts, SHEET: parts[SHEET][: len(parts[SHEET]) // 2]})
    if kind == "text_in_number":
        return _zip(tmp_path / "bad.xlsx", {**parts, SHEET: parts[SHEET].replace(b"<v>2021</v>", b"<v>abc</v>")})
    return _declare_smaller(_zip(tmp_path / "bad.xlsx", parts), SHEET, 100)


MESSAGES = {
    "truncated": "Tệp bị hỏng ở thành phần xl/worksheets/sheet5.xml: nội dung XML bị cắt cụt hoặc sai cú pháp. "
    "Hãy lưu lại tệp bằng Excel hoặc LibreOffice rồi tải lên lại. Không có gì được ghi.",
    "text_in_number": "Tệp bị hỏng ở trang tính 'plans', sau dòng 2: một ô kiểu số chứa chữ 'abc'. Hãy mở tệp "
    "bằng Excel hoặc LibreOffice, sửa ô đó, lưu lại rồi tải lên lại. Không có gì được ghi.",
    "larger_than_declared": "Tệp bị hỏng hoặc đã bị sửa: thành phần xl/worksheets/sheet5.xml giải nén ra nhiều "
    "hơn kích thước 100 byte mà thư mục nén khai báo. Không có gì được ghi.",
}


@pytest.mark.parametrize("kind", list(MESSAGES))
def test_a_damaged_workbook_is_refused_and_its_upload_removed(
    kind, client, admin_user, hna_zone, tmp_path, django_capture_on_commit_callbacks
):
    path = damaged(kind, tmp_path, _parts(tmp_path, hna_zone))
    counts = (Board.objects.count(), Project.objects.count(), AuditRecord.objects.count())
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/workbook/upload/", {"file": SimpleUploadedFile(f"damaged-{kind}.xlsx", path.read_bytes())}
        )
    run = TaskRun.objects.get()
    html = client.get(response.url).content.decode()
    assert text_of(html, r"data-refusal>(.*?)</p>") == MESSAGES[kind]
    assert (run.status, run.error, run.input_file.name) == ("failed", MESSAGES[kind], "")
    assert list(Path(settings.MEDIA_ROOT).rglob(f"damaged-{kind}*.xlsx")) == []  # other tests keep their own uploads
    assert (Board.objects.count(), Project.objects.count(), AuditRecord.objects.count()) == counts
