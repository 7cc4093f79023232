"""The rollup engine (SQL aggregation) equals the naive reference (Python loops over model instances).

reports.reference computes DOMAIN.md §5 straight from the records, one project at a time; the
engine must answer exactly the same values, with the same types, for every board: on the demo
data (Hà Nam, Thái Bình, Hà Nội) for periods of every kind, and on hand-built edge cases.
"""

import datetime
from decimal import Decimal

import pytest

from investment.models import EnterpriseReport, LicenceEvent
from investment.services import licences as services
from kcn_portal import periods
from reports.engine import reference, rollup
from tests.demo import demo_fixture
from tests.factories import BoardFactory, ZoneFactory, make_project
from zones.enums import ZoneStatus
from zones.models import Board

seeded = demo_fixture()
DEMO_PERIODS = ("2019", "2019-YTD11", "2019-Q3", "2019-M07", "2018-H2", "2025")


@pytest.fixture
def demo(seeded, db):
    return seeded


def differences(period_code: str, board_ids=None) -> list[tuple]:
    """(board, code, engine value, reference value) wherever the two differ in value or type."""
    period = periods.parse(period_code)
    engine, naive = rollup.board_values(period, board_ids), reference.board_values(period, board_ids)
    assert sorted(engine) == sorted(naive)
    return [
        (board_id, code, value, naive[board_id][code])
        for board_id, values in engine.items()
        for code, value in values.items()
        if (value, type(value)) != (naive[board_id][code], type(naive[board_id][code]))
    ]


def both(period_code: str, board) -> dict:
    """The board's values, after checking that the engine and the reference agree on every one."""
    assert differences(period_code, [board.pk]) == []
    return rollup.board_values(periods.parse(period_code), [board.pk])[board.pk]


def pick(values: dict, *codes) -> tuple:
    return tuple(values[code] for code in codes)


# --- the demo data ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", DEMO_PERIODS)
def test_engine_equals_reference_for_every_board_on_the_demo_data(demo, code):
    assert Board.objects.count() == 11
    assert differences(code) == []


def test_the_demo_comparison_is_not_vacuous(demo):
    hna = Board.objects.get(code="HNA")
    values = reference.board_values(periods.parse("2019"), [hna.pk])[hna.pk]
    assert pick(values, "new_projects", "new_projects_fdi", "new_projects_ddi", "adjustments", "valid_projects") == (
        67,
        50,
        17,
        119,
        410,
    )
    assert pick(values, "zones_total", "employees") == (8, 70973)


def test_a_partial_quarter_has_no_enterprise_figures_in_either(demo):
    hna = Board.objects.get(code="HNA")
    values = reference.board_values(periods.parse("2019-YTD11"), [hna.pk])[hna.pk]
    assert pick(values, "revenue_vnd", "export_usd", "employees", "employees_foreign") == (None, None, None, None)
    assert differences("2019-YTD11", [hna.pk]) == []


# --- edge cases, built with factories ---------------------------------------------------------


@pytest.fixture
def board(db):
    # Codes of its own: the module's demo data may be seeded already (its Hà Nam is HNA).
    return BoardFactory(code="EDG", name="Ban Quản lý thử")


@pytest.fixture
def zone(board):
    return ZoneFactory(
        code="EDG-Z1",
        board=board,
        natural_area_ha=Decimal("320.00"),
        industrial_land_ha=Decimal("234.50"),
        leased_land_ha=Decimal("123.45"),
    )


def new_project(zone, number=1, **issue):
    return make_project(zone, f"99900000{number:02d}", **issue)


def adjust(project, day, vnd, usd, cert):
    return services.licence_adjust(
        user=None, project=project, certificate_no=cert, event_date=day, capital_vnd=vnd, capital_usd=Decimal(usd)
    )


def report(project, year, quarter, **figures):
    return EnterpriseReport.objects.create(project=project, year=year, quarter=quarter, **figures)


@pytest.mark.django_db
def test_an_issue_and_an_adjustment_on_the_same_day(zone, board):
    day = datetime.date(2019, 3, 15)
    project = new_project(zone, capital_vnd=1_000_000_000_000, capital_usd=Decimal("40000000"))
    adjust(project, day, 1_500_000_000_000, "60000000", "ADJ-1")
    values = both("2019", board)
    assert pick(values, "new_projects_fdi", "adjustments_fdi", "capital_increase_adjustments_fdi") == (1, 1, 1)
    assert pick(values, "added_capital_fdi_vnd", "new_and_added_capital_fdi_usd") == (
        500_000_000_000,
        Decimal("60000000.00"),
    )
    assert pick(values, "valid_capital_fdi_vnd", "valid_capital_fdi_usd") == (1_500_000_000_000, Decimal("60000000.00"))


