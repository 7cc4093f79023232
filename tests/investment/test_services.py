"""The licence ledger through its services: issue, adjust, terminate, correct, conflicts, access."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from investment.enums import ProjectStatus, TerminationGround
from investment.models import LicenceEvent
from investment.selectors import enterprise_reports as enterprise_report_selectors
from investment.selectors import licences as licence_selectors
from investment.selectors import projects as project_selectors
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.models import AuditRecord
from tests.factories import make_project

D = datetime.date


@pytest.fixture
def project(hna_zone, hna_staff):
    return make_project(hna_zone, user=hna_staff)


def test_register_caches_the_ledger_state_and_audits(project, hna_staff):
    assert (project.status, project.issued_on, project.capital_vnd, project.capital_usd) == (
        ProjectStatus.ACTIVE,
        D(2019, 3, 15),
        1_152_500_000_000,
        Decimal("50000000.00"),
    )
    assert [(s.investor.name, s.investor.country.code, s.share_pct) for s in project.shares.all()] == [
        ("Hanwha Aero Engines", "KR", Decimal("100.00"))
    ]
    assert list(AuditRecord.objects.values_list("model", "action", "actor__username").order_by("id")) == [
        ("investment.project", "create", "hna.staff"),
        ("investment.licenceevent", "create", "hna.staff"),
    ]


def test_adjustments_are_numbered_by_date_with_their_capital_change(project, hna_staff):
    second = licence_services.licence_adjust(
        user=hna_staff, project=project, certificate_no="DC-2", event_date=D(2021, 1, 5),
        capital_vnd=1_500_000_000_000, capital_usd=Decimal("65000000"),
    )  # fmt: skip
    first = licence_services.licence_adjust(
        user=hna_staff, project=project, certificate_no="DC-1", event_date=D(2020, 6, 1),
        capital_vnd=1_200_000_000_000, capital_usd=Decimal("52000000"),
    )  # fmt: skip
    second.refresh_from_db()
    assert (first.adjust_no, first.capital_change_vnd, first.capital_change_usd) == (
        1,
        47_500_000_000,
        Decimal("2000000"),
    )
    assert (second.adjust_no, second.capital_change_vnd, second.capital_change_usd) == (
        2,
        300_000_000_000,
        Decimal("13000000"),
    )
    project.refresh_from_db()
    assert (project.capital_vnd, project.version) == (1_500_000_000_000, 3)
    assert licence_selectors.project_state(project=project, as_of=D(2020, 12, 31)).capital_vnd == 1_200_000_000_000


def test_terminate_then_nothing_after_it(project, hna_staff):
    licence_services.licence_terminate(
        user=hna_staff, project=project, certificate_no="QĐ-15", event_date=D(2022, 2, 1),
        termination_ground=TerminationGround.INVESTOR,
    )  # fmt: skip
    project.refresh_from_db()
    assert (project.status, project.terminated_on) == (ProjectStatus.TERMINATED, D(2022, 2, 1))
    with pytest.raises(ValidationError) as exc:
        licence_services.licence_adjust(
            user=hna_staff, project=project, certificate_no="DC-9", event_date=D(2023, 1, 1), capital_vnd=10**12
        )
    assert exc.value.message_dict == {
        "event_date": ["Dự án đã chấm dứt ngày 01/02/2022; không ghi nhận sự kiện ngày 01/01/2023 sau đó."]
    }
    assert licence_selectors.project_state(project=project, as_of=D(2021, 12, 31)).status == ProjectStatus.ACTIVE


def test_event_rules(project, hna_staff):
    cases = [
        ({"event_date": D(2018, 1, 1)}, {"event_date": ["Ngày 01/01/2018 trước ngày cấp mới dự án (15/03/2019)."]}),
        ({"certificate_no": "5421000001-GCN"}, {"certificate_no": [
            "Số giấy chứng nhận/quyết định '5421000001-GCN' đã có trong dự án (Cấp mới)."]}),
        ({"event_date": D(2099, 1, 1)}, {"event_date": ["Ngày 01/01/2099 ở tương lai."]}),
        ({"capital_vnd": -5}, {"capital_vnd": ["Vốn đầu tư phải lớn hơn 0."]}),
    ]  # fmt: skip
    for change, errors in cases:
        data = {"certificate_no": "DC-1", "event_date": D(2020, 1, 1), "capital_vnd": 10**12, **change}
        with pytest.raises(ValidationError) as exc:
            licence_services.licence_adjust(user=hna_staff, project=project, **data)
        assert exc.value.message_dict == errors
    assert LicenceEvent.objects.count() == 1


def test_missing_usd_is_derived_at_the_year_rate_and_marked(project, hna_staff):
    event = licence_services.licence_adjust(
        user=hna_staff, project=project, certificate_no="DC-1", event_date=D(2020, 6, 1), capital_vnd=2_320_800_000_000
    )
    assert (event.capital_usd, event.capital_usd_derived, event.capital_vnd_derived) == (
        Decimal("100000000.00"), True, False,
    )  # fmt: skip


def test_correction_appends_a_version_and_keeps_the_old_one(project, hna_staff):
    adjust = licence_services.licence_adjust(
        user=hna_staff, project=project, certificate_no="DC-1", event_date=D(2020, 6, 1), capital_vnd=1_200_000_000_000,
        capital_usd=Decimal("52000000"),
    )  # fmt: skip
    fixed = licence_services.licence_correct(
        user=hna_staff, event=adjust, reason="Nhập nhầm số vốn", capital_vnd=1_250_000_000_000
    )
    assert (fixed.version, fixed.series, fixed.capital_change_vnd, fixed.adjust_no) == (
        2,
        adjust.series,
        97_500_000_000,
        1,
    )
    entries = licence_selectors.project_ledger(project=project)
    assert [(e.current.version, [h.version for h in e.history]) for e in entries] == [(1, []), (2, [1])]
    adjust.refresh_from_db()
    assert (adjust.is_current, adjust.capital_vnd) == (False, 1_200_000_000_000)
    with pytest.raises(ValidationError) as exc:
        licence_services.licence_correct(user=hna_staff, event=fixed, reason="")
    assert exc.value.message_dict == {"reason": ["Cần ghi lý do đính chính."]}


def test_a_stale_editor_gets_a_conflict_naming_what_changed(project, hna_staff):
    seen = project.version
    licence_services.licence_adjust(
        user=hna_staff, project=project, certificate_no="DC-1", event_date=D(2020, 6, 1), capital_vnd=1_200_000_000_000,
        capital_usd=Decimal("52000000"), expected_version=seen,
    )  # fmt: skip
    with pytest.raises(ConflictError) as exc:
        licence_services.licence_adjust(
            user=hna_staff, project=project, certificate_no="DC-2", event_date=D(2020, 7, 1), capital_vnd=10**12,
            expected_version=seen,
        )  # fmt: skip
    assert exc.value.changed["capital_vnd"] == [1152500000000, 1200000000000]
    assert exc.value.changed["ledger"][1] == "2 sự kiện; mới nhất: Điều chỉnh lần 1 DC-1 ngày 01/06/2020"


def test_other_boards_and_leaders_cannot_write(project, tbh_staff, hna_leader):
    for user in (tbh_staff, hna_leader):
        with pytest.raises(PermissionDenied):
            licence_services.licence_adjust(
                user=user, project=project, certificate_no="X", event_date=D(2020, 1, 1), capital_vnd=1
            )
    assert LicenceEvent.objects.count() == 1


def test_kind_must_match_the_foreign_share(hna_zone, hna_staff):
    with pytest.raises(ValidationError) as exc:
        make_project(hna_zone, user=hna_staff, kind="ddi", investors=[
            {"name": "Cty CP Hà Nam", "country": "VN", "share_pct": Decimal("40")},
            {"name": "Canon Inc.", "country": "JP", "share_pct": Decimal("60")},
        ])  # fmt: skip
    assert exc.value.message_dict == {
        "kind": ["Nhà đầu tư nước ngoài nắm 60 % vốn nên dự án là FDI (vốn nước ngoài) (Điều 23 Luật Đầu tư 2020)."]
    }


def test_enterprise_report_quarter_must_be_in_the_projects_life(project, hna_staff):
    with pytest.raises(ValidationError) as exc:
        enterprise_report_services.enterprise_report_save(
            user=hna_staff, project=project, year=2018, quarter=4, revenue_vnd=1
        )
    assert exc.value.message_dict == {"quarter": ["Dự án được cấp mới ngày 15/03/2019, sau quý 2018-Q4."]}
    report, created = enterprise_report_services.enterprise_report_save(
        user=hna_staff,
        project=project,
        year=2019,
        quarter=1,
        revenue_vnd=5_000_000_000,
        employees=120,
        employees_foreign=4,
    )
    assert (created, report.version, report.employees) == (True, 1, 120)
    assert enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=project, year=2019, quarter=1, revenue_vnd=5_000_000_000
    ) == (report, False)


def test_the_cached_state_is_what_the_ledger_says(project, hna_staff):
    from investment import ledger

    licence_services.licence_adjust(
        user=hna_staff, project=project, certificate_no="DC-1", event_date=D(2020, 6, 1), capital_vnd=2 * 10**12,
        investor={"name": "Samsung Electronics", "country": "KR"},
    )  # fmt: skip
    event = licence_services.licence_terminate(
        user=hna_staff, project=project, certificate_no="QĐ-1", event_date=D(2021, 6, 1),
        termination_ground=TerminationGround.BOARD, termination_case="Điểm b khoản 2 Điều 48",
    )  # fmt: skip
    licence_services.licence_correct(user=hna_staff, event=event, reason="Quyết định nhập nhầm", voided=True)
    project.refresh_from_db()
    state = ledger.derive(licence_selectors.live_events(project=project))
    assert (project.status, project.terminated_on, project.capital_vnd, project.capital_usd_derived) == (
        state.status, state.terminated_on, state.capital_vnd, state.capital_usd_derived,
    ) == (ProjectStatus.ACTIVE, None, 2 * 10**12, True)  # fmt: skip
    assert [s.investor.name for s in project_selectors.project_investors(project=project)] == [
        "Hanwha Aero Engines",
        "Samsung Electronics",
    ]


def test_missing_reports_match_year_and_quarter_on_the_same_report(project, hna_staff, hna):
    other = make_project(project.zone, code="5421000002", user=hna_staff)
    enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=project, year=2019, quarter=2, revenue_vnd=1
    )
    enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=other, year=2020, quarter=1, revenue_vnd=1
    )
    enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=other, year=2019, quarter=3, revenue_vnd=1
    )
    # `other` reported 2020 and a Q1, but not 2019-Q1: it is missing, as is `project`.
    missing = enterprise_report_selectors.missing_reports(user=hna_staff, board=hna, year=2019, quarter=1)
    assert [p.code for p in missing] == ["5421000001", "5421000002"]
