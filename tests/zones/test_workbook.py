"""The boards and zones sheets of the data-exchange workbook: import rules, errors, export round trip."""

import datetime
import zipfile
from decimal import Decimal

import pytest

from kcn_portal.core.models import AuditRecord
from kcn_portal.core.workbook import RowError, export_workbook, handlers, import_workbook
from tests.factories import ZoneFactory
from tests.fixtures.workbooks import (
    BOARDS_HEADER,
    GOOD_BOARDS,
    GOOD_ZONES,
    ZONES_HEADER,
    build_workbook,
    good_workbook,
    read_sheets,
    zones_with,
)
from zones.models import Board, Zone

pytestmark = pytest.mark.django_db

DV1 = ("HNA-DV1", "KCN Đồng Văn I", "HNA", "KCN", "operating", 320, 234.5, 123.45, None, None)


# The investment and plans sheets are exported (empty) with the zones ones.
NO_LEDGER = {"licences": 0, "enterprise_reports": 0, "plans": 0}


def counts(result):
    return {sheet: (c.created, c.updated, c.unchanged) for sheet, c in result.sheets.items()}


def db_counts():
    return Board.objects.count(), Zone.objects.count(), AuditRecord.objects.count()


def test_sheets_are_applied_boards_then_zones():
    assert [handler.name for handler in handlers()][:2] == ["boards", "zones"]


def test_good_file_creates_boards_and_zones_with_audit(tmp_path):
    result = import_workbook(good_workbook(tmp_path / "good.xlsx"))
    assert (result.errors, counts(result)) == ([], {"boards": (2, 0, 0), "zones": (3, 0, 0)})
    zone = Zone.objects.get(code="HNA-DV1")
    assert (zone.board.code, zone.natural_area_ha, zone.industrial_land_ha, zone.leased_land_ha) == (
        "HNA",
        Decimal("320.00"),
        Decimal("234.50"),
        Decimal("123.45"),
    )
    assert (zone.developer, zone.established_on) == ("Công ty IDICO", datetime.date(2003, 9, 12))
    assert Zone.objects.get(code="HNA-DV2").established_on == datetime.date(2008, 1, 4)
    assert Zone.objects.get(code="TBH-PK").natural_area_ha == Decimal("120.50")
    assert sorted(AuditRecord.objects.values_list("model", "action", "source", "object_id").distinct()) == sorted(
        [("zones.board", "create", "import", str(b.pk)) for b in Board.objects.all()]
        + [("zones.zone", "create", "import", str(z.pk)) for z in Zone.objects.all()]
    )


def test_reimport_changes_nothing(tmp_path):
    path = good_workbook(tmp_path / "good.xlsx")
    import_workbook(path)
    before = list(Zone.objects.values_list("code", "version"))
    result = import_workbook(path)
    assert (result.errors, counts(result)) == ([], {"boards": (0, 0, 2), "zones": (0, 0, 3)})
    assert AuditRecord.objects.count() == 5
    assert list(Zone.objects.values_list("code", "version")) == before


def test_changed_value_updates_only_that_zone(tmp_path, hna_zone):
    result = import_workbook(build_workbook(tmp_path / "u.xlsx", {"zones": zones_with((*DV1[:7], 130, None, None))}))
    assert counts(result) == {"zones": (0, 1, 0)}
    record = AuditRecord.objects.get()
    assert (record.action, record.source, record.changes) == ("update", "import", {"leased_land_ha": ["123.45", "130"]})
    assert Zone.objects.get(code="HNA-DV1").version == 2


def test_absent_optional_column_keeps_the_stored_value(tmp_path, hna_zone):
    hna_zone.developer = "Công ty IDICO"
    hna_zone.save()
    header = ZONES_HEADER[:8]
    result = import_workbook(build_workbook(tmp_path / "u.xlsx", {"zones": [header, (*DV1[:7], 123.45)]}))
    assert counts(result) == {"zones": (0, 0, 1)}
    assert Zone.objects.get(code="HNA-DV1").developer == "Công ty IDICO"