@pytest.mark.django_db
def test_a_voided_and_a_corrected_adjustment(zone, board):
    project = new_project(zone, capital_vnd=1_000_000_000_000, capital_usd=Decimal("40000000"))
    wrong = adjust(project, datetime.date(2019, 5, 2), 9_000_000_000_000, "360000000", "ADJ-1")
    typo = adjust(project, datetime.date(2019, 6, 3), 1_200_000_000_000, "48000000", "ADJ-2")
    services.licence_correct(user=None, event=wrong, reason="Nhập nhầm dự án", voided=True)
    services.licence_correct(user=None, event=typo, reason="Sai số vốn", capital_vnd=800_000_000_000)
    assert LicenceEvent.objects.filter(project=project).count() == 5
    values = both("2019", board)
    assert pick(values, "adjustments", "capital_increase_adjustments_fdi", "net_capital_change_fdi_vnd") == (
        1,
        0,
        -200_000_000_000,
    )
    assert pick(values, "added_capital_fdi_vnd", "added_capital_fdi_usd", "valid_capital_fdi_vnd") == (
        0,
        Decimal("8000000.00"),
        800_000_000_000,
    )


@pytest.mark.django_db
def test_a_project_terminated_inside_the_period(zone, board):
    project = new_project(zone, event_date=datetime.date(2018, 4, 1))
    new_project(
        zone, 2, event_date=datetime.date(2018, 5, 1), kind="ddi", investors=[{"name": "CP An", "country": "VN"}]
    )
    services.licence_terminate(
        user=None,
        project=project,
        certificate_no="12/QĐ-BQL",
        event_date=datetime.date(2019, 8, 20),
        termination_ground="investor",
    )
    values = both("2019", board)
    assert pick(values, "terminated_projects_fdi", "valid_projects", "valid_projects_fdi", "valid_projects_ddi") == (
        1,
        1,
        0,
        1,
    )
    assert pick(both("2019-H1", board), "terminated_projects_fdi", "valid_projects_fdi", "valid_projects") == (0, 1, 2)


@pytest.mark.django_db
def test_a_missing_last_quarter_falls_back_to_the_previous_one(zone, board):
    project = new_project(zone, event_date=datetime.date(2018, 4, 1))
    report(project, 2019, 1, employees=100, employees_foreign=5, revenue_vnd=10, implemented_capital_vnd=7)
    report(project, 2019, 2, employees=120, employees_foreign=6, revenue_vnd=20)
    report(project, 2019, 3, employees=150, employees_foreign=9, revenue_vnd=30)
    values = both("2019", board)
    assert pick(values, "employees", "employees_foreign", "revenue_vnd") == (150, 9, 60)
    assert pick(values, "implemented_capital_fdi_vnd", "implemented_capital_fdi_usd") == (7, Decimal("0.00"))
    assert pick(both("2019-H1", board), "employees", "revenue_vnd") == (120, 30)


@pytest.mark.django_db
def test_a_terminated_projects_reports_count_in_flows_not_in_stocks(zone, board):
    gone = new_project(zone, event_date=datetime.date(2018, 4, 1))
    stays = new_project(zone, 2, event_date=datetime.date(2018, 4, 1))
    services.licence_terminate(
        user=None,
        project=gone,
        certificate_no="9/QĐ",
        event_date=datetime.date(2019, 7, 10),
        termination_ground="board",
    )
    report(gone, 2019, 2, employees=400, export_usd=Decimal("1000.50"), implemented_capital_vnd=900)
    report(stays, 2019, 4, employees=50, export_usd=Decimal("20.25"), implemented_capital_vnd=300)
    values = both("2019", board)
    assert pick(values, "export_usd", "employees", "implemented_capital_fdi_vnd") == (Decimal("1020.75"), 50, 300)
    assert pick(both("2019-H1", board), "employees", "implemented_capital_fdi_vnd") == (400, 900)


