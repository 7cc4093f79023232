"""The emulation demo (emulation.demo_data.seed_emulation): the published facts, the rounds, the award history.

Seeded once for the module on the demo boards (rolled back at its end), like tests/demo.py does.
"""

import datetime

import pytest
from django.db import transaction

from emulation import demo_data, eligibility
from emulation.enums import RoundKind, RoundStatus, SubmissionStatus
from emulation.models import AwardDecision, AwardTitle, BlocYear, Movement, RankingEntry, Recipient, Score, ScoringRound
from emulation.selectors import scoring as scoring_selectors
from emulation.selectors import years as years_selectors
from kcn_portal.core.models import AuditRecord
from web.management.commands.seed_demo import Tally, seed_boards


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_boards(Tally())
            tally = Tally()
            demo_data.seed_emulation(tally)
            yield tally
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    return seeded


def year(number):
    return BlocYear.objects.select_related("leader", "deputy").get(bloc__code="DBSH", year=number)


def test_eleven_members_every_year_with_the_published_leaders(demo):
    codes = ["QNH", "HPG", "HDG", "HNA", "HYN", "NDH", "NBH", "TBH", "VPC", "BNH", "HNI"]
    for number in range(2019, 2026):
        assert [board.code for board in years_selectors.members(year(number))] == codes, number
    assert (year(2020).leader.code, year(2020).deputy.code) == ("BNH", "HNI")
    assert (year(2023).leader.code, year(2023).deputy.code) == ("HNA", "VPC")
    assert year(2023).bloc.name == "Khối thi đua Ban Quản lý các KCN, KCX, KKT các tỉnh Đồng bằng sông Hồng"
    assert (year(2025).leader.code, demo_data.leader_login()) == ("QNH", "qnh.lead")


def test_every_year_has_a_table_of_100_points(demo):
    for number in range(2019, 2026):
        table = scoring_selectors.table_of(year(number))
        criteria = [c for g in table.groups.all() for c in g.criteria.all()]
        assert (len(criteria), sum(c.max_points for c in criteria), table.rules.count()) == (9, 100, 2), number
    assert scoring_selectors.table_of(year(2024)).copied_from == scoring_selectors.table_of(year(2023))


def test_2023_is_published_and_concluded(demo):
    scoring_round = ScoringRound.objects.get(bloc_year=year(2023), kind=RoundKind.YEAR_END)
    ranking = list(RankingEntry.objects.filter(round=scoring_round).order_by("rank"))
    assert (scoring_round.status, len(ranking)) == (RoundStatus.PUBLISHED, 11)
    assert [entry.board.code for entry in ranking[:5]] == ["HNA", "VPC", "BNH", "HNI", "HPG"]
    assert [str(entry.total) for entry in ranking[:2]] == ["93.50", "90.75"]
    assert sorted((p.board.code, p.title.code) for p in year(2023).proposals.all()) == [
        ("BNH", "BK_BO"), ("HNA", "CO_BO"), ("HNI", "BK_BO"), ("HPG", "BK_BO"), ("VPC", "CO_BO")
    ]  # fmt: skip
    assert (year(2023).next_leader.code, year(2023).next_deputy.code) == ("VPC", "QNH")


def test_2025_is_open_part_way(demo):
    scoring_round = ScoringRound.objects.get(bloc_year=year(2025), kind=RoundKind.YEAR_END)
    assert scoring_round.status == RoundStatus.OPEN
    scored = {"BNH", "HDG", "HNA", "HNI", "NDH", "TBH", "VPC"}
    submitted, reviewed = {"BNH", "HNA", "TBH", "VPC"}, {"HNA", "VPC"}
    expected = [
        (code, SubmissionStatus.SUBMITTED if code in submitted else SubmissionStatus.DRAFT,
         9 if code in scored else 0, 9 if code in reviewed else 0)
        for code in sorted(["QNH", "HPG", "HDG", "HNA", "HYN", "NDH", "NBH", "TBH", "VPC", "BNH", "HNI"])
    ]  # fmt: skip
    rows = scoring_selectors.progress(user=None, scoring_round=scoring_round)
    assert [(p.card.board.code, p.card.status, p.scored, p.reviewed) for p in rows] == expected


def test_the_demo_rounds_carry_the_dates_and_reviewers_of_their_year_not_of_the_seeding(demo):
    published = ScoringRound.objects.get(bloc_year=year(2023), kind=RoundKind.YEAR_END)
    assert (published.closed_at.date(), published.published_at.date()) == (
        datetime.date(2023, 12, 15), datetime.date(2023, 12, 22))  # fmt: skip
    assert (year(2023).concluded_at.date(), year(2023).table.locked_at.date()) == (
        datetime.date(2024, 1, 12), datetime.date(2023, 11, 15))  # fmt: skip
    cards = ScoringRound.objects.get(bloc_year=year(2025), kind=RoundKind.YEAR_END).scorecards
    assert sorted((c.board.code, c.submitted_at.date()) for c in cards.filter(submitted_at__isnull=False)) == [
        ("BNH", datetime.date(2025, 12, 3)), ("HNA", datetime.date(2025, 12, 1)),
        ("TBH", datetime.date(2025, 12, 4)), ("VPC", datetime.date(2025, 12, 2)),
    ]  # fmt: skip
    # QNH leads 2025: it reviewed both cards (its own would go to the deputy, HPG).
    reviewers = Score.objects.filter(scorecard__in=cards.all(), reviewed_points__isnull=False)
    fields = ("scorecard__board__code", "reviewed_by_board__code", "reviewed_at__date")
    assert sorted(set(reviewers.values_list(*fields))) == [
        ("HNA", "QNH", datetime.date(2025, 12, 10)), ("VPC", "QNH", datetime.date(2025, 12, 10)),
    ]  # fmt: skip


def test_the_prime_ministers_bang_khen_for_one_person_and_not_another(demo):
    title = AwardTitle.objects.get(code="BK_TTG")
    thu = Recipient.objects.get(name="Nguyễn Thị Thu", board__code="HNA")
    huong = Recipient.objects.get(name="Phạm Thị Hương", board__code="TBH")
    assert [(r.met, r.years) for r in eligibility.check(thu, title, 2025).results] == [
        (True, [2022]), (True, [2020, 2021, 2022, 2023, 2024]), (True, [2020, 2022, 2024])]  # fmt: skip
    assert [(r.met, r.years) for r in eligibility.check(huong, title, 2025).results] == [
        (True, [2023]), (False, [2023, 2024]), (False, [2021, 2023])]  # fmt: skip
    assert Movement.objects.count() == 9
    assert AwardDecision.objects.filter(year=2023, title__code="CO_BO").get().recipients.count() == 2


def test_seeding_twice_creates_nothing(demo):
    counts = (BlocYear.objects.count(), AwardDecision.objects.count(), RankingEntry.objects.count(),
              AuditRecord.objects.count())  # fmt: skip
    tally = Tally()
    demo_data.seed_emulation(tally)
    assert (tally.created, tally.updated) == (0, 0)
    assert (BlocYear.objects.count(), AwardDecision.objects.count(), RankingEntry.objects.count(),
            AuditRecord.objects.count()) == counts  # fmt: skip
    assert counts[0] == 7
