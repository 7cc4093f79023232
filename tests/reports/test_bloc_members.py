"""A bloc report adds up the year's members as the emulation data records them (issue 4 item 3)."""

import datetime

from emulation.services import years
from kcn_portal.periods import parse
from reports import scopes
from reports.models import ReportSnapshot, ReportState
from reports.services import builds


def codes(year, bloc="DBSH"):
    return list(scopes.members(scopes.Scope(scopes.BLOC, bloc), year).values_list("code", flat=True))


def test_recorded_years_use_the_emulation_members_other_years_the_boards_bloc_code(ledger, hna, tbh):
    hna.bloc_code = tbh.bloc_code = "DBSH"
    hna.save(), tbh.save()
    bloc = years.bloc_save(user=None, code="DBSH", name="Khối ĐBSH", ministry="Bộ Tài chính")
    years.bloc_year_save(user=None, bloc=bloc, year=2019, members=[hna])
    assert (codes(2019), codes(2020)) == (["HNA"], ["HNA", "TBH"])
    assert [str(s) for s in scopes.every_scope(2019)] == ["board:HNA", "board:TBH", "bloc:DBSH", "national"]


def test_a_bloc_recorded_only_in_emulation_is_a_scope_of_its_members_years(ledger, hna, tbh, hna_staff):
    bloc = years.bloc_save(user=None, code="BTB", name="Khối Bắc Trung Bộ", ministry="Bộ Tài chính")
    years.bloc_year_save(user=None, bloc=bloc, year=2019, members=[hna, tbh])
    assert [str(s) for s in scopes.scopes_of_board(hna)] == ["board:HNA", "national", "bloc:BTB", "bloc:DBSH"]
    assert scopes.can_read(hna_staff, scopes.parse("bloc:BTB"))
    # BTB has no members in 2020; DBSH is the boards' bloc_code (the factories' default).
    assert [str(s) for s in scopes.every_scope(2020)] == ["board:HNA", "board:TBH", "bloc:DBSH", "national"]
    built = builds.report_build(period=parse("2019"))
    assert [b.scope for b in built] == ["board:HNA", "board:TBH", "bloc:BTB", "bloc:DBSH", "national"]
    assert ReportSnapshot.objects.get(scope="bloc:BTB").members == ["HNA", "TBH"]


def test_changing_a_years_members_rebuilds_the_blocs_report(ledger, hna, tbh, django_capture_on_commit_callbacks):
    bloc = years.bloc_save(user=None, code="BTB", name="Khối Bắc Trung Bộ", ministry="Bộ Tài chính")
    years.bloc_year_save(user=None, bloc=bloc, year=2019, members=[hna, tbh])
    builds.report_build(period=parse("2019"))
    with django_capture_on_commit_callbacks(execute=True):
        years.bloc_year_save(user=None, bloc=bloc, year=2019, members=[hna])
    latest = ReportSnapshot.objects.filter(scope="bloc:BTB").order_by("-version").first()
    assert (latest.version, latest.members) == (2, ["HNA"])
    assert not ReportState.objects.filter(stale_since__isnull=False).exists()
    assert ReportState.objects.get(scope="bloc:BTB").end == datetime.date(2019, 12, 31)
