"""A board round-trips its own data (DOMAIN.md §6): `export_workbook --board HNA` of the demo, uploaded again.

The demo's Hà Nam data (1,952 licence rows, 13,615 quarterly reports) with 2024-Q1 approved: the
unchanged file changes nothing, a changed cell of the approved quarter is refused naming it, a changed
cell of an open quarter is applied, and the dry run lists what it would add and change.
"""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from investment.models import EnterpriseReport
from kcn_portal.core.models import AuditRecord
from kcn_portal.core.workbook import RowError, import_workbook
from reports.services import approval as approval_services
from tests.demo import demo_fixture
from tests.factories import MembershipFactory, UserFactory
from zones.enums import MembershipRole
from zones.models import Board

seeded = demo_fixture(projects=("HNA",), reports=("HNA",), examples=())
LOCKED = (
    "Số liệu kỳ 2024-Q1 của Ban đã được lãnh đạo phê duyệt ngày {date} nên không sửa được báo cáo quý 1/2024. "
    "Hãy đề nghị đính chính, hoặc đề nghị mở lại kỳ."
)


@pytest.fixture(scope="module")
def exported(seeded, django_db_blocker, tmp_path_factory):
    """HNA's 2024-Q1 approved (inside the demo's transaction), then its workbook as the command writes it."""
    path = tmp_path_factory.mktemp("roundtrip") / "hna.xlsx"
    with django_db_blocker.unblock():
        board = Board.objects.get(code="HNA")
        leader = UserFactory(username="rt.lead")
        MembershipFactory(user=leader, board=board, role=MembershipRole.LEADER)
        approval_services.period_approve(user=leader, board=board, period="2024-Q1", acknowledge_issues=True)
        call_command("export_workbook", str(path), "--board", "HNA")
    return path


def edited(source, target, period: str, column: str, value):
    """A copy of the workbook with one enterprise_reports cell changed (the first row of `period`); its row."""
    wb = openpyxl.load_workbook(source)
    ws = wb["enterprise_reports"]
    keys = [cell.value for cell in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[keys.index("period")].value == period:
            row[keys.index(column)].value = value
            wb.save(target)
            return row[0].row, row[0].value
    raise AssertionError(period)


def test_the_unchanged_export_is_no_changes_with_an_approved_period_present(db, exported):
    audits, reports = AuditRecord.objects.count(), list(EnterpriseReport.objects.values_list("version", flat=True))
    result = import_workbook(exported)
    assert (result.errors, result.changed, result.changes) == ([], False, {})
    assert {name: vars(counts) for name, counts in result.sheets.items()} == {
        "boards": {"created": 0, "updated": 0, "unchanged": 1},
        "zones": {"created": 0, "updated": 0, "unchanged": 8},
        "licences": {"created": 0, "updated": 0, "unchanged": 1952},
        "enterprise_reports": {"created": 0, "updated": 0, "unchanged": 13615},
        "plans": {"created": 0, "updated": 0, "unchanged": 0},  # the test demo seeds no plans
    }
    assert AuditRecord.objects.count() == audits
    assert list(EnterpriseReport.objects.values_list("version", flat=True)) == reports


def test_a_changed_cell_in_the_approved_quarter_is_refused_naming_it(db, exported, tmp_path):
    number, code = edited(exported, tmp_path / "locked.xlsx", "2024-Q1", "revenue_vnd", 123_456_789)
    audits = AuditRecord.objects.count()
    result = import_workbook(tmp_path / "locked.xlsx")
    approved = datetime.date.today().strftime("%d/%m/%Y")
    assert result.errors == [RowError("enterprise_reports", number, "revenue_vnd", LOCKED.format(date=approved))]
    assert AuditRecord.objects.count() == audits
    assert EnterpriseReport.objects.get(project__code=code, year=2024, quarter=1).revenue_vnd != 123_456_789


def test_a_changed_cell_in_an_open_quarter_is_applied_exactly(db, exported, tmp_path):
    _number, code = edited(exported, tmp_path / "open.xlsx", "2025-Q3", "export_usd", 1234567.89)
    before = EnterpriseReport.objects.get(project__code=code, year=2025, quarter=3)
    audits = AuditRecord.objects.count()
    result = import_workbook(tmp_path / "open.xlsx")
    assert (result.errors, vars(result.sheets["enterprise_reports"])) == (
        [],
        {"created": 0, "updated": 1, "unchanged": 13614},
    )
    after = EnterpriseReport.objects.get(pk=before.pk)
    assert (after.export_usd, after.version, after.revenue_vnd) == (
        Decimal("1234567.89"),
        before.version + 1,
        before.revenue_vnd,
    )
    assert list(
        AuditRecord.objects.filter(pk__gt=0).order_by("-pk").values_list("model", "object_id", "action")[:1]
    ) == [("investment.enterprisereport", str(before.pk), "update")]
    assert AuditRecord.objects.count() == audits + 1


def test_the_dry_run_lists_the_changed_row_before_and_after(db, exported, tmp_path):
    number, code = edited(exported, tmp_path / "open.xlsx", "2025-Q3", "employees", 777)
    before = EnterpriseReport.objects.get(project__code=code, year=2025, quarter=3)
    result = import_workbook(tmp_path / "open.xlsx", dry_run=True)
    assert [change.as_dict() for change in result.changes["enterprise_reports"]] == [
        {
            "row": number,
            "action": "updated",
            "key": f"{code} / 2025-Q3",
            "fields": [{"column": "employees", "before": str(before.employees), "after": "777"}],
        }
    ]
    assert list(result.changes) == ["enterprise_reports"]
    assert EnterpriseReport.objects.get(pk=before.pk).employees == before.employees
