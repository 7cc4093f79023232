"""The exported workbook read back by calamine, a reader that shares no code with openpyxl."""

from decimal import Decimal

from python_calamine import CalamineWorkbook

from kcn_portal.core.workbook import export_workbook
from tests.factories import ZoneFactory
from tests.fixtures.workbooks import BOARDS_HEADER, ZONES_HEADER


def test_calamine_reads_exactly_what_we_exported(tmp_path, hna, hna_zone):
    ZoneFactory(
        code="HNA-X",
        name='=HYPERLINK("http://evil")',
        board=hna,
        developer="@SUM(A1)",
        natural_area_ha=Decimal("1234.5"),
        industrial_land_ha=Decimal("1000"),
        leased_land_ha=Decimal("0"),
    )
    path = tmp_path / "out.xlsx"
    export_workbook(path)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["boards", "zones", "licences", "enterprise_reports", "plans"]
    boards = book.get_sheet_by_name("boards").to_python()
    assert boards == [list(BOARDS_HEADER), ["HNA", hna.name, "Hà Nam", "DBSH"]]
    zones = book.get_sheet_by_name("zones").to_python()
    assert zones[0] == list(ZONES_HEADER)
    assert zones[1][:8] == ["HNA-DV1", "KCN Đồng Văn I", "HNA", "KCN", "operating", 320.0, 234.5, 123.45]
    # Formula-looking text stays text for an independent reader too.
    assert zones[2][:2] == ["HNA-X", '=HYPERLINK("http://evil")'] and zones[2][8] == "@SUM(A1)"
    assert zones[2][5:8] == [1234.5, 1000.0, 0.0]
