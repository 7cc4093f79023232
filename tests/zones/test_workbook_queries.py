"""Importing the zones sheet costs the same number of queries for 1 row as for 30 (no query per row)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kcn_portal.core.workbook import import_workbook
from tests.factories import ZoneFactory
from tests.fixtures.workbooks import ZONES_HEADER, build_workbook


def _row(n):
    return (f"HNA-Q{n:02d}", f"KCN thử {n}", "HNA", "KCN", "operating", 100, 80, 40, None, None)


def _queries_to_import(path, user):
    with CaptureQueriesContext(connection) as queries:
        result = import_workbook(path, user=user)
    assert result.errors == []
    return len(queries), result.sheets["zones"]


def test_reimporting_unchanged_rows_costs_no_query_per_row(tmp_path, hna_staff, hna):
    for n in range(30):
        ZoneFactory(
            code=_row(n)[0], name=_row(n)[1], board=hna, natural_area_ha=100, industrial_land_ha=80, leased_land_ha=40
        )
    one = build_workbook(tmp_path / "one.xlsx", {"zones": [ZONES_HEADER, _row(0)]})
    thirty = build_workbook(tmp_path / "thirty.xlsx", {"zones": [ZONES_HEADER, *map(_row, range(30))]})
    (queries_one, counts_one), (queries_thirty, counts_thirty) = (
        _queries_to_import(one, hna_staff),
        _queries_to_import(thirty, hna_staff),
    )
    assert (counts_one.unchanged, counts_thirty.unchanged) == (1, 30)
    assert queries_thirty == queries_one, (queries_one, queries_thirty)


def test_an_empty_board_code_is_reported_on_its_cell(tmp_path, admin_user, hna):
    path = build_workbook(
        tmp_path / "e.xlsx", {"zones": [ZONES_HEADER, ("HNA-E", "KCN E", "", "KCN", "operating", 10, 5, 1, None, None)]}
    )
    result = import_workbook(path, user=admin_user)
    assert [str(error) for error in result.errors] == ["zones!2 board_code: Cần nhập mã Ban quản lý."]
