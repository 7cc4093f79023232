"""DOMAIN.md §7 and §9: `build_reports` and `report --format json` reproduce the published 2019 figures,
and the API serves the very same document."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.demo import demo_fixture

seeded = demo_fixture()


@pytest.fixture
def built(seeded, db):
    call_command("build_reports", "2019", "--timeout", "5", stdout=StringIO())
    call_command("build_reports", "2019-YTD11", "--scope", "board:TBH", "--timeout", "5", stdout=StringIO())


def report(scope, period):
    out = StringIO()
    call_command("report", "--scope", scope, "--period", period, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def values(doc, *codes):
    return [doc["indicators"][code]["value"] for code in codes]


def test_ha_nam_2019_through_the_command(built):
    doc = report("board:HNA", "2019")
    assert {k: doc[k] for k in ("scope", "period", "start", "end", "version")} == {
        "scope": "board:HNA", "period": "2019", "start": "2019-01-01", "end": "2019-12-31", "version": 1,
    }  # fmt: skip
    assert values(doc, "zones_total", "zone_area_ha", "new_projects", "new_projects_fdi", "new_projects_ddi") == [
        8, 2553.0, 67, 50, 17,
    ]  # fmt: skip
    adjustments = doc["indicators"]["adjustments"]["value"]
    raised = sum(values(doc, "capital_increase_adjustments_fdi", "capital_increase_adjustments_ddi"))
    assert (adjustments, raised) == (119, 44)
    assert values(doc, "new_and_added_capital_fdi_usd", "new_and_added_capital_ddi_vnd") == [
        753_850_000.0, 3_604_090_000_000,
    ]  # fmt: skip
    assert values(doc, "valid_projects", "valid_capital_fdi_usd", "valid_capital_ddi_vnd") == [
        410, 3_246_230_000.0, 29_713_400_000_000,
    ]  # fmt: skip
    production = doc["indicators"]["production_value_vnd"]
    assert (production["value"], production["growth_pct"]) == (93_070_000_000_000, 25.4)
    assert values(doc, "budget_vnd", "export_usd", "employees") == [3_800_000_000_000, 2_192_000_000.0, 70_973]


def test_thai_binh_january_to_november_2019_through_the_command(built):
    doc = report("board:TBH", "2019-YTD11")
    assert (doc["start"], doc["end"]) == ("2019-01-01", "2019-11-30")
    new_capital = sum(values(doc, "new_capital_fdi_vnd", "new_capital_ddi_vnd"))
    assert (doc["indicators"]["new_projects"]["value"], new_capital) == (21, 4_466_777_000_000)
    added = sum(values(doc, "added_capital_fdi_vnd", "added_capital_ddi_vnd"))
    net = sum(values(doc, "net_capital_change_fdi_vnd", "net_capital_change_ddi_vnd"))
    raised = sum(values(doc, "capital_increase_adjustments_fdi", "capital_increase_adjustments_ddi"))
    assert (doc["indicators"]["adjustments"]["value"], raised, added, net) == (
        30, 14, 907_538_000_000, 899_413_000_000,
    )  # fmt: skip
    assert values(doc, "valid_projects", "valid_projects_ddi", "valid_projects_fdi") == [284, 231, 53]
    registered = sum(values(doc, "valid_capital_fdi_vnd", "valid_capital_ddi_vnd"))
    implemented = sum(values(doc, "implemented_capital_fdi_vnd", "implemented_capital_ddi_vnd"))
    assert (registered, implemented, doc["indicators"]["implemented_ratio_pct"]["value"]) == (
        81_770_544_000_000, 55_555_400_000_000, 67.94,
    )  # fmt: skip
    assert values(doc, "revenue_vnd", "employees") == [None, None]  # 11 months are not whole quarters


def test_the_api_serves_the_same_document(built, api_client, ministry_user, hna_staff):
    api_client.force_authenticate(ministry_user)
    for scope in ("board:HNA", "bloc:DBSH", "national"):
        response = api_client.get(f"/api/v1/reports/{scope}/2019/")
        assert (response.status_code, response.json()) == (200, report(scope, "2019"))
    api_client.force_authenticate(hna_staff)
    assert api_client.get("/api/v1/reports/board:HNA/2019/").json()["indicators"]["valid_projects"]["value"] == 410


def test_the_api_hides_other_boards_and_explains_bad_codes(built, api_client, tbh_staff):
    api_client.force_authenticate(tbh_staff)
    assert api_client.get("/api/v1/reports/board:HNA/2019/").status_code == 404
    assert api_client.get("/api/v1/reports/national/2019/").status_code == 404
    bad = api_client.get("/api/v1/reports/board:TBH/2019-Q5/")
    assert (bad.status_code, bad.json()["detail"]) == (
        400, "Mã kỳ '2019-Q5' không hợp lệ: số sau Q phải từ 1 đến 4.",
    )  # fmt: skip
    assert api_client.get("/api/v1/reports/board:TBH/2019/").json()["scope"] == "board:TBH"


def test_the_report_command_refuses_bad_codes(db):
    with pytest.raises(CommandError, match="Phạm vi 'khối:X' không hợp lệ"):
        call_command("report", "--scope", "khối:X", "--period", "2019")
    with pytest.raises(CommandError, match="Không có Ban quản lý mã 'ZZZ'"):
        call_command("build_reports", "2019", "--scope", "board:ZZZ")
