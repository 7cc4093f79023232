"""The demo ledger and reports reproduce the published 2019 figures (DOMAIN.md §9) exactly.

Every figure is computed here with plain ORM aggregates over the seeded database, with the
definitions of DOMAIN.md §5; a project's capital "as of" a date comes from investment.ledger.
Hà Nam, Thái Bình and Hà Nội are seeded once for the module (reports for the two boards whose
report figures are published) and rolled back at its end.
"""

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum

from investment import demo_data, demo_enterprise_reports, ledger
from investment.models import EnterpriseReport, LicenceEvent, Project, live_event_q
from investment.selectors import enterprise_reports as selectors
from kcn_portal.core.models import AuditRecord
from tests.demo import demo_fixture
from web.management.commands.seed_demo import Tally
from zones.models import Board

BILLION = 10**9
END_2019 = datetime.date(2019, 12, 31)
YEAR_2019 = (datetime.date(2019, 1, 1), END_2019)
TBH_PERIOD = (datetime.date(2019, 1, 1), datetime.date(2019, 11, 30))
FOREIGN = {"KR", "JP", "CN", "TW", "SG", "HK", "US", "DE", "TH", "MY"}


seeded = demo_fixture()


@pytest.fixture
def demo(seeded, db):
    return seeded


def events(board, kind, period):
    return LicenceEvent.objects.filter(
        live_event_q(), project__zone__board__code=board, kind=kind, event_date__range=period
    )


def total(queryset, field, **condition):
    return queryset.aggregate(value=Sum(field, filter=Q(**condition)))["value"]


def valid_states(board, day):
    """{kind: [ledger state as of `day`]} of the projects valid at `day` (issued, not terminated by then)."""
    ledgers = defaultdict(list)
    for event in LicenceEvent.objects.filter(live_event_q(), project__zone__board__code=board, event_date__lte=day):
        ledgers[event.project_id].append(event)
    kinds = dict(Project.objects.filter(zone__board__code=board).values_list("pk", "kind"))
    states = defaultdict(list)
    for project_id, ledger_events in ledgers.items():
        state = ledger.state_as_of(ledger_events, day)
        if state.status == "active":
            states[kinds[project_id]].append(state)
    return states


def test_ha_nam_2019_new_projects_and_adjustments(demo):
    issues, adjustments = events("HNA", "issue", YEAR_2019), events("HNA", "adjust", YEAR_2019)
    assert (issues.count(), issues.filter(project__kind="fdi").count()) == (67, 50)
    assert adjustments.count() == 119
    assert adjustments.exclude(capital_change_vnd=0).count() == 44
    assert adjustments.filter(capital_change_vnd__gt=0).count() == 44
    # FDI certificates state both currencies: the USD change goes the same way as the VND one.
    fdi = adjustments.filter(project__kind="fdi")
    assert fdi.filter(capital_change_usd__gt=0).count() == fdi.filter(capital_change_vnd__gt=0).count()


def test_ha_nam_2019_new_and_added_capital(demo):
    issues, adjustments = events("HNA", "issue", YEAR_2019), events("HNA", "adjust", YEAR_2019)
    fdi_usd = total(issues, "capital_usd", project__kind="fdi") + total(
        adjustments, "capital_change_usd", project__kind="fdi", capital_change_usd__gt=0
    )
    ddi_vnd = total(issues, "capital_vnd", project__kind="ddi") + total(
        adjustments, "capital_change_vnd", project__kind="ddi", capital_change_vnd__gt=0
    )
    assert (fdi_usd, ddi_vnd) == (Decimal("753850000.00"), 3_604_090_000_000)


def test_ha_nam_410_valid_projects_and_their_capital_at_the_end_of_2019(demo):
    valid = Project.objects.filter(zone__board__code="HNA", issued_on__lte=END_2019).exclude(
        terminated_on__lte=END_2019
    )
    assert valid.count() == 410
    states = valid_states("HNA", END_2019)
    assert len(states["fdi"]) + len(states["ddi"]) == 410
    assert sum(state.capital_usd for state in states["fdi"]) == Decimal("3246230000.00")
    assert sum(state.capital_vnd for state in states["ddi"]) == 29_713_400_000_000


