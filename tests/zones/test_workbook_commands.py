"""The import_workbook and export_workbook management commands: output and exit status."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kcn_portal.core.models import AuditRecord
from tests.fixtures.workbooks import BOARDS_HEADER, build_workbook, good_workbook, read_sheets, zones_with
from zones.management.commands.import_workbook import Command as ImportCommand
from zones.models import Board, Zone

pytestmark = pytest.mark.django_db

BAD_ZONE = ("X-1", "KCN X", "XYZ", "KCN", "operating", 10, 5, 1, None, None)


def test_import_prints_a_summary_per_sheet(tmp_path, capsys):
    call_command("import_workbook", str(good_workbook(tmp_path / "good.xlsx")))
    assert capsys.readouterr().out.splitlines() == [
        "boards: 2 tạo mới, 0 cập nhật, 0 không đổi",
        "zones: 3 tạo mới, 0 cập nhật, 0 không đổi",
        "Đã nhập xong.",
    ]
    assert set(AuditRecord.objects.values_list("source", flat=True)) == {"import"}


def test_import_dry_run_writes_nothing(tmp_path, capsys):
    call_command("import_workbook", str(good_workbook(tmp_path / "good.xlsx")), "--dry-run")
    assert capsys.readouterr().out.splitlines() == [
        "boards: 2 tạo mới, 0 cập nhật, 0 không đổi (chưa ghi)",
        "  boards!2 thêm HNA (code=HNA, name=Ban Quản lý các KCN tỉnh Hà Nam, province=Hà Nam, bloc_code=DBSH)",
        "  boards!3 thêm TBH (code=TBH, name=Ban Quản lý KKT và các KCN tỉnh Thái Bình, province=Thái Bình, "
        "bloc_code=DBSH)",
        "zones: 3 tạo mới, 0 cập nhật, 0 không đổi (chưa ghi)",
        "  zones!2 thêm HNA-DV1 (code=HNA-DV1, name=KCN Đồng Văn I, board_code=HNA, kind=KCN, status=operating, "
        "natural_area_ha=320, industrial_land_ha=234.5, leased_land_ha=123.45, developer=Công ty IDICO, "
        "established_on=2003-09-12)",
        "  zones!3 thêm HNA-DV2 (code=HNA-DV2, name=KCN Đồng Văn II, board_code=HNA, kind=KCN, status=operating, "
        "natural_area_ha=264, industrial_land_ha=180, leased_land_ha=175.25, established_on=2008-01-04)",
        "  zones!4 thêm TBH-PK (code=TBH-PK, name=KCN Phúc Khánh, board_code=TBH, kind=KCN, "
        "status=under_construction, natural_area_ha=120.5, industrial_land_ha=100, leased_land_ha=0)",
        "Chạy thử: tệp hợp lệ, không có gì được ghi.",
    ]
    assert (Board.objects.count(), Zone.objects.count(), AuditRecord.objects.count()) == (0, 0, 0)


def test_import_lists_every_error_and_fails(tmp_path, capsys, hna):
    path = build_workbook(tmp_path / "bad.xlsx", {"zones": zones_with(BAD_ZONE), "Sheet1": [("x",)]})
    with pytest.raises(CommandError, match=r"^2 lỗi; không có thay đổi nào được ghi\.$") as exc:
        call_command("import_workbook", str(path))
    assert exc.value.returncode == 1
    assert capsys.readouterr().err.splitlines() == [
        "Sheet1: Trang tính 'Sheet1' chưa được hỗ trợ.",
        "zones!2 board_code: Không có Ban quản lý mã 'XYZ'.",
    ]
    assert Zone.objects.count() == 0


def test_import_exit_status_is_non_zero_on_error(tmp_path, capsys, monkeypatch, hna):
    # run_from_argv closes the connections when it ends; the test database must stay open.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    path = build_workbook(tmp_path / "bad.xlsx", {"zones": zones_with(BAD_ZONE)})
    with pytest.raises(SystemExit) as exit_info:
        ImportCommand().run_from_argv(["manage.py", "import_workbook", str(path)])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "zones!2 board_code: Không có Ban quản lý mã 'XYZ'.",
        "CommandError: 1 lỗi; không có thay đổi nào được ghi.",
    ]


def test_import_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "boards.xlsx"
    path.write_text("code,name\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_workbook", str(path))
    assert str(exc.value) == f"{path}: Tệp không phải là bảng tính Excel (.xlsx)."


def test_import_as_a_user(tmp_path, hna_staff):
    boards = [BOARDS_HEADER, ("NEW", "Ban mới", "Tỉnh mới", None)]
    path = build_workbook(tmp_path / "u.xlsx", {"boards": boards})
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_workbook", str(path), "--user", "hna.staff")
    with pytest.raises(CommandError) as exc:
        call_command("import_workbook", str(path), "--user", "nobody")
    assert str(exc.value) == "Không có người dùng 'nobody'."


def test_export_writes_all_or_one_board(tmp_path, capsys, hna_zone, tbh_zone):
    call_command("export_workbook", str(tmp_path / "all.xlsx"))
    assert (
        capsys.readouterr().out.strip()
        == f"Đã ghi {tmp_path / 'all.xlsx'} (boards: 2, zones: 2, licences: 0, enterprise_reports: 0, plans: 0)."
    )
    call_command("export_workbook", str(tmp_path / "hna.xlsx"), "--board", "HNA")
    sheets = read_sheets(tmp_path / "hna.xlsx")
    assert ([r[0] for r in sheets["boards"]], [r[0] for r in sheets["zones"]]) == (["code", "HNA"], ["code", "HNA-DV1"])


def test_export_refuses_an_unknown_board(tmp_path, hna):
    with pytest.raises(CommandError) as exc:
        call_command("export_workbook", str(tmp_path / "x.xlsx"), "--board", "HNA", "--board", "ZZZ")
    assert str(exc.value) == "Không có Ban quản lý mã: ZZZ."
    assert not (tmp_path / "x.xlsx").exists()
