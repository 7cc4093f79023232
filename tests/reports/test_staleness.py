"""Staleness after commit (issue 17, item 5): the writer's transaction only notes what changed; the reports
are marked stale and rebuilt once it commits, never turning a saved edit into an error page, and writers
of different boards never wait on each other's report rows."""

import datetime
import logging
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from investment.models import LicenceEvent
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.periods import parse
from reports import tasks
from reports.engine import rollup
from reports.enums import StaleRecords
from reports.models import DataIssue, ReportSnapshot, ReportState
from reports.services import builds, staleness
from reports.services import plans as plan_services
from tests.factories import make_project
from zones import services as zone_services

from .conftest import BN

CODE = "5421000001"  # the ledger's first project, of Hà Nam


def stale_states():
    rows = ReportState.objects.filter(stale_since__isnull=False)
    return {
        scope: (since, records) for scope, since, records in rows.values_list("scope", "stale_from", "stale_records")
    }


def adjust(project, number, day, capital_bn):
    return licence_services.licence_adjust(
        user=None, project=project, certificate_no=f"DC-{number}", event_date=day,
        capital_vnd=capital_bn * BN, capital_usd=Decimal("65000000.00"),
    )  # fmt: skip


def adjust_form(project, **changes):
    project.refresh_from_db()
    data = {
        "certificate_no": "DC-9", "event_date": "2019-11-01", "project_name": project.name,
        "capital_vnd": "1500000000000", "capital_usd": "65000000", "land_area_ha": "", "planned_employees": "",
        "changes_note": "Tăng vốn", "note": "", "version": project.version,
    }  # fmt: skip
    return data | changes


def test_a_transaction_notes_its_changes_once_and_they_are_marked_after_it_commits(
    ledger, django_capture_on_commit_callbacks
):
    builds.report_build(period=parse("2019"))
    send = mock.patch.object(tasks.rebuild_stale_reports, "delay")
    with send as sent, django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        adjust(ledger[0], 2, datetime.date(2019, 11, 1), 1_500)
        enterprise_report_services.enterprise_report_save(
            user=None, project=ledger[0], year=2019, quarter=3, employees=161
        )
        adjust(ledger[0], 3, datetime.date(2019, 12, 1), 1_600)
        assert stale_states() == {}  # only noted: no report row is written in the writer's transaction
    both = StaleRecords.LICENCE_ADJUSTMENTS | StaleRecords.ENTERPRISE_REPORTS
    assert stale_states() == {
        "board:HNA": (datetime.date(2019, 9, 30), both), "bloc:DBSH": (datetime.date(2019, 9, 30), both),
        "national": (datetime.date(2019, 9, 30), both),
    }  # fmt: skip
    assert ([c.__name__ for c in callbacks], sent.call_count) == (["_send_rebuild"], 1)


def test_a_change_of_unknown_records_keeps_every_figure_to_compute_again(ledger, hna, marked_after_commit):
    builds.report_build(period=parse("2019"))
    with marked_after_commit():
        staleness.changes_record(changes={hna.pk: datetime.date(2019, 8, 1)}, records="licence_events")
        staleness.changes_record(changes={hna.pk: datetime.date(2019, 9, 1)})  # a project, a zone: any figure
    with marked_after_commit():
        staleness.changes_record(changes={hna.pk: datetime.date(2019, 10, 1)}, records="enterprise_reports")
    assert stale_states()["board:HNA"] == (datetime.date(2019, 8, 1), 0)