@pytest.mark.django_db
def test_zones_without_a_date_count_and_later_ones_do_not(board, zone):
    ZoneFactory(board=board, established_on=None, status=ZoneStatus.UNDER_CONSTRUCTION)
    ZoneFactory(board=board, established_on=datetime.date(2020, 1, 1), status=ZoneStatus.PLANNED)
    ZoneFactory(board=board, established_on=datetime.date(2019, 12, 31))
    values = both("2019", board)
    assert pick(values, "zones_total", "zones_operating", "zones_under_construction") == (3, 2, 1)
    assert pick(values, "industrial_land_ha", "leased_land_ha", "occupancy_pct") == (
        Decimal("634.50"),
        Decimal("423.45"),
        Decimal("66.74"),
    )
    assert both("2020", board)["zones_total"] == 4


@pytest.mark.django_db
def test_boards_are_kept_apart_and_an_empty_board_is_all_zeros(zone):
    new_project(zone)
    empty = BoardFactory(code="EDE")
    assert differences("2019") == []
    values = reference.board_values(periods.parse("2019"), [empty.pk])[empty.pk]
    assert pick(values, "new_projects", "valid_capital_fdi_usd", "zones_total", "occupancy_pct") == (
        0,
        Decimal("0.00"),
        0,
        None,
    )


@pytest.mark.django_db
def test_a_termination_on_the_last_day_counts_and_a_voided_one_does_not(zone, board):
    last_day, voided = new_project(zone, event_date=datetime.date(2018, 4, 1)), new_project(zone, 2)
    services.licence_terminate(
        user=None,
        project=last_day,
        certificate_no="1/QĐ",
        event_date=datetime.date(2019, 12, 31),
        termination_ground="board",
    )
    mistake = services.licence_terminate(
        user=None,
        project=voided,
        certificate_no="2/QĐ",
        event_date=datetime.date(2019, 10, 1),
        termination_ground="board",
    )
    services.licence_correct(user=None, event=mistake, reason="Nhầm dự án", voided=True)
    values = both("2019", board)
    assert pick(values, "terminated_projects_fdi", "valid_projects_fdi", "valid_capital_fdi_usd") == (
        1,
        1,
        Decimal("50000000.00"),
    )
    assert pick(both("2019-Q3", board), "terminated_projects_fdi", "valid_projects_fdi") == (0, 2)


@pytest.mark.django_db
def test_employees_depend_on_the_period_end_with_one_quarter_of_carry_over(zone, board):
    project = new_project(zone, event_date=datetime.date(2018, 4, 1))
    gone = new_project(zone, 2, event_date=datetime.date(2018, 4, 1))
    report(project, 2019, 2, employees=120, employees_foreign=6)
    report(project, 2019, 3, employees=150, employees_foreign=9)
    report(gone, 2019, 4, employees=70)
    services.licence_terminate(user=None, project=gone, certificate_no="9/QĐ", event_date=datetime.date(2019, 12, 31),
                               termination_ground="board")  # fmt: skip
    # No Q4 report: Q3 carries over, to 2019 and 2019-Q4 alike; the project terminated on 31/12 counts no more.
    assert pick(both("2019", board), "employees", "employees_foreign") == (150, 9)
    assert pick(both("2019-Q4", board), "employees", "employees_foreign") == (150, 9)
    assert pick(both("2020-Q1", board), "employees") == (0,)  # two quarters back: never carried
    assert pick(both("2019-H1", board), "employees") == (120,)
    assert pick(both("2019-M12", board), "employees") == (None,)  # not whole quarters: not available


@pytest.mark.django_db
def test_percentages_are_computed_unrounded_and_rounded_once_half_up(board):
    ZoneFactory(code="EDG-Z2", board=board, natural_area_ha=Decimal("1000.00"), industrial_land_ha=Decimal("1000.00"),
                leased_land_ha=Decimal("23.45"))  # fmt: skip
    assert round(23.45 / 1000 * 100, 2) == 2.34  # what float rounding would give
    assert pick(both("2019", board), "occupancy_pct") == (Decimal("2.35"),)
    # The plan of a ratio: 2.345 ÷ 2 × 100 = 117.25 exactly; from the rounded 2.35 it would be 117.50.
    values = rollup.board_values(periods.parse("2019"), [board.pk])[board.pk]
    doc = rollup.document(values, values, {"occupancy_pct": Decimal("2.00")})
    assert (doc["occupancy_pct"]["value"], doc["occupancy_pct"]["plan_pct"]) == (Decimal("2.35"), Decimal("117.25"))
    assert rollup.growth_pct(Decimal("102.345"), Decimal("100")) == Decimal("2.35")
