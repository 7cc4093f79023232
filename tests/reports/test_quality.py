"""Data-quality rules run by every build, and the approval they hold back (issue 7, item 5)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from investment.models import LicenceEvent
from investment.services import enterprise_reports as investment_services
from kcn_portal.periods import parse
from reports.engine import quality
from reports.models import DataIssue
from reports.scopes import BLOC, BOARD, Scope
from reports.services import approval as approval_services
from reports.services import builds, staleness
from tests.factories import BoardFactory, ZoneFactory, make_project

from .conftest import BN

FLOW = "Số dự án còn hiệu lực cuối kỳ (1) khác số đầu kỳ (2) + cấp mới (0) − chấm dứt (2) = 0."


def terminate_again(project, day=datetime.date(2019, 9, 30)):
    """A second termination written around the services (the ledger's check would refuse it)."""
    return LicenceEvent.objects.create(
        project=project, kind="terminate", certificate_no=f"{project.code}-CD2", event_date=day,
        project_name=project.name,
    )  # fmt: skip


def build(period="2019-Q3", code="HNA"):
    return builds.report_build(period=parse(period), targets=[Scope(BOARD, code)])


def issues(period="2019-Q3"):
    return list(DataIssue.objects.filter(period=period).values_list("board__code", "rule", "project_code", "message"))


def report(project, year, quarter, **figures):
    return investment_services.enterprise_report_save(user=None, project=project, year=year, quarter=quarter, **figures)


def test_a_clean_ledger_gets_no_warning_in_any_period_kind(ledger):
    for code in ("2019", "2019-H2", "2019-Q3"):
        builds.report_build(period=parse(code))
    assert DataIssue.objects.count() == 0


def test_a_project_terminated_twice_breaks_the_flow_of_valid_projects(ledger):
    terminate_again(ledger[1])
    build()
    assert issues() == [("HNA", "count_flow", "", FLOW)]
    assert [issue.message for issue in quality.issues_refresh(parse("2019-Q3"), [ledger[1].zone.board_id])] == [FLOW]
    assert str(quality.RULES("count_flow").label) == "Số dự án còn hiệu lực không khớp với cấp mới và chấm dứt trong kỳ"


def test_warnings_stay_until_the_records_change_and_fixing_the_data_removes_them(ledger, hna):
    extra = terminate_again(ledger[1])
    build()
    first = DataIssue.objects.get()
    build()  # nothing changed since: the rules do not run again, the warning found stays
    assert (DataIssue.objects.get().pk, first.message) == (first.pk, FLOW)
    LicenceEvent.objects.filter(pk=extra.pk).update(voided=True)
    staleness.reports_mark_stale(changes={hna.pk: extra.event_date})  # what the ledger's services do on a change
    build()
    assert DataIssue.objects.count() == 0


def test_counts_that_disagree_with_their_parts_are_named(ledger, hna):
    period = parse("2019-Q3")
    figures = builds.compute_boards(period, [hna.pk])
    figures[hna.pk].value["valid_projects"] = 3
    quality.issues_refresh(period, [hna.pk], figures)
    assert [message for _board, _rule, _code, message in issues()] == [
        "Số dự án còn hiệu lực cuối kỳ (3) khác số đầu kỳ (2) + cấp mới (0) − chấm dứt (1) = 1.",
        "Số dự án còn hiệu lực cuối kỳ (3) khác tổng số dự án FDI (1) và DDI (0) = 1.",
    ]
    assert [rule for _board, rule, _code, _message in issues()] == ["count_flow", "count_parts"]


def test_capital_falling_to_zero_is_flagged_unless_the_project_is_terminated_by_the_end(ledger):
    p1, p2, _p3 = ledger
    for project, day in ((p1, datetime.date(2019, 8, 1)), (p2, datetime.date(2019, 9, 30))):
        LicenceEvent.objects.create(project=project, kind="adjust", certificate_no=f"{project.code}-DC9", adjust_no=2,
                                    event_date=day, project_name=project.name)  # fmt: skip
    build()
    assert issues() == [("HNA", "capital_zero", "5421000001", "Điều chỉnh lần 2 số 5421000001-DC9 ngày 01/08/2019 "
                         "không còn vốn đăng ký (vốn về 0) nhưng dự án chưa chấm dứt đến ngày 30/09/2019.")
                        ]  # fmt: skip
    build("2019-Q2")
    assert issues("2019-Q2") == []


@pytest.fixture
def history(ledger):
    """5421000001 with four earlier quarters (2019 Q1–Q4: revenue 10–40 bn đồng, 100–170 people)."""
    report(ledger[0], 2019, 4, revenue_vnd=40 * BN, employees=170, export_usd=Decimal("0"))
    return ledger[0]


def test_enterprise_figures_far_outside_the_projects_history_are_flagged(history):
    report(history, 2020, 1, revenue_vnd=401 * BN, employees=9, export_usd=Decimal("5000.50"))
    build("2020-Q1")
    assert issues("2020-Q1") == [
        ("HNA", "enterprise_outlier", "5421000001", "Quý 1/2020, Doanh thu: 401.000.000.000 đồng, gấp hơn 10 lần "
         "mức cao nhất của các quý trước (10.000.000.000 – 40.000.000.000 đồng)."),
        ("HNA", "enterprise_outlier", "5421000001", "Quý 1/2020, Số lao động: 9 người, dưới 1/10 mức thấp nhất "
         "của các quý trước (100 – 170 người)."),
    ]  # fmt: skip


def test_correcting_the_report_clears_its_warning_in_the_rebuild_of_stale_reports(
    history, django_capture_on_commit_callbacks
):
    report(history, 2020, 1, revenue_vnd=401 * BN)
    build("2020-Q1")
    assert DataIssue.objects.filter(period="2020-Q1").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        report(history, 2020, 1, revenue_vnd=41 * BN)
    assert DataIssue.objects.count() == 0


def test_outliers_need_four_earlier_reports_and_respect_the_factor(history, settings):
    report(history, 2019, 4, revenue_vnd=400 * BN)  # 2019-Q4 against three earlier quarters only
    build("2019-Q4")
    report(history, 2019, 4, revenue_vnd=40 * BN)
    report(history, 2020, 1, employees=10)  # 10 = 100 ÷ 10 is not below; no revenue stated
    build("2020-Q1")
    assert DataIssue.objects.count() == 0
    report(history, 2020, 1, revenue_vnd=401 * BN)  # flagged with the default factor (test above)
    settings.KCN_QUALITY_OUTLIER_FACTOR = 20
    build("2020-Q1")
    assert DataIssue.objects.count() == 0


def test_months_and_months_to_date_get_no_warnings(ledger, hna):
    terminate_again(ledger[1])
    build("2019-M09")
    assert quality.issues_refresh(parse("2019-YTD9"), [hna.pk], None) == []
    assert DataIssue.objects.count() == 0


def test_a_summary_built_from_stored_boards_refreshes_only_the_boards_it_computes(ledger):
    terminate_again(ledger[1])
    builds.report_build(period=parse("2019-Q3"), targets=[Scope(BLOC, "DBSH")], recompute=False)
    assert issues() == [("HNA", "count_flow", "", FLOW)]
    build()  # board:HNA now has a current snapshot: a summary adds it up and leaves its warnings alone
    DataIssue.objects.all().delete()
    builds.report_build(period=parse("2019-Q3"), targets=[Scope(BLOC, "DBSH")], recompute=False)
    assert DataIssue.objects.count() == 0


def test_the_refresh_runs_the_same_queries_for_one_board_and_three(history, hna, tbh, django_assert_num_queries):
    report(history, 2020, 1, revenue_vnd=401 * BN)
    other = BoardFactory(code="NBH")
    make_project(ZoneFactory(board=other), "5421000009")
    period = parse("2020-Q1")
    figures = builds.compute_boards(period, [hna.pk, tbh.pk, other.pk])
    with django_assert_num_queries(10):  # savepoint, zones, 5 for the rules (one outlier), delete, insert, release
        quality.issues_refresh(period, [hna.pk], figures)
    with django_assert_num_queries(10):
        quality.issues_refresh(period, [hna.pk, tbh.pk, other.pk], figures)
    assert [(board, rule) for board, rule, _code, _message in issues("2020-Q1")] == [("HNA", "enterprise_outlier")]


def test_approval_waits_for_the_warnings_to_be_acknowledged(ledger, hna, hna_leader):
    terminate_again(ledger[1])
    with pytest.raises(ValidationError) as refused:
        approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    assert refused.value.messages == [
        "Số liệu kỳ 2019-Q3 còn 1 cảnh báo chất lượng; hãy xem và xác nhận trước khi phê duyệt."
    ]
    approval = approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3", acknowledge_issues=True)
    assert (approval.issue_count, issues()) == (1, [("HNA", "count_flow", "", FLOW)])