def test_ha_nam_enterprise_reports_2019(demo):
    reports = EnterpriseReport.objects.filter(project__zone__board__code="HNA")
    assert reports.filter(year=2019).aggregate(Sum("production_value_vnd"), Sum("budget_vnd"), Sum("export_usd")) == {
        "production_value_vnd__sum": 93_070 * BILLION,
        "budget_vnd__sum": 3_800 * BILLION,
        "export_usd__sum": Decimal("2192000000.00"),
    }
    # 2018 = 93,070 / 1.254 rounded to the billion: production grew 25.4 %.
    assert (
        total(reports.filter(year=2018), "production_value_vnd")
        == 74_219 * BILLION
        == demo_data.HNA_PRODUCTION_2018_VND
    )
    valid = Project.objects.filter(zone__board__code="HNA", issued_on__lte=END_2019).exclude(
        terminated_on__lte=END_2019
    )
    last_quarter = reports.filter(year=2019, quarter=4, project__in=valid)
    assert (last_quarter.count(), total(last_quarter, "employees")) == (410, 70_973)


def test_thai_binh_january_to_november_2019_ledger(demo):
    issues, adjustments = events("TBH", "issue", TBH_PERIOD), events("TBH", "adjust", TBH_PERIOD)
    assert (issues.count(), total(issues, "capital_vnd")) == (21, 4_466_777_000_000)
    assert (adjustments.count(), adjustments.filter(capital_change_vnd__gt=0).count()) == (30, 14)
    assert total(adjustments, "capital_change_vnd") == 899_413_000_000
    assert total(adjustments, "capital_change_vnd", capital_change_vnd__gt=0) == 907_538_000_000
    assert total(adjustments, "capital_change_vnd", capital_change_vnd__lt=0) == -8_125_000_000


def test_thai_binh_284_valid_projects_at_30_november_2019(demo):
    day = TBH_PERIOD[1]
    states = valid_states("TBH", day)
    assert (len(states["ddi"]), len(states["fdi"])) == (231, 53)
    assert sum(state.capital_vnd for state in states["ddi"] + states["fdi"]) == 81_770_544_000_000
    # Implemented capital: the 2019-Q3 reports, the last quarter every project had reported by 30/11.
    valid = Project.objects.filter(zone__board__code="TBH", issued_on__lte=day).exclude(terminated_on__lte=day)
    q3 = EnterpriseReport.objects.filter(project__in=valid, year=2019, quarter=3)
    assert total(q3, "implemented_capital_vnd") == 55_555_400_000_000


def test_ha_noi_663_valid_projects_at_the_end_of_2019(demo):
    states = valid_states("HNI", END_2019)
    assert (len(states["fdi"]), len(states["ddi"])) == (345, 318)
    assert sum(state.capital_usd for state in states["fdi"]) == Decimal("6100000000.00")
    ddi = sum(state.capital_vnd for state in states["ddi"])
    assert ddi == 15_265_400_000_000 > 15_000 * BILLION


def test_codes_investors_and_amounts_look_real(demo):
    codes = list(Project.objects.values_list("code", flat=True))
    assert all(re.fullmatch(r"\d{10}", code) for code in codes) and len(codes) == len(set(codes)) > 1700
    issues = LicenceEvent.objects.filter(kind="issue")
    assert set(issues.filter(project__kind="fdi").values_list("investor__country", flat=True)) == FOREIGN
    assert set(issues.filter(project__kind="ddi").values_list("investor__country", flat=True)) == {"VN"}
    fdi = issues.filter(project__kind="fdi")
    assert 0.05 < fdi.filter(capital_usd_derived=True).count() / fdi.count() < 0.15  # USD left to derive
    assert issues.filter(event_date__lt=datetime.date(2005, 1, 1)).count() == 0
    assert LicenceEvent.objects.filter(event_date__gt=datetime.date(2025, 12, 31)).count() == 0


def test_terminations_name_their_ground_and_names_are_vietnamese(demo):
    terminations = LicenceEvent.objects.filter(kind="terminate")
    assert terminations.count() > 100
    assert terminations.exclude(note__contains="Điều 48").count() == 0
    names = Project.objects.filter(zone__board__code="HNA").values_list("name", flat=True)
    assert all(name.startswith(("Nhà máy", "Dự án")) for name in names)
    ddi = set(Project.objects.filter(kind="ddi").values_list("shares__investor__name", flat=True))
    assert all(name.startswith("Công ty") for name in ddi)