def test_a_change_when_nothing_is_built_notes_nothing(ledger, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        adjust(ledger[0], 2, datetime.date(2019, 11, 1), 1_500)
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_rebuild_is_logged_and_the_saved_edit_redirects_as_usual(
    ledger, hna_staff, client, monkeypatch, caplog
):
    builds.report_build(period=parse("2019"))
    monkeypatch.setattr(staleness, "reports_rebuild_stale", mock.Mock(side_effect=RuntimeError("rebuild broke")))
    client.force_login(hna_staff)
    with caplog.at_level(logging.ERROR):
        response = client.post(f"/projects/{CODE}/adjust/", adjust_form(ledger[0]))
    assert (response.status_code, response["Location"]) == (302, f"/projects/{CODE}/")
    assert ledger[0].events.get(certificate_no="DC-9").capital_vnd == 1_500 * BN
    assert sorted(stale_states()) == ["bloc:DBSH", "board:HNA", "national"]  # marked; rebuilt next time
    failed = [r for r in caplog.records if r.name == "reports.services.staleness"]
    assert [(r.levelname, r.getMessage(), str(r.exc_info[1])) for r in failed] == [
        ("ERROR", "Rebuilding the stale reports failed; they stay marked for the next rebuild", "rebuild broke")
    ]


@pytest.mark.django_db(transaction=True)
def test_a_failing_mark_is_logged_and_the_saved_edit_redirects_as_usual(ledger, hna_staff, client, monkeypatch, caplog):
    builds.report_build(period=parse("2019"))
    monkeypatch.setattr(staleness, "_apply", mock.Mock(side_effect=RuntimeError("mark broke")))
    client.force_login(hna_staff)
    with caplog.at_level(logging.ERROR):
        response = client.post(f"/projects/{CODE}/adjust/", adjust_form(ledger[0]))
    assert (response.status_code, response["Location"]) == (302, f"/projects/{CODE}/")
    assert ledger[0].events.get(certificate_no="DC-9").capital_vnd == 1_500 * BN
    assert [str(r.exc_info[1]) for r in caplog.records if r.exc_info] == ["mark broke"]


@pytest.mark.django_db(transaction=True)
def test_two_boards_writing_at_once_never_wait_on_each_others_report_rows(ledger):
    if connection.vendor != "postgresql":
        pytest.skip("two write transactions at once need PostgreSQL (SQLite lets one connection write at a time)")
    builds.report_build(period=parse("2019"))  # board:HNA, board:TBH, and the rows they share: bloc:DBSH, national
    hna_open, tbh_saved, failures = threading.Event(), threading.Event(), []

    def hna_writer():
        try:
            with transaction.atomic():  # Hà Nam's edit, its transaction held open while Thái Bình writes
                adjust(ledger[0], 2, datetime.date(2019, 11, 1), 1_500)
                hna_open.set()
                assert tbh_saved.wait(timeout=60)
        except Exception as exc:  # seen by the test below
            failures.append(exc)
        finally:
            hna_open.set()
            connection.close()

    thread = threading.Thread(target=hna_writer)
    thread.start()
    try:
        assert hna_open.wait(timeout=60)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")  # waiting on a row Hà Nam holds fails instead
        adjust(ledger[2], 1, datetime.date(2019, 11, 1), 500)  # Thái Bình: committed, marked and rebuilt
        tbh_saved.set()
    finally:
        tbh_saved.set()
        thread.join(timeout=60)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = DEFAULT")
    assert failures == []
    assert ledger[0].events.filter(certificate_no="DC-2").exists() and ledger[2].events.filter(certificate_no="DC-1")
    assert stale_states() == {}  # each writer's after-commit rebuild ran
    assert [b.created for b in builds.report_build(period=parse("2019"))] == [False] * 4  # = a full build


# --- the rebuild computes only what the kind of records changed can alter ----------------------------


def test_each_part_sets_its_own_figures_and_takes_the_others_as_known(ledger, hna):
    period = parse("2019")
    full = rollup.board_values(period, [hna.pk])[hna.pk]
    for part in rollup.PARTS:
        garbage = {code: (7 if isinstance(value, int) else Decimal("7.00")) for code, value in full.items()}
        mine = {code: value for code, value in garbage.items() if rollup.PART_OF.get(code) == part}
        others = rollup.board_values(period, [hna.pk], parts=frozenset({part}), known={hna.pk: full | mine})
        assert others[hna.pk] == full, part  # its own figures computed again
        kept = rollup.board_values(period, [hna.pk], parts=rollup.PARTS - {part}, known={hna.pk: full | mine})
        assert {code: kept[hna.pk][code] for code in mine} == mine, part  # and only they: the others known


def rebuilt_reading(marked_after_commit, write):
    """(the tables the rebuild after `write` read, whether the rebuilt reports equal a full build)."""
    with marked_after_commit():
        write()
    with CaptureQueriesContext(connection) as queries:
        staleness.reports_rebuild_stale()
    read = {table for q in queries.captured_queries for table in INVESTMENT_TABLES if f'"{table}"' in q["sql"]}
    return read, [b.created for b in builds.report_build(period=parse("2019"))] == [False] * 4


INVESTMENT_TABLES = ("investment_licenceevent", "investment_enterprisereport", "investment_project", "zones_zone")


def test_an_adjustment_is_rebuilt_without_reading_enterprise_reports(ledger, marked_after_commit):
    builds.report_build(period=parse("2019"))
    assert rebuilt_reading(marked_after_commit, lambda: adjust(ledger[0], 2, datetime.date(2019, 11, 1), 1_500)) == (
        {"investment_licenceevent", "investment_project", "zones_zone"}, True,
    )  # fmt: skip
    assert latest_value("board:HNA", "adjustments") == 2


def test_an_enterprise_report_is_rebuilt_without_reading_licence_events(ledger, marked_after_commit):
    builds.report_build(period=parse("2019"))
    save = enterprise_report_services.enterprise_report_save
    write = lambda: save(user=None, project=ledger[0], year=2019, quarter=4, employees=175, revenue_vnd=40 * BN)  # noqa: E731
    assert rebuilt_reading(marked_after_commit, write) == (
        {"investment_enterprisereport", "investment_project", "zones_zone"}, True,
    )  # fmt: skip
    assert latest_value("board:HNA", "employees") == 175


def test_a_plan_is_rebuilt_without_reading_any_record(ledger, hna, hna_leader, marked_after_commit):
    builds.report_build(period=parse("2019"))
    write = lambda: plan_services.plan_set(user=hna_leader, board=hna, year=2019, indicator="new_projects", value=4)  # noqa: E731
    assert rebuilt_reading(marked_after_commit, write) == (set(), True)
    assert latest("board:HNA").indicators["new_projects"]["plan"] == 4


def test_a_registration_or_a_zone_change_is_rebuilt_from_every_record(ledger, hna_zone, marked_after_commit):
    builds.report_build(period=parse("2019"))
    everything = set(INVESTMENT_TABLES)
    register = lambda: make_project(hna_zone, "5421000009", event_date=datetime.date(2019, 12, 1))  # noqa: E731
    assert rebuilt_reading(marked_after_commit, register) == (everything, True)
    area = lambda: zone_services.zone_update(user=None, zone=hna_zone, leased_land_ha=Decimal("130.00"))  # noqa: E731
    assert rebuilt_reading(marked_after_commit, area) == (everything, True)
    assert latest_value("board:HNA", "valid_projects") == 2


def latest(scope, period="2019"):
    return ReportSnapshot.objects.filter(scope=scope, period=period).order_by("-version").first()


def latest_value(scope, code):
    return latest(scope).indicators[code]["value"]


def test_a_new_adjustment_runs_no_quality_rule_and_a_correction_runs_the_ledgers(ledger, marked_after_commit):
    LicenceEvent.objects.create(
        project=ledger[1], kind="terminate", certificate_no="CD2", event_date=datetime.date(2019, 9, 30),
        project_name=ledger[1].name,
    )  # fmt: skip  # a second termination, written around the services: count_flow's warning
    builds.report_build(period=parse("2019"))
    found = list(DataIssue.objects.values_list("pk", "rule"))
    assert [rule for _pk, rule in found] == ["count_flow"]
    with marked_after_commit():
        adjust(ledger[0], 2, datetime.date(2019, 11, 1), 1_500)
    staleness.reports_rebuild_stale()
    assert list(DataIssue.objects.values_list("pk", "rule")) == found  # an adjustment changes no warning
    event = ledger[0].events.get(certificate_no="DC-2")
    with marked_after_commit():
        licence_services.licence_correct(user=None, event=event, reason="Sai vốn", capital_vnd=1_450 * BN)
    staleness.reports_rebuild_stale()
    assert [rule for pk, rule in DataIssue.objects.values_list("pk", "rule") if (pk, rule) not in found] == [
        "count_flow"
    ]  # found again by the rules the ledger's corrections reach
    assert [b.created for b in builds.report_build(period=parse("2019"))] == [False] * 4
