"""A small ledger with the edge cases of DOMAIN.md §5, shared by the rollup and snapshot tests.

Hà Nam (zone HNA-DV1: 234,50 ha industrial, 123,45 ha leased; a second zone established in 2020):
- 5421000001 FDI issued 15/03/2019 (50.000.000 USD / 1.152,5 bn đồng), adjusted 01/06/2019 to
  60.000.000 USD / 1.383 bn; reports 2019 Q1–Q3 (none for Q4; Q3 states no implemented capital).
- 5421000002 DDI issued 01/05/2018 (100 bn đồng / 4.300.000 USD), terminated 30/09/2019; reports Q1, Q3.
Thái Bình (zone TBH-PK: 200 ha industrial, 150 ha leased):
- 5421000003 FDI issued 01/02/2019 (20.000.000 USD / 461 bn đồng).
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest

from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from tests.factories import ZoneFactory, make_project

BN = 10**9


@pytest.fixture
def marked_after_commit(django_capture_on_commit_callbacks):
    """A context in which a write's after-commit work runs (marking its reports stale), the rebuild it then
    sends held back: a test transaction never commits, and the marks are what the test looks at."""
    from reports import tasks

    @contextmanager
    def context():
        with mock.patch.object(tasks.rebuild_stale_reports, "delay"), django_capture_on_commit_callbacks(execute=True):
            yield

    return context


@pytest.fixture
def ledger(hna, hna_zone, tbh_zone):
    ZoneFactory(code="HNA-NEW", board=hna, established_on=datetime.date(2020, 1, 1))
    p1 = make_project(hna_zone, "5421000001")
    licence_services.licence_adjust(
        user=None,
        project=p1,
        certificate_no="5421000001-DC1",
        event_date=datetime.date(2019, 6, 1),
        capital_vnd=1_383 * BN,
        capital_usd=Decimal("60000000.00"),
    )
    p2 = make_project(
        hna_zone,
        "5421000002",
        kind="ddi",
        investors=[{"name": "Công ty CP Hà Nam", "country": "VN"}],
        event_date=datetime.date(2018, 5, 1),
        capital_vnd=100 * BN,
        capital_usd=Decimal("4300000.00"),
    )
    licence_services.licence_terminate(
        user=None,
        project=p2,
        certificate_no="5421000002-CD",
        event_date=datetime.date(2019, 9, 30),
        termination_ground="investor",
    )
    p3 = make_project(tbh_zone, "5421000003", event_date=datetime.date(2019, 2, 1), capital_vnd=461 * BN,
                      capital_usd=Decimal("20000000.00"))  # fmt: skip
    report = enterprise_report_services.enterprise_report_save
    report(user=None, project=p1, year=2019, quarter=1, revenue_vnd=10 * BN, employees=100, employees_foreign=5,
           implemented_capital_vnd=200 * BN)  # fmt: skip
    report(user=None, project=p1, year=2019, quarter=2, revenue_vnd=20 * BN, employees=150,
           implemented_capital_vnd=300 * BN)  # fmt: skip
    report(user=None, project=p1, year=2019, quarter=3, revenue_vnd=30 * BN, employees=160, employees_foreign=6)
    report(user=None, project=p2, year=2019, quarter=1, revenue_vnd=5 * BN, employees=40)
    report(user=None, project=p2, year=2019, quarter=3, revenue_vnd=7 * BN, employees=45)
    return p1, p2, p3


def assert_summaries_add_up():
    """After a write: for every approved period, each board's pinned version holds what its records say now,
    and the bloc and national reports are the sums of their members, who are those same versions."""
    from kcn_portal.periods import parse
    from reports.engine import rollup
    from reports.models import PeriodApproval, ReportSnapshot
    from reports.services import builds
    from zones.models import Board

    def as_json(values):
        return {code: builds.to_json(value) for code, value in values.items()}

    ids = dict(Board.objects.values_list("code", "pk"))
    for code in sorted(set(PeriodApproval.objects.values_list("period", flat=True))):
        period = parse(code)
        builds.report_build(period=period)
        fresh = rollup.board_values(period)
        for approval in PeriodApproval.objects.filter(period=code).select_related("board", "snapshot"):
            pinned = {name: item["value"] for name, item in approval.snapshot.indicators.items()}
            assert pinned == as_json(fresh[approval.board_id]), (code, approval.board.code)
        for scope in ("bloc:DBSH", "national"):
            summary = ReportSnapshot.objects.filter(scope=scope, period=code).order_by("-version").first()
            stated = {name: item["value"] for name, item in summary.indicators.items()}
            assert stated == as_json(rollup.combine(summary.member_values.values())), (code, scope)
            for board_code, member in summary.member_values.items():
                assert member == as_json(fresh[ids[board_code]]), (code, scope, board_code)