def test_dry_run_validates_and_writes_nothing(tmp_path):
    result = import_workbook(good_workbook(tmp_path / "good.xlsx"), dry_run=True)
    assert (result.ok, result.written, counts(result)) == (True, False, {"boards": (2, 0, 0), "zones": (3, 0, 0)})
    assert db_counts() == (0, 0, 0)


def test_unknown_board_code_is_refused(tmp_path, hna):
    row = ("X-1", "KCN X", "XYZ", "KCN", "operating", 10, 5, 1, None, None)
    result = import_workbook(build_workbook(tmp_path / "b.xlsx", {"zones": zones_with(DV1, row)}))
    assert result.errors == [RowError("zones", 3, "board_code", "Không có Ban quản lý mã 'XYZ'.")]
    assert db_counts() == (1, 0, 0)


def test_duplicate_zone_code_is_refused(tmp_path, hna):
    result = import_workbook(
        build_workbook(tmp_path / "d.xlsx", {"zones": zones_with(DV1, (*DV1[:1], "Khác", *DV1[2:]))})
    )
    assert result.errors == [RowError("zones", 3, "code", "'HNA-DV1' bị trùng với dòng 2.")]
    assert db_counts() == (1, 0, 0)


def test_negative_area_is_refused_once(tmp_path, hna):
    row = ("HNA-X", "KCN X", "HNA", "KCN", "operating", -5, 0, 0, None, None)
    result = import_workbook(build_workbook(tmp_path / "n.xlsx", {"zones": zones_with(row)}))
    assert result.errors == [RowError("zones", 2, "natural_area_ha", "Không được nhỏ hơn 0 (đang là -5).")]
    assert db_counts() == (1, 0, 0)


def test_missing_column_is_refused_and_other_sheets_roll_back(tmp_path):
    zones = [ZONES_HEADER[:7], DV1[:7]]
    result = import_workbook(build_workbook(tmp_path / "m.xlsx", {"boards": GOOD_BOARDS, "zones": zones}))
    assert result.errors == [RowError("zones", 1, "leased_land_ha", "Thiếu cột bắt buộc 'leased_land_ha'.")]
    assert db_counts() == (0, 0, 0)


def test_unknown_column_and_unknown_sheet_are_reported(tmp_path):
    boards = [(*BOARDS_HEADER, "phone"), ("HNA", "Ban Hà Nam", "Hà Nam", "DBSH", "0226")]
    result = import_workbook(build_workbook(tmp_path / "c.xlsx", {"boards": boards, "Sheet1": [("a",)]}))
    assert [str(error) for error in result.errors] == [
        "Sheet1: Trang tính 'Sheet1' chưa được hỗ trợ.",
        "boards!1 phone: Cột 'phone' không thuộc trang tính 'boards'; các cột hợp lệ: code, name, province, bloc_code.",
    ]
    assert db_counts() == (0, 0, 0)


def test_every_error_of_every_sheet_is_listed(tmp_path):
    boards = [*GOOD_BOARDS, ("hna", "", "Hà Nam", None)]
    zones = [
        *GOOD_ZONES,
        ("TBH-PK", "KCN Phúc Khánh", "TBH", "KCN", "operating", 10, 5, 1, None, None),
        ("X-1", "KCN X", "NOPE", "KHU", "operating", 10, 20, "abc", None, "31/12/2019"),
        ("X-2", "KCN Y", "hna", "KCN", "operating", 10, 5, 1, None, None),
    ]
    result = import_workbook(build_workbook(tmp_path / "all.xlsx", {"boards": boards, "zones": zones}))
    assert [str(error) for error in result.errors] == [
        "boards!4 code: Mã chỉ gồm chữ in hoa không dấu, chữ số, '-' và '_'.",
        "boards!4 name: Trường này là bắt buộc.",
        "zones!5 code: 'TBH-PK' bị trùng với dòng 4.",
        "zones!6 board_code: Không có Ban quản lý mã 'NOPE'.",
        "zones!6 kind: Hãy chọn một lựa chọn hợp lệ. KHU không phải là một trong các lựa chọn khả thi.",
        "zones!6 industrial_land_ha: Diện tích đất công nghiệp không được lớn hơn diện tích tự nhiên.",
        "zones!6 leased_land_ha: Phải là một số, ví dụ 1.234.567,89 hoặc 1234567.89, không phải 'abc'.",
        "zones!6 established_on: Ngày không hợp lệ '31/12/2019': cần ngày Excel hoặc dạng YYYY-MM-DD.",
    ]
    assert db_counts() == (0, 0, 0)


