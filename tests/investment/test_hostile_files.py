"""Hostile files carrying investment data: refused before anything is written, or read as plain text.

The zip helpers are those of the safe reader's own tests (tests/core/test_xlsx.py).
"""

import random
import zipfile

import pytest
from django.apps import apps

from investment.models import LicenceEvent, Project
from kcn_portal.core import xlsx
from kcn_portal.core.workbook import import_workbook
from tests.core.test_xlsx import make_zip
from tests.factories import make_project
from tests.fixtures.workbooks import (
    REPORTS_HEADER,
    build_text_workbook,
    build_workbook,
    licence,
    licences_with,
)

pytestmark = pytest.mark.django_db

# Rows that would change the database if they were ever read: a correction and a new project.
SHEETS = {
    "licences": licences_with(licence(cert="5421000001-GCN", vnd=9 * 10**12), licence("5421000002")),
    "enterprise_reports": [REPORTS_HEADER, ("5421000001", "2019-Q2", 10**9)],
}
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    + '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&e;</sheets></workbook>'
)
UNREADABLE = "Không đọc được bảng tính: tệp .xlsx bị hỏng hoặc không đúng định dạng."


def model_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def stored(hna_zone):
    """Projects already in the database, and the row count of every model."""
    make_project(hna_zone)
    make_project(hna_zone, code="5421000003", capital_vnd=None)
    return model_counts()


def parts_of(tmp_path) -> dict[str, bytes]:
    real = build_workbook(tmp_path / "real.xlsx", SHEETS)
    with zipfile.ZipFile(real) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def refused(path) -> tuple[str, list[str]]:
    """The message a refused file gets, and the chain of exceptions behind it."""
    with pytest.raises(xlsx.WorkbookError) as exc:
        import_workbook(path)
    chain, error = [], exc.value
    while error is not None:
        chain.append(type(error).__name__)
        error = error.__cause__ or error.__context__
    return str(exc.value), chain


def test_the_rows_themselves_would_be_written(tmp_path, stored):
    # The control: without the hostile part, the same sheets import (and change the database).
    result = import_workbook(build_workbook(tmp_path / "ok.xlsx", SHEETS))
    assert (result.errors, {n: vars(c) for n, c in result.sheets.items()}) == (
        [],
        {
            "licences": {"created": 1, "updated": 1, "unchanged": 0},
            "enterprise_reports": {"created": 1, "updated": 0, "unchanged": 0},
        },
    )


def test_a_too_big_file_is_refused(tmp_path, settings, stored):
    settings.KCN_UPLOAD_MAX_BYTES = 1024 * 1024
    noise = random.Random(1).randbytes(1536 * 1024)  # random bytes do not compress
    path = make_zip(tmp_path / "big.xlsx", {**parts_of(tmp_path), "xl/media/image1.png": noise})
    assert refused(path)[0] == "Tệp quá lớn: 1,5 MB, tối đa 1,0 MB."
    assert model_counts() == stored


def test_a_zip_bomb_is_refused(tmp_path, settings, stored):
    settings.KCN_XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    path = make_zip(tmp_path / "bomb.xlsx", {**parts_of(tmp_path), "xl/worksheets/sheet9.xml": b"0" * (3 << 20)})
    assert path.stat().st_size < 20_000
    assert refused(path)[0] == "Tệp giải nén quá lớn: 3,0 MB, tối đa 1,0 MB."
    assert model_counts() == stored


def test_a_zip_with_too_many_entries_is_refused(tmp_path, stored):
    parts = parts_of(tmp_path)
    path = make_zip(tmp_path / "many.xlsx", {**parts, **{f"xl/media/i{n}.png": b"" for n in range(200)}})
    assert refused(path)[0] == f"Tệp có quá nhiều thành phần: {len(parts) + 200}, tối đa 200."
    assert model_counts() == stored


def test_billion_laughs_is_refused_by_defusedxml(tmp_path, stored):
    path = make_zip(tmp_path / "laughs.xlsx", {**parts_of(tmp_path), "xl/worksheets/sheet1.xml": LAUGHS})
    assert refused(path) == (UNREADABLE, ["WorkbookError", "ValueError", "EntitiesForbidden"])
    assert model_counts() == stored


def test_an_external_entity_is_refused_by_defusedxml(tmp_path, stored):
    path = make_zip(tmp_path / "xxe.xlsx", {**parts_of(tmp_path), "xl/workbook.xml": EXTERNAL})
    assert refused(path) == (UNREADABLE, ["WorkbookError", "ValueError", "EntitiesForbidden"])
    assert model_counts() == stored


@pytest.mark.parametrize(
    "content",
    [
        "project_code,project_name\n5421000002,Dự án mới\n".encode(),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    ],
    ids=["csv", "pdf"],
)
def test_a_renamed_text_or_pdf_file_is_refused_by_its_bytes(tmp_path, stored, content):
    path = tmp_path / "licences.xlsx"
    path.write_bytes(content)
    assert refused(path) == ("Tệp không phải là bảng tính Excel (.xlsx).", ["WorkbookError"])
    assert model_counts() == stored


def test_text_starting_with_formula_characters_is_stored_as_text(tmp_path, hna_zone):
    row = licence(name='=HYPERLINK("http://evil","x")', investor="+84 Holdings", note="@SUM(A1)")
    path = build_text_workbook(tmp_path / "text.xlsx", {"licences": licences_with((*row[:12], "-1 ghi chú"))})
    assert import_workbook(path).errors == []
    event = LicenceEvent.objects.select_related("investor").get()
    assert (event.project_name, event.investor.name, event.note) == (
        '=HYPERLINK("http://evil","x")',
        "+84 Holdings",
        "-1 ghi chú",
    )


def test_real_formula_cells_are_never_evaluated_and_the_file_is_refused(tmp_path, stored):
    # openpyxl writes "=…" as a formula without a cached value: the reader sees an empty cell.
    rows = licences_with(licence("5421000002", name="=1+1", investor='=WEBSERVICE("http://evil")'))
    result = import_workbook(build_workbook(tmp_path / "formula.xlsx", {"licences": rows}))
    assert [str(error) for error in result.errors] == [
        "licences!2 project_name: Cần nhập tên dự án.",
        "licences!2 investor_name: Cần nhập tên nhà đầu tư.",
    ]
    assert (model_counts(), Project.objects.get(code="5421000001").capital_vnd) == (stored, 1_152_500_000_000)