def test_reports_cover_2018_to_2025_and_implemented_capital_stays_below_registered(demo):
    reports = EnterpriseReport.objects.filter(project__zone__board__code="TBH")
    assert set(reports.values_list("year", flat=True)) == set(range(2018, 2026))
    ledgers = defaultdict(list)
    for event in LicenceEvent.objects.filter(live_event_q(), project__zone__board__code="TBH"):
        ledgers[event.project_id].append(event)
    above = [
        r.pk
        for r in reports.filter(quarter=4)
        if r.implemented_capital_vnd
        > ledger.state_as_of(ledgers[r.project_id], datetime.date(r.year, 12, 31)).capital_vnd
    ]
    assert above == []


def missing(board, year, quarter):
    """Projects expected to report the quarter (the completeness view's selector) without a report for it."""
    expected = selectors.projects_valid_in_quarter(user=None, board=board, year=year, quarter=quarter)
    reported = EnterpriseReport.objects.filter(year=year, quarter=quarter).values("project")
    return expected.count(), expected.exclude(pk__in=reported).count()


def test_the_completeness_view_has_missing_reports_mostly_in_the_last_quarter(demo):
    board = Board.objects.get(code="HNA")
    expected, last = missing(board, 2025, 4)
    assert 0.05 < last / expected < 0.2
    assert missing(board, 2019, 4)[1] == 0  # the published year is complete
    assert 0 < missing(board, 2022, 2)[1] < last


def test_a_corrected_certificate_and_a_joint_venture_for_the_detail_pages(demo):
    corrected_code, joint_code = demo_data.example_codes(demo_data.board_demo("HNA"))
    versions = LicenceEvent.objects.filter(project__code=corrected_code, kind="issue").order_by("version")
    assert [(e.version, e.is_current) for e in versions] == [(1, False), (2, True)]
    assert versions[1].reason.startswith("Đính chính diện tích đất")
    assert versions[1].land_area_ha == (versions[0].land_area_ha * Decimal("1.1")).quantize(Decimal("0.01"))
    shares = Project.objects.get(code=joint_code).shares.order_by("-share_pct")
    assert [(s.investor.country.code, s.share_pct) for s in shares] == [("KR", 70), ("VN", 30)]


def test_every_write_is_audited_as_a_command(demo):
    audit = AuditRecord.objects.filter(source="command")
    assert audit.filter(model="investment.licenceevent").count() == LicenceEvent.objects.count()
    assert audit.filter(model="investment.enterprisereport").count() == EnterpriseReport.objects.count()
    assert audit.filter(model="investment.project", action="create").count() == Project.objects.count()
    assert demo[0].created == Project.objects.count() and demo[2].created == 2


def test_a_second_run_writes_nothing(demo):
    counts = [AuditRecord.objects.count(), LicenceEvent.objects.count(), EnterpriseReport.objects.count()]
    tallies = [Tally(), Tally(), Tally()]
    demo_data.seed_projects(tallies[0], boards=("HNA", "TBH", "HNI"))
    demo_enterprise_reports.seed_reports(tallies[1], boards=("HNA", "TBH"))
    demo_data.seed_examples(tallies[2], boards=("HNA",))
    assert [t.created for t in tallies] == [0, 0, 0]
    assert [tallies[0].unchanged, tallies[2].unchanged] == [Project.objects.count(), 2]
    assert [AuditRecord.objects.count(), LicenceEvent.objects.count(), EnterpriseReport.objects.count()] == counts


def test_the_generator_is_deterministic(demo):
    key = demo_data.catalogue_key()

    def rows():
        built = demo_data._Board("NDH", demo_data.rate_table_of(key)).build()
        return [
            (r.project_code, r.certificate_no, r.event_date, r.capital_vnd, r.capital_usd)
            for r in demo_data.licence_rows(built)
        ]

    first = rows()
    assert first == rows() and len(first) > 500


def test_seed_demo_runs_the_investment_steps(demo, monkeypatch):
    monkeypatch.setattr(demo_data, "BOARD_CODES", ("NDH",))  # one more board keeps the test quick
    out = StringIO()
    call_command("seed_demo", stdout=out)
    created = Project.objects.filter(zone__board__code="NDH").count()
    assert created > 150
    assert f"  Dự án đầu tư (kèm sổ giấy chứng nhận): {created} tạo mới, 0 cập nhật, 0 không đổi" in out.getvalue()
    reports = EnterpriseReport.objects.filter(project__zone__board__code="NDH").count()
    assert f"  Báo cáo quý của doanh nghiệp: {reports} tạo mới, 0 cập nhật, 0 không đổi" in out.getvalue()
