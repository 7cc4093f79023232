"""Report builds: versioned snapshots, staleness after a change, and the build jobs (DOMAIN.md §7)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.core.models import TaskRun
from kcn_portal.periods import parse
from reports.models import ReportSnapshot, ReportState
from reports.selectors import snapshots
from reports.services import builds, staleness
from reports.services import plans as plan_services

from .conftest import BN


def latest(scope, period="2019"):
    return ReportSnapshot.objects.filter(scope=scope, period=period).order_by("-version").first()


def versions():
    return dict(
        ReportSnapshot.objects.filter(period="2019").values_list("scope", "version").order_by("scope", "version")
    )


def test_a_build_stores_every_board_the_bloc_and_the_nation_once(ledger):
    built = builds.report_build(period=parse("2019"))
    assert [(b.scope, b.version, b.created) for b in built] == [
        ("board:HNA", 1, True), ("board:TBH", 1, True), ("bloc:DBSH", 1, True), ("national", 1, True),
    ]  # fmt: skip
    national = latest("national")
    assert (national.members, national.indicators["new_projects_fdi"]["value"]) == (["HNA", "TBH"], 2)
    assert national.member_values["TBH"]["new_capital_fdi_usd"] == 20000000.0
    assert "Tỷ giá áp dụng ngày 31/12/2019" in national.rate_rule


def test_rebuilding_unchanged_records_makes_no_new_version(ledger):
    builds.report_build(period=parse("2019"))
    again = builds.report_build(period=parse("2019"))
    assert [b.created for b in again] == [False] * 4
    assert ReportSnapshot.objects.count() == 4


def test_a_licence_event_marks_its_boards_reports_stale_and_they_are_rebuilt(
    ledger, django_capture_on_commit_callbacks
):
    builds.report_build(period=parse("2019"))
    builds.report_build(period=parse("2019-H1"))
    with django_capture_on_commit_callbacks(execute=True):
        licence_services.licence_adjust(
            user=None, project=ledger[0], certificate_no="DC2", event_date=datetime.date(2019, 10, 1),
            capital_vnd=1_500 * BN, capital_usd=Decimal("65000000.00"),
        )  # fmt: skip
    assert versions() == {"board:HNA": 2, "board:TBH": 1, "bloc:DBSH": 2, "national": 2}
    assert latest("board:HNA", "2019-H1").version == 1  # ended before 01/10/2019: untouched
    assert latest("bloc:DBSH").indicators["adjustments"]["value"] == 2
    assert not ReportState.objects.filter(stale_since__isnull=False).exists()


def test_earlier_versions_stay_readable_and_can_be_compared(ledger, django_capture_on_commit_callbacks, hna_staff):
    builds.report_build(period=parse("2019"))
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_report_services.enterprise_report_save(
            user=None, project=ledger[0], year=2019, quarter=4, employees=170
        )
    old = snapshots.snapshot_get(user=hna_staff, scope="board:HNA", period="2019", version=1)
    new = snapshots.snapshot_get(user=hna_staff, scope="board:HNA", period="2019")
    assert (old.version, new.version) == (1, 2)
    assert [(d.code, d.field, d.old, d.new) for d in snapshots.compare(old, new)] == [
        ("employees", "value", 160, 170),
        ("employees_foreign", "value", 6, 0),  # the latest report states no foreign employees
    ]


def test_a_change_marked_while_a_build_runs_keeps_the_report_stale(ledger):
    builds.report_build(period=parse("2019"))
    started = timezone.now()
    ReportState.objects.filter(scope="board:HNA").update(stale_since=started + datetime.timedelta(seconds=1))
    builds.report_build(period=parse("2019"), targets=None)
    assert ReportState.objects.get(scope="board:HNA", period="2019").stale_since is not None


def test_a_plan_marks_the_years_reports_stale(ledger, hna, hna_leader, django_capture_on_commit_callbacks):
    builds.report_build(period=parse("2019"))
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_set(user=hna_leader, board=hna, year=2019, indicator="new_projects", value=Decimal(4))
    doc = latest("board:HNA").indicators["new_projects"]
    assert (doc["plan"], doc["plan_pct"]) == (4, 25.0)
    assert latest("bloc:DBSH").indicators["new_projects"]["plan"] is None  # Thái Bình has no plan


def test_build_jobs_check_the_scope_and_are_not_redone(
    ledger, hna_staff, tbh_staff, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        builds.report_build_enqueue(user=tbh_staff, period="2019", scope="board:HNA")
    with pytest.raises(PermissionDenied):
        builds.report_build_enqueue(user=hna_staff, period="2019")  # every scope: the ministry's job
    with django_capture_on_commit_callbacks(execute=True):
        run = builds.report_build_enqueue(user=hna_staff, period="2019", scope="board:HNA")
    run.refresh_from_db()
    assert (run.status, run.progress, run.result["reports"]) == (
        "succeeded", 100, [{"scope": "board:HNA", "version": 1, "new_version": True}],
    )  # fmt: skip
    assert builds.report_build_run(task_run_id=run.pk).finished_at == run.finished_at


def test_the_nightly_build_covers_the_current_and_previous_periods():
    assert builds.nightly_periods(datetime.date(2026, 11, 21)) == [
        "2026", "2025", "2026-H2", "2026-Q4", "2026-M11", "2026-H1", "2026-Q3", "2026-M10",
    ]  # fmt: skip
    assert builds.nightly_periods(datetime.date(2027, 1, 5))[-3:] == ["2026-H2", "2026-Q4", "2026-M12"]


def test_saving_several_plans_queues_one_rebuild_and_a_refused_row_saves_none(
    ledger, hna, hna_leader, django_capture_on_commit_callbacks
):
    builds.report_build(period=parse("2019"))
    with django_capture_on_commit_callbacks() as callbacks:
        outcomes = plan_services.plans_set(
            user=hna_leader, board=hna, year=2019, values={"new_projects": Decimal(4), "valid_projects": Decimal(5)}
        )
    assert (outcomes, [c.__name__ for c in callbacks]) == (
        {"created": 2, "updated": 0, "unchanged": 0}, ["_send_rebuild"],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        plan_services.plans_set(user=hna_leader, board=hna, year=2019, values={"new_projects": Decimal(9), "nope": 1})
    assert list(refused.value.message_dict) == ["nope"]
    assert dict(hna.plans.values_list("indicator", "value")) == {"new_projects": 4, "valid_projects": 5}


def adjust_p1(ledger, number, day, capital_bn):
    licence_services.licence_adjust(
        user=None, project=ledger[0], certificate_no=f"DC-{number}", event_date=day,
        capital_vnd=capital_bn * BN, capital_usd=Decimal("65000000.00"),
    )  # fmt: skip


def test_marks_keep_the_earliest_date_changed_until_the_rebuild(ledger, hna):
    builds.report_build(period=parse("2019"))
    staleness.reports_mark_stale(changes={hna.pk: datetime.date(2019, 10, 1)})
    staleness.reports_mark_stale(changes={hna.pk: datetime.date(2019, 5, 1)})
    staleness.reports_mark_stale(changes={hna.pk: datetime.date(2019, 8, 1)})
    assert set(ReportState.objects.filter(stale_since__isnull=False).values_list("scope", "stale_from")) == {
        ("board:HNA", datetime.date(2019, 5, 1)), ("bloc:DBSH", datetime.date(2019, 5, 1)),
        ("national", datetime.date(2019, 5, 1)),
    }  # fmt: skip
    staleness.reports_rebuild_stale()
    assert set(ReportState.objects.values_list("stale_since", "stale_from")) == {(None, None)}


def test_a_rebuild_keeps_last_years_figures_unless_a_change_reaches_back(ledger, monkeypatch, marked_after_commit):
    builds.report_build(period=parse("2020"))
    computed = []
    board_values = builds.rollup.board_values
    monkeypatch.setattr(
        builds.rollup,
        "board_values",
        lambda period, ids=None, **parts: computed.append(period.code) or board_values(period, ids, **parts),
    )
    with marked_after_commit():
        adjust_p1(ledger, 1, datetime.date(2020, 3, 1), 1_400)  # 2020 only: 2019's figures are kept
    staleness.reports_rebuild_stale()
    with marked_after_commit():
        adjust_p1(ledger, 2, datetime.date(2019, 10, 1), 1_390)  # reaches back into 2019: recomputed
    staleness.reports_rebuild_stale()
    assert computed == ["2020", "2020", "2019"]
    doc = latest("board:HNA", "2020").indicators["adjustments"]
    assert (doc["value"], doc["previous"]) == (1, 2)
    assert [b.created for b in builds.report_build(period=parse("2020"))] == [False] * 4  # = a full build


def test_an_unchanged_build_compares_fingerprints_without_reading_the_snapshots(ledger):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    builds.report_build(period=parse("2019"))
    with CaptureQueriesContext(connection) as queries:
        builds.report_build(period=parse("2019"))
    assert not [q for q in queries.captured_queries if 'FROM "reports_reportsnapshot"' in q["sql"]]
    assert ReportState.objects.get(scope="national", period="2019").latest_digest == builds.fingerprint(
        latest("national").indicators, latest("national").members, latest("national").member_values
    )


def test_board_figures_of_a_rolled_back_build_are_not_reused(ledger, hna, django_capture_on_commit_callbacks):
    from django.db import transaction

    builds.report_build(period=parse("2019"))
    with pytest.raises(RuntimeError), transaction.atomic():
        adjust_p1(ledger, 1, datetime.date(2019, 10, 1), 1_500)
        staleness.reports_rebuild_stale()  # board:HNA v2 read back into the figures cache, then rolled back
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True):
        adjust_p1(ledger, 2, datetime.date(2019, 11, 1), 1_600)
    assert latest("bloc:DBSH").indicators["adjustments"]["value"] == 2
    assert [b.created for b in builds.report_build(period=parse("2019"))] == [False] * 4  # = a full build


def test_rebuild_pressed_twice_runs_two_jobs_that_store_one_version(
    client, ledger, hna_staff, django_capture_on_commit_callbacks
):
    client.force_login(hna_staff)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/reports/board:HNA/2019/build/")
        second = client.post("/reports/board:HNA/2019/build/")
    runs = list(TaskRun.objects.order_by("pk"))
    assert [response["Location"] for response in (first, second)] == [f"/tasks/{run.pk}/" for run in runs]
    assert [(run.status, run.result["reports"]) for run in runs] == [
        ("succeeded", [{"scope": "board:HNA", "version": 1, "new_version": True}]),
        ("succeeded", [{"scope": "board:HNA", "version": 1, "new_version": False}]),
    ]
    assert ReportSnapshot.objects.filter(scope="board:HNA", period="2019").count() == 1


def test_a_failed_build_offers_to_try_again(client, ledger, hna_staff, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(builds, "report_build", broken)
    run = builds.report_build_enqueue(user=hna_staff, period="2019", scope="board:HNA", send=False)
    with pytest.raises(RuntimeError):
        builds.report_build_run(task_run_id=run.pk)
    client.force_login(hna_staff)
    html = client.get(f"/tasks/{run.pk}/").content.decode()
    assert 'action="/reports/board:HNA/2019/build/" class="mb-3" data-retry>' in html
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/board:HNA/2019/build/")
    assert TaskRun.objects.exclude(pk=run.pk).get().status == "succeeded"
    assert latest("board:HNA").version == 1
