"""The licences and enterprise_reports sheets: imports in any row order, exact errors, export."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from investment.models import EnterpriseReport, Investor, LicenceEvent, Project
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.core.models import AuditRecord
from kcn_portal.core.workbook import RowError, export_workbook, handlers, import_workbook
from tests.factories import ZoneFactory, make_project
from tests.fixtures.workbooks import (
    LICENCES_HEADER,
    REPORTS_HEADER,
    build_workbook,
    licence,
    licence_history,
    licences_with,
    read_sheets,
)

pytestmark = pytest.mark.django_db

ISSUE = licence()
ADJUST = licence(event="adjust", cert="GCN-DC1", date="2020-06-01", vnd=1_500_000_000_000, usd=None)
TERMINATE = licence(event="terminate", cert="QD-15", date="2021-02-01", vnd=None, usd=None)


def counts(result):
    return {sheet: (c.created, c.updated, c.unchanged) for sheet, c in result.sheets.items()}


def db_counts():
    return Project.objects.count(), LicenceEvent.objects.count(), Investor.objects.count(), AuditRecord.objects.count()


def imported(tmp_path, user=None, dry_run=False, **sheets):
    return import_workbook(build_workbook(tmp_path / "in.xlsx", sheets), user=user, dry_run=dry_run)


def test_sheets_are_applied_in_the_contract_order():
    assert [h.name for h in handlers()] == ["boards", "zones", "licences", "enterprise_reports", "plans"]


@pytest.fixture(scope="module")
def history_file(tmp_path_factory):
    """1,500 projects, 3,900 rows in random order (see licence_history); written once for the module."""
    rows = licences_with(*licence_history(["HNA-DV1", "HNA-DV2"]))
    return build_workbook(tmp_path_factory.mktemp("history") / "big.xlsx", {"licences": rows})


@pytest.fixture
def history(history_file, hna_zone):
    ZoneFactory(code="HNA-DV2", board=hna_zone.board)
    return history_file


def test_thousands_of_rows_in_random_order_import_exactly(history, hna_staff):
    result = import_workbook(history, user=hna_staff)
    assert (result.errors, counts(result)) == ([], {"licences": (3900, 0, 0)})
    assert (Project.objects.count(), Project.objects.filter(status="terminated").count()) == (1500, 150)
    assert LicenceEvent.objects.filter(kind="adjust").count() == 2250
    # Whatever the row order, adjustments are numbered by date: DC1 is the first, DC3 the third.
    assert set(LicenceEvent.objects.filter(kind="adjust").values_list("certificate_no", "adjust_no")) == {
        (f"54{i:08d}-DC{k}", k) for i in range(1500) for k in range(1, i % 4 + 1)
    }
    assert AuditRecord.objects.filter(actor=hna_staff, source="import").count() == 3900 + 1500


def test_a_ddi_project_derives_usd_at_each_date_rate(history):
    import_workbook(history)
    project = Project.objects.get(code="5400000007")
    assert (
        project.status,
        project.issued_on,
        project.capital_vnd,
        project.capital_usd,
        project.capital_usd_derived,
    ) == (
        "active",
        datetime.date(2005, 1, 29),
        240_000_000_000,
        Decimal("15133362.76"),  # 240 bn đồng at the 2005 rate of 15,859
        True,
    )
    adjustments = project.events.filter(kind="adjust").order_by("event_date")
    assert [(e.adjust_no, e.capital_change_vnd, e.capital_change_usd) for e in adjustments] == [
        (1, 80_000_000_000, Decimal("5044454.26")),
        (2, -40_000_000_000, Decimal("-2522227.13")),
        (3, 120_000_000_000, Decimal("7566681.38")),
    ]
    # 45,000 bn đồng at the 2022 rate (23,271), after 22,500 bn at the 2021 rate (23,160).
    last = Project.objects.get(code="5400001499").events.get(certificate_no="5400001499-DC3")
    assert (last.capital_usd, last.capital_change_usd) == (Decimal("1933737269.56"), Decimal("962234678.89"))


def test_a_terminated_fdi_project_keeps_its_stated_capital(history):
    import_workbook(history)
    project = Project.objects.get(code="5400000018")
    assert (project.status, project.terminated_on, project.capital_vnd, project.capital_usd) == (
        "terminated",
        datetime.date(2006, 4, 18),
        285_000_000_000,
        Decimal("14250000.00"),
    )
    assert [(e.kind, e.capital_change_usd) for e in project.events.order_by("event_date")] == [
        ("issue", None),
        ("adjust", Decimal("9500000.00")),
        ("adjust", Decimal("-4750000.00")),
        ("terminate", None),
    ]


def test_reimporting_thousands_of_rows_changes_nothing(history):
    import_workbook(history)
    before = (db_counts(), list(Project.objects.order_by("code").values_list("code", "version")))
    result = import_workbook(history)
    assert (result.errors, counts(result)) == ([], {"licences": (0, 0, 3900)})
    assert (db_counts(), list(Project.objects.order_by("code").values_list("code", "version"))) == before


def test_rows_out_of_order_give_one_ledger(tmp_path, hna_zone, hna_staff):
    result = imported(tmp_path, hna_staff, licences=licences_with(TERMINATE, ADJUST, ISSUE))
    assert (result.errors, counts(result)) == ([], {"licences": (3, 0, 0)})
    project = Project.objects.get()
    assert [(e.kind, e.adjust_no, e.capital_change_vnd) for e in project.events.order_by("event_date")] == [
        ("issue", None, None),
        ("adjust", 1, 347_500_000_000),
        ("terminate", None, None),
    ]
    assert (project.status, project.version, project.events.get(kind="adjust").capital_usd_derived) == (
        "terminated",
        1,
        True,
    )


def test_dry_run_counts_and_writes_nothing(tmp_path, hna_zone):
    result = imported(tmp_path, dry_run=True, licences=licences_with(ISSUE, ADJUST))
    assert (result.errors, result.written, counts(result)) == ([], False, {"licences": (2, 0, 0)})
    assert db_counts() == (0, 0, 0, 0)


def test_a_changed_row_is_a_correction_with_a_new_version(tmp_path, hna_zone):
    make_project(hna_zone, certificate_no="5421000001-issue")
    row = licence(vnd=1_200_000_000_000, note="Sửa vốn theo bản gốc")
    result = imported(tmp_path, licences=licences_with(row))
    assert (result.errors, counts(result)) == ([], {"licences": (0, 1, 0)})
    versions = LicenceEvent.objects.order_by("version")
    assert [(e.version, e.is_current, e.capital_vnd) for e in versions] == [
        (1, False, 1_152_500_000_000),
        (2, True, 1_200_000_000_000),
    ]
    assert (versions[1].reason, Project.objects.get().capital_vnd) == ("Sửa vốn theo bản gốc", 1_200_000_000_000)


def test_absent_optional_columns_keep_the_stored_values(tmp_path, hna_zone):
    make_project(hna_zone, certificate_no="5421000001-issue", land_area_ha=Decimal("12.5"), note="Giai đoạn 1")
    result = imported(tmp_path, licences=[LICENCES_HEADER[:11], ISSUE[:11]])
    assert (result.errors, counts(result)) == ([], {"licences": (0, 0, 1)})
    assert LicenceEvent.objects.values_list("land_area_ha", "note").get() == (Decimal("12.50"), "Giai đoạn 1")


# --- row errors: exact messages with sheet, row and column; nothing written ---------------------

TBH_ROW = licence(code="5421000009", zone="TBH-PK")
ERRORS = {
    "event": (
        [licence(event="renew")],
        [(2, "event", "Loại sự kiện phải là issue, adjust hoặc terminate, không phải 'renew'.")],
    ),
    "kind": ([licence(kind="FDI")], [(2, "kind", "Loại dự án phải là fdi hoặc ddi, không phải 'FDI'.")]),
    "country": (
        [licence(country="Korea")],
        [(2, "investor_country", "Mã quốc gia 'KOREA' không đúng ISO 3166-1 alpha-2 (ví dụ VN, KR, JP).")],
    ),
    "date text": (
        [licence(date="15/03/2019")],
        [(2, "event_date", "Ngày không hợp lệ '15/03/2019': cần ngày Excel hoặc dạng YYYY-MM-DD.")],
    ),
    "future": ([licence(date="2999-01-01")], [(2, "event_date", "Ngày 01/01/2999 ở tương lai.")]),
    "before issue": (
        [ISSUE, licence(event="adjust", cert="DC1", date="2019-01-02")],
        [(3, "event_date", "Ngày 02/01/2019 trước ngày cấp mới dự án (15/03/2019).")],
    ),
    "after termination": (
        [ISSUE, TERMINATE, licence(event="adjust", cert="DC1", date="2021-03-01")],
        [(4, "event_date", "Dự án đã chấm dứt ngày 01/02/2021; không ghi nhận sự kiện ngày 01/03/2021 sau đó.")],
    ),
    "duplicate certificate": (
        [ISSUE, licence(event="adjust", cert="5421000001-ISSUE", date="2020-01-02")],
        [(3, "certificate_no", "Số giấy chứng nhận/quyết định '5421000001-ISSUE' đã có trong dự án (Cấp mới).")],
    ),
    "duplicate row": (
        [ISSUE, ISSUE],
        [(3, "project_code", "'5421000001 / issue / 5421000001-issue' bị trùng với dòng 2.")],
    ),
    "usd cents": ([licence(usd=50_000_000.125)], [(2, "capital_usd", "Số tiền USD có tối đa hai chữ số thập phân.")]),
    "vnd decimals": (
        [licence(vnd=1_152_500_000.5)],
        [(2, "capital_vnd", "Phải là một số nguyên, không phải '1152500000.5'.")],
    ),
    "negative area": ([licence(land=-5)], [(2, "land_area_ha", "Giá trị phải lớn hơn hoặc bằng 0.")]),
    "area decimals": (
        [licence(land=1.234)],
        [(2, "land_area_ha", "Hãy chắc chắn rằng không có nhiều hơn 2 chữ số thập phân.")],
    ),
    "long name": ([licence(name="x" * 501)], [(2, "project_name", "Tên dự án dài quá 500 ký tự.")]),
    "huge amounts": (
        [licence(vnd=10**19, usd=10**17)],
        [
            (2, "capital_vnd", "Giá trị phải nhỏ hơn hoặc bằng 9223372036854775807."),
            (2, "capital_usd", "Hãy chắc chắn rằng không có nhiều hơn 16 chữ số trước dấu phẩy thập phân."),
        ],
    ),
    "refused issue row": (
        [licence(country="XX"), licence(event="adjust", cert="DC1", date="2020-01-02")],
        [(2, "investor_country", "Mã quốc gia 'XX' không đúng ISO 3166-1 alpha-2 (ví dụ VN, KR, JP).")],
    ),
    "unknown zone": ([licence(zone="HNA-XX")], [(2, "zone_code", "Không có khu mã 'HNA-XX'.")]),
    "other board's zone": ([TBH_ROW], [(2, "zone_code", "Không có khu mã 'TBH-PK'.")]),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_row_errors_are_exact_and_nothing_is_written(case, tmp_path, hna_zone, tbh_zone, hna_staff):
    rows, expected = ERRORS[case]
    result = imported(tmp_path, hna_staff, licences=licences_with(*rows))
    assert result.errors == [RowError("licences", row, column, message) for row, column, message in expected]
    assert db_counts() == (0, 0, 0, 0)


def test_a_code_taken_by_another_board_is_refused(tmp_path, hna_zone, tbh_zone, hna_staff):
    make_project(tbh_zone, code="5421000009")
    before = db_counts()
    result = imported(tmp_path, hna_staff, licences=licences_with(licence(code="5421000009")))
    assert result.errors == [
        RowError("licences", 2, "project_code", "Mã số dự án '5421000009' đã được một Ban khác sử dụng.")
    ]
    assert db_counts() == before


def test_a_reader_of_every_board_may_not_write_licences(tmp_path, hna_zone, ministry_user):
    result = imported(tmp_path, ministry_user, licences=licences_with(ISSUE))
    assert result.errors == [
        RowError("licences", 2, "zone_code", "Bạn không có quyền ghi dữ liệu của Ban 'HNA'."),
    ]
    assert db_counts() == (0, 0, 0, 0)


def test_every_error_of_a_file_is_listed_by_row_then_column(tmp_path, hna_zone, hna_staff):
    rows = [licence(code="123", kind="x", date="2019-02-30"), licence(code="5421000002", vnd=-5, usd=None)]
    result = imported(tmp_path, hna_staff, licences=licences_with(*rows))
    assert [str(error) for error in result.errors] == [
        "licences!2 project_code: Mã số dự án phải gồm đúng 10 chữ số (đang là '123').",
        "licences!2 kind: Loại dự án phải là fdi hoặc ddi, không phải 'x'.",
        "licences!2 event_date: Ngày không hợp lệ '2019-02-30': cần ngày Excel hoặc dạng YYYY-MM-DD.",
        "licences!3 capital_vnd: Vốn đầu tư phải lớn hơn 0.",
    ]
    assert db_counts() == (0, 0, 0, 0)


# --- the enterprise_reports sheet --------------------------------------------------------------

Q2 = (
    "5421000001",
    "2019-Q2",
    25_000_000_000,
    24_000_000_000,
    1_500_000.5,
    900_000,
    1_200_000_000,
    850,
    12,
    10**12,
    43_000_000,
)


def reports_with(*rows):
    return [REPORTS_HEADER, *rows]


def test_reports_import_exactly_and_reimport_changes_nothing(tmp_path, hna_zone, hna_staff):
    make_project(hna_zone)
    path = build_workbook(tmp_path / "r.xlsx", {"enterprise_reports": reports_with(Q2, ("5421000001", "2019-Q3"))})
    result = import_workbook(path, user=hna_staff)
    assert (result.errors, counts(result)) == ([], {"enterprise_reports": (2, 0, 0)})
    report = EnterpriseReport.objects.get(quarter=2)
    assert (report.revenue_vnd, report.export_usd, report.employees, report.employees_foreign, report.updated_by) == (
        25_000_000_000,
        Decimal("1500000.50"),
        850,
        12,
        hna_staff,
    )
    assert counts(import_workbook(path, user=hna_staff)) == {"enterprise_reports": (0, 0, 2)}
    assert AuditRecord.objects.filter(model="investment.enterprisereport").count() == 2


def test_reports_of_projects_created_by_the_same_file(tmp_path, hna_zone):
    sheets = {"licences": licences_with(ISSUE), "enterprise_reports": reports_with(Q2)}
    result = imported(tmp_path, **sheets)
    assert (result.errors, counts(result)) == ([], {"licences": (1, 0, 0), "enterprise_reports": (1, 0, 0)})


def test_an_invalid_period_is_reported_on_its_column(tmp_path, hna_zone):
    make_project(hna_zone)
    result = imported(tmp_path, enterprise_reports=reports_with(("5421000001", "2019-Q5"), ("5421000001", "Q1/2019")))
    assert [str(error) for error in result.errors] == [
        "enterprise_reports!2 period: Kỳ báo cáo '2019-Q5' không hợp lệ: cần dạng YYYY-QN, ví dụ 2019-Q3.",
        "enterprise_reports!3 period: Kỳ báo cáo 'Q1/2019' không hợp lệ: cần dạng YYYY-QN, ví dụ 2019-Q3.",
    ]
    assert EnterpriseReport.objects.count() == 0


def test_a_report_of_a_refused_licence_row_gets_no_second_error(tmp_path, hna_zone):
    sheets = {
        "licences": licences_with(licence(country="XX"), licence(code="5421000002")),
        "enterprise_reports": reports_with(Q2, ("5421000002", "2019-Q2"), ("5421000003", "2019-Q2")),
    }
    result = imported(tmp_path, **sheets)
    assert [str(error) for error in result.errors] == [
        "licences!2 investor_country: Mã quốc gia 'XX' không đúng ISO 3166-1 alpha-2 (ví dụ VN, KR, JP).",
        "enterprise_reports!4 project_code: Không có dự án mã số '5421000003'.",
    ]
    assert db_counts() == (0, 0, 0, 0)


# --- export --------------------------------------------------------------------------------------


@pytest.fixture
def ended_project(hna_zone):
    """A DDI project (USD derived) whose code starts with zeros and name with '=': adjusted, corrected, ended."""
    project = make_project(
        hna_zone,
        code="0012345678",
        kind="ddi",
        investors=[{"name": "Công ty CP Thép Hòa Phát", "country": "VN"}],
        project_name='=HYPERLINK("http://evil")',
        capital_usd=None,
        land_area_ha=Decimal("5.25"),
    )
    adjust = licence_services.licence_adjust(
        user=None, project=project, certificate_no="DC-1", event_date=datetime.date(2020, 5, 4), capital_vnd=2 * 10**12
    )
    licence_services.licence_correct(user=None, event=adjust, reason="Nhập nhầm", capital_vnd=3 * 10**12, note="@lần 1")
    licence_services.licence_terminate(
        user=None,
        project=project,
        certificate_no="QD-7",
        event_date=datetime.date(2021, 1, 5),
        termination_ground="board",
    )
    return project


def test_export_writes_the_live_ledger_with_derived_amounts_empty(tmp_path, ended_project):
    export_workbook(tmp_path / "out.xlsx")
    name, investor = '=HYPERLINK("http://evil")', ("Công ty CP Thép Hòa Phát", "VN", "ddi")
    assert read_sheets(tmp_path / "out.xlsx")["licences"] == [
        LICENCES_HEADER,
        ("0012345678", name, "HNA-DV1", *investor, "issue", "0012345678-GCN", datetime.datetime(2019, 3, 15),
         1_152_500_000_000, None, 5.25, None),
        ("0012345678", name, "HNA-DV1", *investor, "adjust", "DC-1", datetime.datetime(2020, 5, 4),
         3 * 10**12, None, None, "@lần 1"),
        ("0012345678", name, "HNA-DV1", *investor, "terminate", "QD-7", datetime.datetime(2021, 1, 5),
         None, None, None, None),
    ]  # fmt: skip


def test_exported_code_and_formula_text_are_text_cells_for_another_reader(tmp_path, ended_project):
    export_workbook(tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["licences"]
    assert [(ws[ref].value, ws[ref].data_type) for ref in ("A2", "B2", "M3")] == [
        ("0012345678", "s"),
        ('=HYPERLINK("http://evil")', "s"),
        ("@lần 1", "s"),
    ]
    rows = CalamineWorkbook.from_path(str(tmp_path / "out.xlsx")).get_sheet_by_name("licences").to_python()
    assert [rows[1][:2], rows[2][12]] == [["0012345678", '=HYPERLINK("http://evil")'], "@lần 1"]


def test_export_of_one_board_and_reports_in_code_then_period_order(tmp_path, ended_project, tbh_zone):
    make_project(tbh_zone, code="5421000009")
    enterprise_report_services.enterprise_report_save(
        user=None, project=ended_project, year=2020, quarter=2, employees=10, export_usd=Decimal("5.5")
    )
    enterprise_report_services.enterprise_report_save(
        user=None, project=ended_project, year=2019, quarter=4, revenue_vnd=7
    )
    export_workbook(tmp_path / "hna.xlsx", boards=["HNA"])
    sheets = read_sheets(tmp_path / "hna.xlsx")
    assert {row[0] for row in sheets["licences"][1:]} == {"0012345678"}
    assert sheets["enterprise_reports"] == [
        REPORTS_HEADER,
        ("0012345678", "2019-Q4", 7, None, None, None, None, None, None, None, None),
        ("0012345678", "2020-Q2", None, None, 5.5, None, None, 10, None, None, None),
    ]


def test_text_amounts_are_read_with_the_pages_parser(tmp_path, hna_zone, hna_staff):
    # A cell typed as text ("1.152.500.000.000", "50.000.000,50") reads as the pages read it; numbers as before.
    row = licence(vnd="1.152.500.000.000", usd="50.000.000,50", land="12,5")
    result = imported(tmp_path, hna_staff, licences=licences_with(row))
    event = LicenceEvent.objects.get()
    assert (result.errors, event.capital_vnd, event.capital_usd, event.land_area_ha) == (
        [], 1_152_500_000_000, Decimal("50000000.50"), Decimal("12.50"),
    )  # fmt: skip


def test_an_ambiguous_text_amount_is_a_row_error(tmp_path, hna_zone, hna_staff):
    result = imported(tmp_path, hna_staff, licences=licences_with(licence(vnd="1,152,500")))
    message = "Phải là một số, ví dụ 1.234.567,89 hoặc 1234567.89, không phải '1,152,500'."
    assert (result.errors, db_counts()) == (
        [RowError("licences", 2, "capital_vnd", message)],
        (0, 0, 0, 0),
    )  # fmt: skip