def test_leased_above_industrial_uses_the_form_rule(tmp_path, hna):
    row = ("HNA-X", "KCN X", "HNA", "KCN", "operating", 100, 50, 60, None, None)
    result = import_workbook(build_workbook(tmp_path / "l.xlsx", {"zones": zones_with(row)}))
    assert [str(e) for e in result.errors] == [
        "zones!2 leased_land_ha: Diện tích đã cho thuê không được lớn hơn diện tích đất công nghiệp."
    ]


def test_empty_rows_are_ignored_and_numbers_may_be_text(tmp_path, hna):
    row = ("HNA-X", "KCN X", "HNA", "KCN", "planned", "100.25", " 50 ", "0", "", "2020-02-29")
    sheet = zones_with(row, (None,) * 10, ("", " ", None))
    result = import_workbook(build_workbook(tmp_path / "e.xlsx", {"zones": sheet}))
    assert (result.errors, counts(result)) == ([], {"zones": (1, 0, 0)})
    zone = Zone.objects.get(code="HNA-X")
    assert (zone.natural_area_ha, zone.industrial_land_ha, zone.established_on) == (
        Decimal("100.25"),
        Decimal("50"),
        datetime.date(2020, 2, 29),
    )


def test_a_wrong_declared_sheet_size_does_not_cut_data(tmp_path, hna):
    path = build_workbook(tmp_path / "dim.xlsx", {"zones": zones_with(DV1)})
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:J2" />' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b'<dimension ref="A1:J2" />', b'<dimension ref="A1:C1" />')
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    result = import_workbook(path)
    assert (result.errors, counts(result)) == ([], {"zones": (1, 0, 0)})
    assert Zone.objects.values_list("leased_land_ha", flat=True).get() == Decimal("123.45")


def test_staff_imports_own_board_zones_as_themselves(tmp_path, hna_staff):
    boards = [BOARDS_HEADER, ("HNA", "Ban Quản lý các KCN tỉnh Hà Nam", "Hà Nam", "DBSH")]
    sheets = {"boards": boards, "zones": zones_with(DV1)}
    result = import_workbook(build_workbook(tmp_path / "s.xlsx", sheets), user=hna_staff)
    assert (result.errors, counts(result)) == ([], {"boards": (0, 0, 1), "zones": (1, 0, 0)})
    assert AuditRecord.objects.values_list("actor_name", "source", "model").get() == (
        "hna.staff",
        "import",
        "zones.zone",
    )


def test_staff_cannot_touch_another_board_or_create_boards(tmp_path, hna_staff, tbh):
    boards = [BOARDS_HEADER, ("NEW", "Ban mới", "Tỉnh mới", None)]
    zone = ("TBH-X", "KCN X", "TBH", "KCN", "operating", 10, 5, 1, None, None)
    result = import_workbook(
        build_workbook(tmp_path / "p.xlsx", {"boards": boards, "zones": zones_with(zone)}), user=hna_staff
    )
    assert [str(e) for e in result.errors] == [
        "boards!2 code: Chỉ quản trị hệ thống được thêm hoặc sửa Ban quản lý.",
        "zones!2 board_code: Không có Ban quản lý mã 'TBH'.",
    ]
    assert db_counts() == (2, 0, 0)


