"""Hostile-file checks of the safe workbook reader, and the formula-safe writer."""

import datetime
import io
import zipfile
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kcn_portal.core import xlsx
from tests.fixtures.workbooks import build_workbook

MINIMAL_PARTS = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}


def make_zip(path, entries: dict[str, bytes | str]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if openpyxl is ever asked to parse: the checks must refuse the file first."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def refused(path_or_file) -> str:
    with pytest.raises(xlsx.WorkbookError) as exc:
        xlsx.open_workbook(path_or_file)
    return str(exc.value)


def test_openpyxl_parses_xml_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_valid_workbook_opens_read_only_from_path_and_upload(tmp_path):
    path = build_workbook(tmp_path / "ok.xlsx", {"boards": [("code",), ("HNA",)]})
    wb = xlsx.open_workbook(path)
    assert (wb.read_only, wb.sheetnames, list(wb["boards"].iter_rows(values_only=True))) == (
        True,
        ["boards"],
        [("code",), ("HNA",)],
    )
    wb.close()
    upload = SimpleUploadedFile("ok.xlsx", path.read_bytes())
    wb = xlsx.open_workbook(upload)
    assert wb["boards"]["A2"].value == "HNA"
    wb.close()


def test_text_file_renamed_xlsx_is_refused_by_its_bytes(tmp_path, no_parsing):
    path = tmp_path / "boards.xlsx"
    path.write_text("code,name\nHNA,Hà Nam\n", encoding="utf-8")
    assert refused(path) == "Tệp không phải là bảng tính Excel (.xlsx)."


def test_empty_file_is_refused(tmp_path, no_parsing):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert refused(tmp_path / "empty.xlsx") == "Tệp rỗng."


def test_old_xls_or_encrypted_file_is_refused_with_advice(no_parsing):
    message = refused(io.BytesIO(xlsx.OLE_MAGIC + b"\x00" * 508))
    assert message == (
        "Tệp Excel 97-2003 (.xls) hoặc tệp có mật khẩu chưa được hỗ trợ; hãy lưu lại thành .xlsx không mật khẩu."
    )


def test_too_large_file_is_refused_before_reading(settings, no_parsing):
    settings.KCN_UPLOAD_MAX_BYTES = 1024 * 1024
    assert refused(io.BytesIO(b"PK\x03\x04" + b"\x00" * (1536 * 1024))) == "Tệp quá lớn: 1,5 MB, tối đa 1,0 MB."


def test_zip_that_is_not_a_workbook_is_refused(tmp_path, no_parsing):
    path = make_zip(tmp_path / "photos.xlsx", {"readme.txt": "hello", "[Content_Types].xml": "<Types/>"})
    assert refused(path) == "Tệp nén không chứa bảng tính Excel (.xlsx)."


def test_corrupt_zip_is_refused(no_parsing):
    assert refused(io.BytesIO(b"PK\x03\x04" + b"garbage" * 100)) == "Tệp .xlsx bị hỏng, không đọc được."


def test_zip_with_too_many_entries_is_refused_before_parsing(tmp_path, no_parsing):
    entries = {**MINIMAL_PARTS, **{f"xl/media/image{i}.png": b"" for i in range(199)}}
    assert refused(make_zip(tmp_path / "many.xlsx", entries)) == "Tệp có quá nhiều thành phần: 201, tối đa 200."


def test_zip_bomb_is_refused_by_declared_uncompressed_size(tmp_path, settings, no_parsing):
    settings.KCN_XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    path = make_zip(tmp_path / "bomb.xlsx", {**MINIMAL_PARTS, "xl/worksheets/sheet1.xml": b"0" * (3 * 1024 * 1024)})
    assert path.stat().st_size < 10_000  # 3 MB of zeros squeeze into a few kilobytes
    assert refused(path) == "Tệp giải nén quá lớn: 3,0 MB, tối đa 1,0 MB."


def test_zip_with_workbook_parts_but_broken_xml_is_refused(tmp_path):
    path = make_zip(tmp_path / "broken.xlsx", {**MINIMAL_PARTS, "xl/workbook.xml": "<not-closed"})
    assert refused(path) == "Không đọc được bảng tính: tệp .xlsx bị hỏng hoặc không đúng định dạng."


def test_xml_entity_expansion_is_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><workbook>&b;</workbook>'
    )
    real = build_workbook(tmp_path / "real.xlsx", {"boards": [("code",)]})
    with zipfile.ZipFile(real) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    path = make_zip(tmp_path / "entities.xlsx", {**parts, "xl/workbook.xml": bomb})
    with pytest.raises(xlsx.WorkbookError) as exc:
        xlsx.open_workbook(path)
    chain, error = [], exc.value
    while error is not None:
        chain.append(type(error).__name__)
        error = error.__cause__ or error.__context__
    assert chain == ["WorkbookError", "ValueError", "EntitiesForbidden"]  # defusedxml stopped it


