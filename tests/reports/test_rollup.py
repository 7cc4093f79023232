"""The rollup engine's figures on the edge-case ledger of conftest.py, exactly (DOMAIN.md §5)."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kcn_portal.indicators import INDICATOR_CODES
from kcn_portal.periods import parse
from reports.engine import rollup
from reports.services import builds
from reports.services import plans as plan_services

from .conftest import BN


def values(board, code):
    return rollup.board_values(parse(code), [board.pk])[board.pk]


def test_flows_of_the_year_count_issues_adjustments_and_terminations(ledger, hna):
    v = values(hna, "2019")
    assert (v["new_projects"], v["new_projects_fdi"], v["new_projects_ddi"]) == (1, 1, 0)
    assert (v["new_capital_fdi_usd"], v["new_capital_fdi_vnd"]) == (Decimal("50000000.00"), 1_152_500_000_000)
    assert (v["adjustments"], v["adjustments_fdi"], v["capital_increase_adjustments_fdi"]) == (1, 1, 1)
    assert (v["added_capital_fdi_usd"], v["added_capital_fdi_vnd"]) == (Decimal("10000000.00"), 230_500_000_000)
    assert v["net_capital_change_fdi_vnd"] == 230_500_000_000
    assert v["new_and_added_capital_fdi_usd"] == Decimal("60000000.00")
    assert (v["terminated_projects_ddi"], v["terminated_projects_fdi"]) == (1, 0)


def test_valid_projects_take_the_capital_after_the_last_adjustment_and_drop_the_terminated(ledger, hna):
    v = values(hna, "2019")
    assert (v["valid_projects"], v["valid_projects_fdi"], v["valid_projects_ddi"]) == (1, 1, 0)
    assert (v["valid_capital_fdi_usd"], v["valid_capital_fdi_vnd"]) == (Decimal("60000000.00"), 1_383 * BN)
    before_adjustment = values(hna, "2019-M05")
    assert before_adjustment["valid_capital_fdi_vnd"] == 1_152_500_000_000
    assert (before_adjustment["valid_projects_ddi"], before_adjustment["valid_capital_ddi_vnd"]) == (1, 100 * BN)


def test_implemented_capital_is_the_latest_stated_figure_and_the_ratio_is_recomputed(ledger, hna):
    v = values(hna, "2019")
    # Q3 states no implemented capital: Q2's 300 bn stands, against 1.383 bn registered.
    assert (v["implemented_capital_fdi_vnd"], v["implemented_ratio_pct"]) == (300 * BN, Decimal("21.69"))
    assert values(hna, "2019-M04")["implemented_capital_fdi_vnd"] == 200 * BN


def test_enterprise_flows_sum_every_report_and_stocks_take_each_valid_projects_latest(ledger, hna):
    v = values(hna, "2019")
    assert v["revenue_vnd"] == (10 + 20 + 30 + 5 + 7) * BN  # the terminated project's reports still count
    assert (v["employees"], v["employees_foreign"]) == (160, 6)  # P1's Q3 only: P2 ended on 30/09
    h1 = values(hna, "2019-H1")
    assert (h1["revenue_vnd"], h1["employees"]) == (35 * BN, 150 + 40)
    q4 = values(hna, "2019-Q4")
    # People at the end of 2019 whichever period ends then: P1 has no Q4 report, its Q3 carries over (§5).
    assert (q4["revenue_vnd"], q4["employees"], q4["employees_foreign"]) == (0, 160, 6)


def test_periods_that_are_not_whole_quarters_have_no_enterprise_figures(ledger, hna):
    v = values(hna, "2019-YTD11")
    assert [v[c] for c in ("revenue_vnd", "export_usd", "employees", "employees_foreign")] == [None] * 4
    assert v["new_projects"] == 1


def test_zones_count_those_established_by_the_end_and_occupancy_comes_from_the_sums(ledger, hna):
    v2019, v2020 = values(hna, "2019"), values(hna, "2020")
    assert (v2019["zones_total"], v2020["zones_total"]) == (1, 2)
    assert (v2019["leased_land_ha"], v2019["industrial_land_ha"]) == (Decimal("123.45"), Decimal("234.50"))
    assert v2019["occupancy_pct"] == Decimal("52.64")


def test_a_bloc_is_the_sum_of_its_boards_with_ratios_recomputed_not_averaged(ledger, hna, tbh):
    boards = rollup.board_values(parse("2019"), [hna.pk, tbh.pk])
    bloc = rollup.combine(boards.values())
    assert (bloc["new_projects_fdi"], bloc["new_capital_fdi_usd"]) == (2, Decimal("70000000.00"))
    # (123,45 + 150) ÷ (234,5 + 200) = 62,93 %, not the mean of 52,64 % and 75 %.
    assert bloc["occupancy_pct"] == Decimal("62.93")
    assert bloc["revenue_vnd"] == 72 * BN


def test_growth_plan_and_achievement(ledger, hna, hna_leader):
    plan_services.plan_set(
        user=hna_leader, board=hna, year=2019, indicator="valid_capital_fdi_vnd", value=Decimal(2000 * BN)
    )
    figures = builds.compute_boards(parse("2019"), [hna.pk])[hna.pk]
    doc = rollup.document(figures.value, figures.previous, figures.plans)
    assert doc["valid_capital_fdi_vnd"] == {
        "value": 1_383 * BN, "previous": 0, "growth_pct": None, "plan": 2000 * BN, "plan_pct": Decimal("69.15"),
    }  # fmt: skip
    assert doc["new_projects"]["previous"] == 1 and doc["new_projects"]["growth_pct"] == Decimal("0.00")
    assert doc["occupancy_pct"]["growth_pct"] is None  # a ratio's change is in points, not per cent


def test_every_catalogue_code_is_computed(ledger, hna):
    assert list(values(hna, "2019")) == list(INDICATOR_CODES)


def test_the_engine_runs_a_fixed_number_of_queries_whatever_the_boards(ledger, hna, tbh):
    with CaptureQueriesContext(connection) as one:
        rollup.board_values(parse("2019"), [hna.pk])
    with CaptureQueriesContext(connection) as every:
        rollup.board_values(parse("2019"))
    # Seven grouped queries (five on PostgreSQL, which folds the valid projects into one), plus one:
    # some boards look up their zones, every board lists the boards.
    assert (len(one), len(every)) == ((6, 6) if connection.vendor == "postgresql" else (8, 8))
