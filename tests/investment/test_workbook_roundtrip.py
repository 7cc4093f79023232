"""Export → import into an empty database → export gives identical sheets (DOMAIN.md §6)."""

import datetime
from decimal import Decimal

import pytest

from investment.models import EnterpriseReport, Investor, LicenceEvent, Project, ProjectInvestor
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.core.workbook import export_workbook, import_workbook
from reports.models import Plan
from reports.services.plans import plan_set
from tests.factories import make_project
from tests.fixtures.workbooks import build_workbook, licence, licences_with, read_sheets
from zones.models import Board, Membership, Zone

pytestmark = pytest.mark.django_db

# Deleted in this order, children first, to leave an empty database (audit records keep the history).
MODELS = (Plan, EnterpriseReport, LicenceEvent, ProjectInvestor, Project, Investor, Membership, Zone, Board)


@pytest.fixture
def data(tmp_path, hna, hna_zone, tbh_zone):
    """Projects registered through the services and through an import, reports and plans."""
    project = make_project(
        hna_zone, code="0012345678", project_name="=1+1 nhà máy", investors=[{"name": "+Công ty", "country": "VN"}]
    )
    adjust = licence_services.licence_adjust(
        user=None, project=project, certificate_no="DC-1", event_date=datetime.date(2020, 1, 6), capital_vnd=2 * 10**12
    )
    licence_services.licence_correct(
        user=None, event=adjust, reason="Sai số", capital_vnd=25 * 10**11, capital_usd=None
    )
    licence_services.licence_terminate(
        user=None,
        project=project,
        certificate_no="QD-1",
        event_date=datetime.date(2022, 3, 1),
        termination_ground="investor",
    )
    rows = [
        licence("5421000002", vnd=300_000_000_000, usd=None, land=12.75, note="-ghi chú"),
        licence("5421000002", "adjust", "DC-9", "2021-12-31", 450_000_000_000, 19_000_000.01),
        licence("5421000003", zone="TBH-PK", kind="ddi", country="VN", investor="@Công ty Việt", vnd=None, usd=80_000),
    ]
    assert import_workbook(build_workbook(tmp_path / "seed.xlsx", {"licences": licences_with(*rows)})).ok
    enterprise_report_services.enterprise_report_save(
        user=None, project=project, year=2021, quarter=3, revenue_vnd=5 * 10**9, employees=40
    )
    plan_set(user=None, board=hna, year=2025, indicator="new_projects", value=Decimal("40"))
    plan_set(user=None, board=hna, year=2025, indicator="export_usd", value=Decimal("1250000000.50"))


def test_export_import_into_an_empty_database_export_is_identical(tmp_path, data):
    export_workbook(tmp_path / "first.xlsx")
    first = read_sheets(tmp_path / "first.xlsx")
    assert [len(first[name]) - 1 for name in first] == [2, 2, 6, 1, 2]
    for model in MODELS:
        model.objects.all().delete()
    result = import_workbook(tmp_path / "first.xlsx")
    assert result.errors == []
    assert {name: c.created for name, c in result.sheets.items()} == {
        "boards": 2,
        "zones": 2,
        "licences": 6,
        "enterprise_reports": 1,
        "plans": 2,
    }
    export_workbook(tmp_path / "second.xlsx")
    assert read_sheets(tmp_path / "second.xlsx") == first


def test_the_round_trip_keeps_derived_amounts_derived(tmp_path, data):
    export_workbook(tmp_path / "first.xlsx")
    stored = list(
        LicenceEvent.objects.filter(is_current=True)
        .values_list("certificate_no", "capital_usd", "capital_usd_derived", "capital_vnd_derived")
        .order_by("certificate_no")
    )
    for model in MODELS:
        model.objects.all().delete()
    import_workbook(tmp_path / "first.xlsx")
    assert (
        list(
            LicenceEvent.objects.values_list(
                "certificate_no", "capital_usd", "capital_usd_derived", "capital_vnd_derived"
            ).order_by("certificate_no")
        )
        == stored
    )
    assert Project.objects.get(code="0012345678").status == "terminated"


def test_reimporting_an_export_changes_nothing(tmp_path, data):
    export_workbook(tmp_path / "first.xlsx")
    result = import_workbook(tmp_path / "first.xlsx")
    assert (result.errors, {name: (c.created, c.updated) for name, c in result.sheets.items()}) == (
        [],
        dict.fromkeys(("boards", "zones", "licences", "enterprise_reports", "plans"), (0, 0)),
    )