def _written(tmp_path, *values, number_format=None):
    wb = xlsx.new_workbook()
    ws = xlsx.add_sheet(wb, "data", ["value"], [20])
    for value in values:
        ws.append([xlsx.safe_cell(ws, value, number_format=number_format)])
    xlsx.save_workbook(wb, tmp_path / "out.xlsx")
    return openpyxl.load_workbook(tmp_path / "out.xlsx")["data"]


def test_formula_looking_text_is_stored_as_text(tmp_path):
    texts = ["=1+1", "+84 226", "-5", "@SUM(A1)", "\t=cmd", "Hà Nam"]
    ws = _written(tmp_path, *texts)
    cells = [ws.cell(row=i, column=1) for i in range(2, 2 + len(texts))]
    assert [(cell.value, cell.data_type) for cell in cells] == [(text, "s") for text in texts]
    assert [cell.quotePrefix for cell in cells] == [True, True, True, True, True, False]


def test_carriage_return_first_is_text_too(tmp_path):
    cell = _written(tmp_path, "\r=1+1")["A2"]
    # XML turns a bare CR into LF when the file is read; the cell stays text.
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("\n=1+1", "s", True)


def test_header_is_bold_and_frozen_with_widths(tmp_path):
    ws = _written(tmp_path)
    assert (ws["A1"].value, ws["A1"].font.b, ws.freeze_panes, ws.column_dimensions["A"].width) == (
        "value",
        True,
        "A2",
        20,
    )


def test_dates_are_real_excel_dates(tmp_path):
    aware = datetime.datetime(2019, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC"))
    ws = _written(tmp_path, datetime.date(2019, 9, 12), aware)
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].number_format) == (
        datetime.datetime(2019, 9, 12),
        "d",
        "DD/MM/YYYY",
    )
    # Stored as Hà Nội wall-clock time (UTC+7).
    assert (ws["A3"].value, ws["A3"].number_format) == (datetime.datetime(2020, 1, 1, 0, 30), "DD/MM/YYYY HH:MM")


def test_numbers_keep_their_type_and_control_characters_are_dropped(tmp_path):
    ws = _written(tmp_path, 1234.5, "Đồng\x00 Văn\x1f", number_format="#,##0.00")
    assert [(ws["A2"].value, ws["A2"].number_format), (ws["A3"].value, ws["A3"].data_type)] == [
        (1234.5, "#,##0.00"),
        ("Đồng Văn", "s"),
    ]


@pytest.mark.parametrize("part", ["xl/vbaProject.bin", "xl/activeX/activeX1.xml"])
def test_a_macro_enabled_workbook_renamed_xlsx_is_refused(tmp_path, no_parsing, part):
    path = make_zip(tmp_path / "macro.xlsx", {**MINIMAL_PARTS, part: b"\x00" * 64})
    assert refused(path) == (
        "Tệp có chứa macro (VBA) hoặc điều khiển ActiveX nên không được nhận; "
        "hãy lưu lại dạng không có macro (.xlsx hoặc .docx) rồi tải lên."
    )