def test_ministry_reads_but_cannot_change_a_zone(tmp_path, ministry_user, hna_zone):
    row = (*DV1[:1], "Đổi tên", *DV1[2:8], None, None)
    result = import_workbook(build_workbook(tmp_path / "r.xlsx", {"zones": zones_with(row)}), user=ministry_user)
    assert [str(e) for e in result.errors] == ["zones!2 board_code: Bạn không có quyền ghi dữ liệu của Ban 'HNA'."]
    assert Zone.objects.get(code="HNA-DV1").name == "KCN Đồng Văn I"


def _wipe():
    Zone.objects.all().delete()
    Board.objects.all().delete()


def test_export_import_export_round_trip_is_identical(tmp_path, hna_zone, tbh_zone):
    ZoneFactory(
        code="HNA-X", name="=1+1", board=hna_zone.board, developer="@SUM(A1)", established_on=datetime.date(2019, 5, 2)
    )
    export_workbook(tmp_path / "first.xlsx")
    _wipe()
    result = import_workbook(tmp_path / "first.xlsx")
    empty = {"licences": (0, 0, 0), "enterprise_reports": (0, 0, 0), "plans": (0, 0, 0)}
    assert (result.errors, counts(result)) == ([], {"boards": (2, 0, 0), "zones": (3, 0, 0), **empty})
    export_workbook(tmp_path / "second.xlsx")
    assert read_sheets(tmp_path / "first.xlsx") == read_sheets(tmp_path / "second.xlsx")
    assert Zone.objects.values_list("name", "developer").get(code="HNA-X") == ("=1+1", "@SUM(A1)")


def test_export_writes_the_contract_columns(tmp_path, hna_zone):
    hna_zone.established_on = datetime.date(2003, 9, 12)
    hna_zone.save()
    assert export_workbook(tmp_path / "x.xlsx") == {
        "boards": 1,
        "zones": 1,
        "licences": 0,
        "enterprise_reports": 0,
        "plans": 0,
    }
    sheets = read_sheets(tmp_path / "x.xlsx")
    assert sheets["boards"] == [BOARDS_HEADER, ("HNA", "Ban Quản lý các KCN tỉnh Hà Nam", "Hà Nam", "DBSH")]
    assert sheets["zones"] == [
        ZONES_HEADER,
        (
            "HNA-DV1",
            "KCN Đồng Văn I",
            "HNA",
            "KCN",
            "operating",
            320,
            234.5,
            123.45,
            None,
            datetime.datetime(2003, 9, 12),
        ),
    ]


def test_formula_looking_text_is_exported_as_text(tmp_path, hna):
    ZoneFactory(code="HNA-F", name="=1+1", board=hna, developer="@SUM(A1)")
    export_workbook(tmp_path / "f.xlsx")
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "f.xlsx")["zones"]
    assert [(ws["B2"].value, ws["B2"].data_type), (ws["I2"].value, ws["I2"].data_type)] == [
        ("=1+1", "s"),
        ("@SUM(A1)", "s"),
    ]
    assert (ws["B2"].quotePrefix, ws["A1"].font.b) == (True, True)


def test_export_of_one_board_and_as_a_board_user(tmp_path, hna_zone, tbh_zone, tbh_staff):
    assert export_workbook(tmp_path / "a.xlsx", boards=["TBH"]) == {
        "boards": 1,
        "zones": 1,
        "licences": 0,
        "enterprise_reports": 0,
        "plans": 0,
    }
    assert read_sheets(tmp_path / "a.xlsx")["zones"][1][:3] == ("TBH-PK", "KCN Phúc Khánh", "TBH")
    assert export_workbook(tmp_path / "b.xlsx", user=tbh_staff) == {
        "boards": 1,
        "zones": 1,
        "licences": 0,
        "enterprise_reports": 0,
        "plans": 0,
    }
    assert read_sheets(tmp_path / "b.xlsx")["boards"][1][0] == "TBH"
