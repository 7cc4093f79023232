"""A bloc year with three members: Hà Nam leads, Thái Bình is deputy, Nam Định is a plain member.

The scoring table has two groups (1: 1.1 max 10, 1.2 max 5; 2: 2.1 max 20), a bonus rule (1 point
each, cap 3) and a penalty rule (2 points each, cap 4); table caps: bonus 2, penalty 3.
"""

import datetime
from decimal import Decimal

import pytest

from emulation.enums import AwardKind, AwardLevel, RecipientKind, RoundKind, RuleKind
from emulation.services import awards, scoring, years
from tests.factories import BoardFactory, MembershipFactory, UserFactory
from zones.enums import MembershipRole


@pytest.fixture
def ndh(db):
    return BoardFactory(code="NDH", name="Ban Quản lý các KCN tỉnh Nam Định", province="Nam Định")


def _member(username, board, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, board=board, role=role)
    return user


@pytest.fixture
def tbh_leader(tbh):
    return _member("tbh.lead", tbh, MembershipRole.LEADER)


@pytest.fixture
def ndh_staff(ndh):
    return _member("ndh.staff", ndh, MembershipRole.STAFF)


@pytest.fixture
def ndh_leader(ndh):
    return _member("ndh.lead", ndh, MembershipRole.LEADER)


@pytest.fixture
def bloc_year(hna, tbh, ndh):
    bloc = years.bloc_save(user=None, code="DBSH", name="Khối thi đua Đồng bằng sông Hồng", ministry="Bộ Tài chính")
    return years.bloc_year_save(
        user=None, bloc=bloc, year=2025, members=[hna, tbh, ndh], leader=hna, deputy=tbh, host=hna,
        decision_no="12/QĐ-KTĐ", decision_date=datetime.date(2025, 1, 10),
    )  # fmt: skip


@pytest.fixture
def table(bloc_year):
    table = scoring.table_create(user=None, bloc_year=bloc_year)
    scoring.table_settings_save(user=None, table=table, bonus_cap="2", penalty_cap="3", tie_break=["groups"])
    g1 = scoring.group_save(user=None, table=table, order=1, name="Thực hiện nhiệm vụ chuyên môn")
    g2 = scoring.group_save(user=None, table=table, order=2, name="Công tác thi đua, khen thưởng")
    scoring.criterion_save(user=None, group=g1, order=1, code="1.1", name="Thu hút đầu tư", max_points="10")
    scoring.criterion_save(user=None, group=g1, order=2, code="1.2", name="Cải cách hành chính", max_points="5")
    scoring.criterion_save(user=None, group=g2, order=1, code="2.1", name="Phong trào thi đua", max_points="20")
    scoring.rule_save(user=None, table=table, kind=RuleKind.BONUS, order=1, name="Sáng kiến", points="1", cap="3")
    scoring.rule_save(user=None, table=table, kind=RuleKind.PENALTY, order=1, name="Nộp chậm", points="2", cap="4")
    return table


@pytest.fixture
def year_end(table, bloc_year):
    scoring_round = scoring.round_save(
        user=None, bloc_year=bloc_year, kind=RoundKind.YEAR_END,
        opens_on=datetime.date(2025, 11, 1), closes_on=datetime.date(2025, 12, 15),
    )  # fmt: skip
    return scoring.round_open(user=None, scoring_round=scoring_round)


def points(card, by_code: dict):
    """{criterion id: {"points": …, "evidence": …}} from {criterion code: points}."""
    ids = {s.criterion.code: s.criterion_id for s in card.scores.select_related("criterion")}
    return {ids[code]: {"points": Decimal(str(value)), "evidence": "Báo cáo"} for code, value in by_code.items()}


# --- the Prime Minister's Bằng khen and its three rules (eligibility tests, page and API) ----------------

RULE_A = "Đã được tặng Bằng khen của Bộ trưởng"
RULE_B = "5 năm liên tục hoàn thành tốt nhiệm vụ"
RULE_C = "3 lần Chiến sĩ thi đua cơ sở trong 5 năm"


@pytest.fixture
def eligibility_titles(db):
    def title(code, name, kind, level, order):
        return awards.award_title_save(user=None, code=code, name=name, kind=kind, level=level, order=order)

    t = {
        "BK_BO": title("BK_BO", "Bằng khen của Bộ trưởng", AwardKind.COMMENDATION, AwardLevel.PROVINCE, 3),
        "HTTNV": title("HTTNV", "Hoàn thành tốt nhiệm vụ", AwardKind.EVALUATION, AwardLevel.BASE, 1),
        "CSTDCS": title("CSTDCS", "Chiến sĩ thi đua cơ sở", AwardKind.TITLE, AwardLevel.BASE, 2),
        "BK_TTG": title("BK_TTG", "Bằng khen của Thủ tướng", AwardKind.COMMENDATION, AwardLevel.GOVERNMENT, 4),
    }
    rule = awards.eligibility_rule_save
    rule(user=None, title=t["BK_TTG"], order=1, description=RULE_A, required=[t["BK_BO"]], min_count=1)
    rule(user=None, title=t["BK_TTG"], order=2, description=RULE_B, required=[t["HTTNV"]], min_count=5,
         consecutive=True)  # fmt: skip
    rule(user=None, title=t["BK_TTG"], order=3, description=RULE_C, required=[t["CSTDCS"]], min_count=3,
         window_years=5)  # fmt: skip
    return t


@pytest.fixture
def person(hna):
    return awards.recipient_get_or_create(
        user=None, kind=RecipientKind.PERSON, board=hna, name="Nguyễn Văn An", position="Trưởng phòng"
    )


def give(titles, person, code, *years):
    """One decision per year of achievement (signed in January of the next year)."""
    for year in years:
        awards.award_decision_save(
            user=None, number=f"{year}/{code}", date=datetime.date(year + 1, 1, 15), issuer="Bộ trưởng",
            title=titles[code], year=year, recipients=[person],
        )  # fmt: skip
