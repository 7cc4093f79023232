"""Every write reaches the figures, and the lock holds for all of them (issue 16, item 5)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from investment.models import LicenceEvent, Project
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from investment.services import projects as project_services
from kcn_portal.periods import parse
from reports.engine import reference, rollup
from reports.models import ReportState
from reports.services import approval as approval_services
from reports.services import builds
from tests.factories import make_project
from zones import services as zone_services
from zones.models import Zone

from .conftest import BN, assert_summaries_add_up

HNA_2019 = "Năm 2019 của Ban Quản lý các KCN tỉnh Hà Nam đã được phê duyệt ngày {today}; {what} làm thay đổi số liệu "
HNA_2019 += "của kỳ này nên không được ghi. Hãy đề nghị đính chính, hoặc đề nghị mở lại kỳ."


def altered(what: str) -> str:
    return HNA_2019.format(today=timezone.localdate().strftime("%d/%m/%Y"), what=what)


@pytest.fixture
def approved_2019(ledger, hna, hna_leader):
    approval_services.period_approve(user=hna_leader, board=hna, period="2019")
    return ledger


def register(zone, code, day):
    return make_project(zone, code, event_date=day, capital_vnd=50 * BN, capital_usd=Decimal("2000000.00"))


def test_a_registration_dated_in_or_before_an_approved_year_is_refused_and_nothing_stored(approved_2019, hna_zone):
    projects, events = Project.objects.count(), LicenceEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        register(hna_zone, "5421000009", datetime.date(2019, 7, 1))
    assert refused.value.message_dict["event_date"][0].startswith("Số liệu kỳ 2019 của Ban đã được lãnh đạo phê duyệt")
    with pytest.raises(ValidationError) as refused:  # back-dated: valid at the end of 2019 too
        register(hna_zone, "5421000009", datetime.date(2018, 12, 1))
    assert refused.value.message_dict == {"event_date": [altered("sự kiện ngày 01/12/2018")]}
    assert (Project.objects.count(), LicenceEvent.objects.count()) == (projects, events)
    assert_summaries_add_up()


def test_a_registration_after_the_approved_year_is_stored_and_marks_the_reports_stale(
    approved_2019, hna_zone, marked_after_commit
):
    builds.report_build(period=parse("2020"))
    with marked_after_commit():
        register(hna_zone, "5421000009", datetime.date(2020, 2, 3))
    stale = ReportState.objects.filter(period="2020", stale_since__isnull=False).values_list("scope", flat=True)
    assert sorted(stale) == ["bloc:DBSH", "board:HNA", "national"]
    assert ReportState.objects.get(scope="board:HNA", period="2019").stale_since is None
    assert_summaries_add_up()


def test_a_back_dated_adjustment_that_moves_an_approved_years_capital_is_refused(approved_2019):
    p3 = approved_2019[2]  # Thái Bình: not approved, its adjustments are free
    licence_services.licence_adjust(
        user=None, project=p3, certificate_no="DC1", event_date=datetime.date(2019, 5, 5), capital_vnd=500 * BN
    )
    p2 = approved_2019[1]  # Hà Nam, 2018: reaches 2019's "same period last year"
    with pytest.raises(ValidationError) as refused:
        licence_services.licence_adjust(
            user=None, project=p2, certificate_no="DC1", event_date=datetime.date(2018, 6, 1), capital_vnd=90 * BN
        )
    assert refused.value.message_dict == {"event_date": [altered("sự kiện ngày 01/06/2018")]}
    assert LicenceEvent.objects.filter(project=p2).count() == 2
    assert_summaries_add_up()


def test_a_zone_edit_is_refused_only_when_it_moves_an_approved_periods_figures(approved_2019, hna_zone):
    with pytest.raises(ValidationError) as refused:
        zone_services.zone_update(user=None, zone=hna_zone, leased_land_ha=Decimal("150.00"))
    assert refused.value.message_dict == {"leased_land_ha": [altered("thay đổi khu HNA-DV1")]}
    with pytest.raises(ValidationError) as refused:
        zone_services.zone_update(user=None, zone=hna_zone, status="closed")
    assert refused.value.message_dict == {"status": [altered("thay đổi khu HNA-DV1")]}
    saved = zone_services.zone_update(user=None, zone=hna_zone, name="KCN Đồng Văn 1", developer="Công ty A")
    assert (saved.name, saved.leased_land_ha, saved.status) == ("KCN Đồng Văn 1", Decimal("123.45"), "operating")
    later = Zone.objects.get(code="HNA-NEW")  # established in 2020: no approved figure holds it
    zone_services.zone_update(user=None, zone=later, leased_land_ha=Decimal("1.00"))
    assert_summaries_add_up()


def test_a_new_zone_needs_a_date_after_the_approved_year(approved_2019, hna):
    data = {"code": "HNA-X", "name": "KCN X", "board": hna, "natural_area_ha": Decimal("10"),
            "industrial_land_ha": Decimal("5"), "leased_land_ha": Decimal("1")}  # fmt: skip
    with pytest.raises(ValidationError) as refused:  # no date: counted in every period
        zone_services.zone_create(user=None, **data)
    assert refused.value.message_dict == {"established_on": [altered("khu mới HNA-X")]}
    zone_services.zone_create(user=None, established_on=datetime.date(2021, 1, 1), **data)
    assert Zone.objects.filter(code="HNA-X").count() == 1
    assert_summaries_add_up()


def test_a_zone_moving_to_another_board_with_its_projects_is_refused(approved_2019, hna_zone, tbh):
    with pytest.raises(ValidationError) as refused:
        zone_services.zone_update(user=None, zone=hna_zone, board=tbh)
    assert refused.value.message_dict == {"board": [altered("thay đổi khu HNA-DV1")]}
    assert Zone.objects.get(pk=hna_zone.pk).board.code == "HNA"


def test_a_report_outside_the_approved_year_that_carries_into_it_is_refused(ledger, hna, hna_leader):
    approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q4")
    p1 = ledger[0]  # no Q4 report: its Q3 employees (160) are those of 31/12/2019
    with pytest.raises(ValidationError) as refused:
        enterprise_report_services.enterprise_report_save(user=None, project=p1, year=2019, quarter=3, employees=170)
    assert refused.value.messages[0].startswith("Quý 4 năm 2019 của Ban Quản lý các KCN tỉnh Hà Nam đã được")
    enterprise_report_services.enterprise_report_save(user=None, project=p1, year=2019, quarter=3, revenue_vnd=31 * BN)
    assert_summaries_add_up()


def test_two_same_day_adjustments_apply_by_their_number_not_their_text(hna_zone):
    project = make_project(hna_zone, "5421000007", event_date=datetime.date(2020, 1, 6), capital_vnd=100 * BN)
    day = datetime.date(2020, 5, 5)
    for number, capital in (("DC10", 130), ("DC3", 200)):  # entered out of number order
        project = licence_services.licence_adjust(
            user=None, project=project, certificate_no=number, event_date=day, capital_vnd=capital * BN
        ).project
    assert Project.objects.get(pk=project.pk).capital_vnd == 130 * BN
    events = LicenceEvent.objects.filter(project=project, kind="adjust").order_by("adjust_no")
    assert [(e.certificate_no, e.adjust_no, e.capital_change_vnd) for e in events] == [
        ("DC3", 1, 100 * BN), ("DC10", 2, -70 * BN)]  # fmt: skip
    period = parse("2020")
    values = rollup.board_values(period, [hna_zone.board_id])[hna_zone.board_id]
    assert (values["valid_capital_fdi_vnd"], values["net_capital_change_fdi_vnd"]) == (130 * BN, 30 * BN)
    assert values == reference.board_values(period, [hna_zone.board_id])[hna_zone.board_id]


def test_a_zone_name_marks_no_report_stale_and_an_area_marks_the_boards(ledger, hna_zone, marked_after_commit):
    builds.report_build(period=parse("2019"))
    with marked_after_commit():
        zone_services.zone_update(user=None, zone=hna_zone, name="KCN Đồng Văn 1")
    assert not ReportState.objects.filter(stale_since__isnull=False).exists()
    with marked_after_commit():
        zone_services.zone_update(user=None, zone=hna_zone, leased_land_ha=Decimal("130.00"))
    stale = ReportState.objects.filter(stale_since__isnull=False).values_list("scope", flat=True)
    assert sorted(stale) == ["bloc:DBSH", "board:HNA", "national"]


def test_moving_a_project_that_ended_the_year_before_an_approved_year_is_refused(ledger, hna, hna_leader, tbh_zone):
    approval_services.period_approve(user=hna_leader, board=hna, period="2020")
    p2 = ledger[1]  # terminated 30/09/2019: counts in 2020's "same period last year" (2019) under Hà Nam
    with pytest.raises(ValidationError) as refused:
        project_services.project_update(user=None, project=p2, zone=tbh_zone)
    assert refused.value.messages == [
        altered("loại dự án hoặc khu của dự án 5421000002").replace("Năm 2019", "Năm 2020")
    ]
    assert Project.objects.get(pk=p2.pk).zone.code == "HNA-DV1"
