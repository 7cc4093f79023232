"""Demo emulation data for `seed_demo`: the Red River Delta bloc 2019–2025, its scoring, movements and awards.

Published facts reproduced (DOMAIN.md §9 and shared/seeds/): the bloc's 11 members; Bắc Ninh led it in
2020 with Hà Nội as deputy; Hà Nam led it in 2023 with Vĩnh Phúc as deputy; the names of the movements.
EVERYTHING ELSE IS INVENTED for demonstration: the other years' leaders (a rotation in which each
year's deputy leads the next year, which fits both published years), the scoring table, every score,
the award decisions and the people in them.

Written only through emulation.services and services_awards as the system (user=None, source
"command"), and idempotent like every seed step: what exists already is left alone, so a second run
creates nothing.
"""

from __future__ import annotations

import datetime
import zlib
from decimal import ROUND_FLOOR, Decimal

from kcn_portal.core.enums import AuditSource
from zones import demo_data as zones_demo
from zones.models import Board

from .enums import (
    AwardFor,
    AwardKind,
    AwardLevel,
    LaunchLevel,
    MovementKind,
    MovementStatus,
    RecipientKind,
    RoundKind,
    RuleKind,
    TieBreak,
)
from .models import AwardDecision, AwardTitle, Bloc, BlocYear, Movement, Scorecard, ScoringRound, ScoringTable
from .services import awards, scoring
from .services import years as years_services

SOURCE = AuditSource.COMMAND
D = datetime.date

BLOC_CODE = zones_demo.BLOC_CODE
BLOC_NAME = "Khối thi đua Ban Quản lý các KCN, KCX, KKT các tỉnh Đồng bằng sông Hồng"
# The bloc belonged to the Ministry of Planning and Investment; since the 2025 merger of ministries
# (1 March 2025) it is the Ministry of Finance (Bộ Tài chính). The demo keeps the name of its years.
MINISTRY = "Bộ Kế hoạch và Đầu tư"
MINISTER_MPI = "Bộ trưởng Bộ Kế hoạch và Đầu tư"
MINISTER_MOF = "Bộ trưởng Bộ Tài chính"
PRIME_MINISTER = "Thủ tướng Chính phủ"
YEARS = range(2019, 2026)
# Members in the order DOMAIN.md §9 lists them (the order of zones.demo_data.BOARDS).
MEMBERS = ["QNH", "HPG", "HDG", "HNA", "HYN", "NDH", "NBH", "TBH", "VPC", "BNH", "HNI"]
# year: (leader, deputy). Only 2020 (BNH, HNI) and 2023 (HNA, VPC) are published facts; the other
# years are a plausible rotation (the deputy leads the next year). The leader hosts the year-end review.
LEADERS = {
    2019: ("HDG", "BNH"),
    2020: ("BNH", "HNI"),
    2021: ("HNI", "HYN"),
    2022: ("HYN", "HNA"),
    2023: ("HNA", "VPC"),
    2024: ("VPC", "QNH"),
    2025: ("QNH", "HPG"),
}
OPEN_YEAR = 2025  # the year whose year-end round is open in the demo
PUBLISHED_YEAR = 2023  # the year whose ranking is published and concluded


def leader_login(year: int = OPEN_YEAR) -> str:
    """The demo login of the bloc leader's leader in `year` (printed by seed_demo): e.g. qnh.lead."""
    return f"{LEADERS[year][0].lower()}.lead"


# --- the awards catalogue ---------------------------------------------------------------------------

TITLE, COMMENDATION, EVALUATION = AwardKind.TITLE, AwardKind.COMMENDATION, AwardKind.EVALUATION
BASE, PROVINCE, GOVERNMENT, STATE = AwardLevel.BASE, AwardLevel.PROVINCE, AwardLevel.GOVERNMENT, AwardLevel.STATE
COLLECTIVE, INDIVIDUAL, BOTH = AwardFor.COLLECTIVE, AwardFor.INDIVIDUAL, AwardFor.BOTH

# (code, name, kind, level, awarded to); the order of the list is the catalogue's order.
TITLES = [
    ("HTTNV", "Hoàn thành tốt nhiệm vụ", EVALUATION, BASE, BOTH),
    ("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ", EVALUATION, BASE, BOTH),
    ("LDTT", "Lao động tiên tiến", TITLE, BASE, INDIVIDUAL),
    ("CSTDCS", "Chiến sĩ thi đua cơ sở", TITLE, BASE, INDIVIDUAL),
    ("TTLDTT", "Tập thể lao động tiên tiến", TITLE, BASE, COLLECTIVE),
    ("TTLDXS", "Tập thể lao động xuất sắc", TITLE, PROVINCE, COLLECTIVE),
    ("CSTD_BO", "Chiến sĩ thi đua cấp Bộ", TITLE, PROVINCE, INDIVIDUAL),
    ("CO_BO", "Cờ thi đua của Bộ", TITLE, PROVINCE, COLLECTIVE),
    ("CO_CP", "Cờ thi đua của Chính phủ", TITLE, GOVERNMENT, COLLECTIVE),
    ("GIAY_KHEN", "Giấy khen", COMMENDATION, BASE, BOTH),
    ("BK_BO", "Bằng khen của Bộ trưởng", COMMENDATION, PROVINCE, BOTH),
    ("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", COMMENDATION, GOVERNMENT, BOTH),
    ("HCLD3", "Huân chương Lao động hạng Ba", COMMENDATION, STATE, BOTH),
]
# The Prime Minister's Bằng khen for a person (Law 06/2022/QH15 as the issue reads it), as data:
# (order, description, required codes, min count, window years, consecutive).
BK_TTG_RULES = [
    (1, "Đã được tặng Bằng khen của Bộ trưởng", ["BK_BO"], 1, None, False),
    (2, "05 năm liên tục hoàn thành tốt nhiệm vụ trở lên", ["HTTNV", "HTXSNV"], 5, 5, True),
    (3, "03 lần Chiến sĩ thi đua cơ sở trong 05 năm đó", ["CSTDCS"], 3, 5, False),
]


def seed_titles(tally) -> dict[str, AwardTitle]:
    """The titles and forms of commendation, then the Prime Minister's Bằng khen rules."""
    existing = {title.code: title for title in AwardTitle.objects.all()}
    for order, (code, name, kind, level, awarded_to) in enumerate(TITLES, start=1):
        if code in existing:
            tally.add()  # an administrator may have edited it since: keep it
            continue
        existing[code] = awards.award_title_save(
            user=None, code=code, name=name, kind=kind, level=level, awarded_to=awarded_to, order=order, source=SOURCE
        )
        tally.add(created=True)
    target = existing["BK_TTG"]
    if target.rules.exists():
        tally.add()
        return existing
    for order, description, required, count, window, consecutive in BK_TTG_RULES:
        awards.eligibility_rule_save(
            user=None, title=target, order=order, description=description,
            required=[existing[code] for code in required], min_count=count, window_years=window,
            consecutive=consecutive, source=SOURCE,
        )  # fmt: skip
        tally.add(created=True)
    return existing


# --- the bloc and its years ---------------------------------------------------------------------------


def seed_bloc(tally, boards: dict[str, Board]) -> Bloc:
    """The bloc and its members, leader and deputy for every year 2019–2025."""
    bloc = Bloc.objects.filter(code=BLOC_CODE).first()
    if bloc is None:
        bloc = years_services.bloc_save(user=None, code=BLOC_CODE, name=BLOC_NAME, ministry=MINISTRY, source=SOURCE)
        tally.add(created=True)
    else:
        tally.add()
    done = set(BlocYear.objects.filter(bloc=bloc).values_list("year", flat=True))
    for year in YEARS:
        if year in done:
            tally.add()
            continue
        leader, deputy = (boards[code] for code in LEADERS[year])
        years_services.bloc_year_save(
            user=None, bloc=bloc, year=year, members=[boards[code] for code in MEMBERS], leader=leader,
            deputy=deputy, host=leader, alternate_reviewer=boards["HDG" if year != 2019 else "HYN"],
            decision_no=f"{year % 100:02d}/QĐ-KTĐ", decision_date=D(year, 1, 20), source=SOURCE,
        )  # fmt: skip
        tally.add(created=True)
    return bloc


# --- scoring tables -----------------------------------------------------------------------------------

# The first table (2019); later years copy the previous year's (scoring.table_create).
# (group name, [(code, criterion, max points, guidance)]) — the max points add up to 100.
GROUPS = [
    (
        "Thực hiện nhiệm vụ chuyên môn",
        [
            ("1.1", "Thu hút đầu tư, xúc tiến đầu tư vào các KCN, KKT", "15",
             "Đạt và vượt kế hoạch vốn đăng ký: đủ điểm; mỗi 10% thiếu trừ 1,5 điểm."),
            ("1.2", "Cấp, điều chỉnh, thu hồi giấy chứng nhận đăng ký đầu tư đúng hạn", "10",
             "Tỷ lệ hồ sơ đúng hạn 100%: đủ điểm."),
            ("1.3", "Cải cách hành chính, dịch vụ công trực tuyến", "10",
             "Tỷ lệ hồ sơ trực tuyến toàn trình từ 50% trở lên: đủ điểm."),
            ("1.4", "Quản lý môi trường, lao động, an toàn trong các KCN", "15",
             "Không để xảy ra sự cố môi trường, tai nạn lao động nghiêm trọng: đủ điểm."),
        ],
    ),
    (
        "Công tác thi đua, khen thưởng",
        [
            ("2.1", "Tổ chức phát động và thực hiện các phong trào thi đua", "12.5",
             "Có kế hoạch, sơ kết, tổng kết từng phong trào."),
            ("2.2", "Đăng ký thi đua, ký giao ước và gửi báo cáo đúng hạn", "7.5", ""),
            ("2.3", "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", "10", ""),
        ],
    ),
    (
        "Xây dựng cơ quan, đoàn thể",
        [
            ("3.1", "Xây dựng tổ chức Đảng, đoàn thể trong sạch, vững mạnh", "10", ""),
            ("3.2", "Thực hành tiết kiệm, chống lãng phí, phòng chống tham nhũng", "10", ""),
        ],
    ),
]  # fmt: skip
RULES = [
    (RuleKind.BONUS, "Được cấp có thẩm quyền khen thưởng đột xuất hoặc công nhận sáng kiến", "1", "3"),
    (RuleKind.PENALTY, "Gửi báo cáo, đăng ký thi đua chậm so với thời hạn", "0.5", "2"),
]


def seed_tables(tally, bloc: Bloc) -> None:
    """Every year's scoring table: built for the first year, copied from the year before afterwards."""
    for bloc_year in BlocYear.objects.filter(bloc=bloc, year__in=YEARS).order_by("year"):
        if ScoringTable.objects.filter(bloc_year=bloc_year).exists():
            tally.add()
            continue
        table = scoring.table_create(user=None, bloc_year=bloc_year, source=SOURCE)
        tally.add(created=True)
        if table.groups.exists():  # copied from last year
            continue
        scoring.table_settings_save(
            user=None, table=table, bonus_cap="5", penalty_cap="3",
            tie_break=[TieBreak.GROUPS, TieBreak.LESS_PENALTY], source=SOURCE,
        )  # fmt: skip
        for order, (name, criteria) in enumerate(GROUPS, start=1):
            group = scoring.group_save(user=None, table=table, order=order, name=name, source=SOURCE)
            for position, (code, text, max_points, guidance) in enumerate(criteria, start=1):
                scoring.criterion_save(
                    user=None, group=group, order=position, code=code, name=text, max_points=max_points,
                    guidance=guidance, source=SOURCE,
                )  # fmt: skip
        for order, (kind, name, points, cap) in enumerate(RULES, start=1):
            scoring.rule_save(
                user=None, table=table, kind=kind, order=order, name=name, points=points, cap=cap, source=SOURCE
            )


# --- scores -------------------------------------------------------------------------------------------

# How well each member does (per cent of the max points it gives itself, before a small variation).
STRENGTH = {"HNA": 97, "VPC": 95, "BNH": 93, "HNI": 92, "HPG": 91, "QNH": 90, "HYN": 89, "HDG": 88, "TBH": 87,
            "NDH": 86, "NBH": 85}  # fmt: skip
# (board, rule kind): occurrences claimed in the year-end rounds.
CLAIMS = {("HNA", RuleKind.BONUS): 2, ("VPC", RuleKind.BONUS): 1, ("BNH", RuleKind.BONUS): 1,
          ("NBH", RuleKind.PENALTY): 2, ("HYN", RuleKind.PENALTY): 1}  # fmt: skip
QUARTER = Decimal("0.25")


def _noise(*parts) -> int:
    # crc32, not hash(): the same demo every run and on every machine.
    return zlib.crc32(":".join(str(p) for p in parts).encode())


def _quarters(value: Decimal) -> Decimal:
    return (value / QUARTER).to_integral_value(rounding=ROUND_FLOOR) * QUARTER


def self_points(year: int, board: str, code: str, max_points: Decimal) -> Decimal:
    """The member's own score of a criterion: its strength less 0–3 %, in steps of 0.25."""
    share = Decimal(STRENGTH[board] - _noise(year, board, code) % 4) / 100
    return _quarters(max_points * share)


def reviewed_points(year: int, board: str, code: str, max_points: Decimal) -> Decimal:
    """The reviewers take off 0–0.75 points, now and then."""
    cut = QUARTER * (_noise("review", year, board, code) % 4)
    return max(self_points(year, board, code, max_points) - cut, Decimal("0"))


def _self_score(card, year: int) -> None:
    code = card.board.code
    scores = {
        line.criterion_id: {"points": self_points(year, code, line.criterion.code, line.criterion.max_points),
                            "evidence": f"Báo cáo tổng kết năm {year}, mục {line.criterion.code}."}
        for line in card.scores.select_related("criterion")
    }  # fmt: skip
    claims = {
        claim.rule_id: {"count": CLAIMS.get((code, claim.rule.kind), 0), "note": ""}
        for claim in card.claims.select_related("rule")
    }
    scoring.scorecard_self_save(user=None, scorecard=card, scores=scores, claims=claims, source=SOURCE)


def _review(card, year: int) -> None:
    code = card.board.code
    reviews = {}
    for line in card.scores.select_related("criterion"):
        points = reviewed_points(year, code, line.criterion.code, line.criterion.max_points)
        comment = "" if points == line.self_points else "Minh chứng chưa đầy đủ, trừ điểm."
        reviews[line.criterion_id] = {"points": points, "comment": comment}
    claims = {claim.rule_id: {"count": claim.self_count} for claim in card.claims.all()}
    scoring.scorecard_review(user=None, scorecard=card, reviews=reviews, claims=claims, source=SOURCE)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _date_card(card, submitted_on: datetime.date, reviewed_on: datetime.date | None = None) -> None:
    """Give a demo card the dates it would have had: the services stamp "now", the demo is history.

    The reviewer is the bloc's leader, or its deputy for the leader's own card (services left it empty:
    the demo writes as the system, not as a person of a board).
    """
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=_at(submitted_on))
    if reviewed_on is not None:
        bloc_year = card.round.bloc_year
        reviewer = bloc_year.deputy_id if card.board_id == bloc_year.leader_id else bloc_year.leader_id
        card.scores.update(reviewed_at=_at(reviewed_on, 15), reviewed_by_board_id=reviewer)


def _round(bloc_year: BlocYear, opens_on: datetime.date, closes_on: datetime.date) -> ScoringRound:
    scoring_round = scoring.round_save(
        user=None, bloc_year=bloc_year, kind=RoundKind.YEAR_END, opens_on=opens_on, closes_on=closes_on, source=SOURCE
    )
    scoring_round = scoring.round_open(user=None, scoring_round=scoring_round, source=SOURCE)
    ScoringTable.objects.filter(bloc_year=bloc_year).update(locked_at=_at(opens_on, 8))
    return scoring_round


def _cards(scoring_round: ScoringRound) -> dict:
    return {card.board.code: card for card in scoring_round.scorecards.select_related("board")}


def seed_published_year(tally, bloc: Bloc, boards: dict[str, Board], titles: dict[str, AwardTitle]) -> None:
    """2023: every member self-scored and reviewed, the ranking closed and published, the year concluded."""
    bloc_year = BlocYear.objects.get(bloc=bloc, year=PUBLISHED_YEAR)
    if ScoringRound.objects.filter(bloc_year=bloc_year, kind=RoundKind.YEAR_END).exists():
        tally.add()
        return
    scoring_round = _round(bloc_year, D(2023, 11, 15), D(2023, 12, 15))
    for number, card in enumerate(_cards(scoring_round).values()):
        _self_score(card, PUBLISHED_YEAR)
        scoring.scorecard_submit(user=None, scorecard=card, source=SOURCE)
        _review(card, PUBLISHED_YEAR)
        _date_card(card, D(2023, 12, 1 + number), D(2023, 12, 13))
    ranking = scoring.round_close(user=None, scoring_round=scoring_round, source=SOURCE)
    scoring.round_publish(user=None, scoring_round=scoring_round, source=SOURCE)
    ScoringRound.objects.filter(pk=scoring_round.pk).update(
        closed_at=_at(D(2023, 12, 15), 17), published_at=_at(D(2023, 12, 22), 10)
    )
    # The two best are proposed for the ministry's flag, the next three for the Minister's Bằng khen.
    proposals = [(entry.board, titles["CO_BO"]) for entry in ranking[:2]]
    proposals += [(entry.board, titles["BK_BO"]) for entry in ranking[2:5]]
    leader, deputy = LEADERS[PUBLISHED_YEAR + 1]
    awards.year_conclude(
        user=None, bloc_year=bloc_year, proposals=proposals, next_leader=boards[leader], next_deputy=boards[deputy],
        next_host=boards[leader], source=SOURCE,
    )  # fmt: skip
    BlocYear.objects.filter(pk=bloc_year.pk).update(concluded_at=_at(D(2024, 1, 12), 16))
    tally.add(created=True)


# In the open year: who has self-scored, who has submitted, whose card the leader has reviewed.
OPEN_SCORED = ["HNA", "VPC", "BNH", "HNI", "TBH", "NDH", "HDG"]
OPEN_SUBMITTED = ["HNA", "VPC", "BNH", "TBH"]
OPEN_REVIEWED = ["HNA", "VPC"]


def seed_open_year(tally, bloc: Bloc) -> None:
    """2025: the year-end round open, part-way through self-scoring and review."""
    bloc_year = BlocYear.objects.get(bloc=bloc, year=OPEN_YEAR)
    if ScoringRound.objects.filter(bloc_year=bloc_year, kind=RoundKind.YEAR_END).exists():
        tally.add()
        return
    cards = _cards(_round(bloc_year, D(2025, 11, 15), D(2025, 12, 20)))
    for code in OPEN_SCORED:
        _self_score(cards[code], OPEN_YEAR)
    for number, code in enumerate(OPEN_SUBMITTED):
        scoring.scorecard_submit(user=None, scorecard=cards[code], source=SOURCE)
        _date_card(cards[code], D(2025, 12, 1 + number))
    for code in OPEN_REVIEWED:
        _review(cards[code], OPEN_YEAR)
        _date_card(cards[code], D(2025, 12, 1 + OPEN_SUBMITTED.index(code)), D(2025, 12, 10))
    tally.add(created=True)


# --- movements ----------------------------------------------------------------------------------------

MINISTRY_LEVEL, PROVINCE_LEVEL, BOARD_LEVEL = LaunchLevel.MINISTRY, LaunchLevel.PROVINCE, LaunchLevel.BOARD
REGULAR, THEMATIC = MovementKind.REGULAR, MovementKind.THEMATIC
# (name as published, level, launched by, launching board, kind, starts, ends, decision no, decision date,
#  participating: "bloc" or board codes, status). Dates and decisions other than Hà Nội's plans are invented.
MOVEMENTS = [
    ("Doanh nghiệp Việt Nam hội nhập và phát triển bền vững", BOARD_LEVEL, "Ban Quản lý KKT và các KCN tỉnh Thái Bình",
     "TBH", REGULAR, D(2019, 1, 15), None, "05/KH-BQL", D(2019, 1, 10), ["TBH"], MovementStatus.LAUNCHED),
    ("Ngành Kế hoạch và Đầu tư đồng hành cùng doanh nghiệp Việt Nam hội nhập và phát triển", MINISTRY_LEVEL,
     MINISTRY, None, THEMATIC, D(2017, 1, 1), D(2020, 12, 31), "", None, "bloc", MovementStatus.AWARDED),
    ("Ngành Kế hoạch, Đầu tư và Thống kê chung sức xây dựng nông thôn mới", MINISTRY_LEVEL, MINISTRY, None,
     THEMATIC, D(2016, 1, 1), D(2020, 12, 31), "", None, "bloc", MovementStatus.AWARDED),
    ("Ngành Kế hoạch, Đầu tư và Thống kê đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại, thực hành tiết "
     "kiệm, chống lãng phí", MINISTRY_LEVEL, MINISTRY, None, THEMATIC, D(2022, 1, 1), D(2030, 12, 31), "", None,
     "bloc", MovementStatus.LAUNCHED),
    ("Vì người nghèo – Không để ai bị bỏ lại phía sau", PROVINCE_LEVEL, "Ủy ban nhân dân tỉnh Hà Nam", None,
     REGULAR, D(2021, 3, 1), D(2025, 12, 31), "", None, ["HNA"], MovementStatus.REVIEWING),
    ("Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở", BOARD_LEVEL,
     "Ban Quản lý các KCN và chế xuất Hà Nội", "HNI", REGULAR, D(2019, 1, 2), None, "", None, ["HNI"],
     MovementStatus.LAUNCHED),
    ("Người tốt, việc tốt", BOARD_LEVEL, "Ban Quản lý các KCN và chế xuất Hà Nội", "HNI", THEMATIC,
     D(2018, 10, 25), D(2019, 12, 31), "1445/KH-BQL", D(2018, 10, 25), ["HNI"], MovementStatus.AWARDED),
    ("Kỷ cương, liêm chính, hành động, sáng tạo, hiệu quả, bứt phá và đồng hành cùng doanh nghiệp năm 2019",
     BOARD_LEVEL, "Ban Quản lý các KCN và chế xuất Hà Nội", "HNI", THEMATIC, D(2019, 1, 2), D(2019, 12, 31), "",
     None, ["HNI"], MovementStatus.AWARDED),
    ("An toàn thực phẩm trong các khu công nghiệp", BOARD_LEVEL, "Ban Quản lý các KCN và chế xuất Hà Nội", "HNI",
     THEMATIC, D(2019, 1, 23), D(2019, 12, 31), "163/KH-BQL", D(2019, 1, 23), ["HNI"], MovementStatus.AWARDED),
]  # fmt: skip


def seed_movements(tally, bloc: Bloc, boards: dict[str, Board]) -> dict[str, Movement]:
    """The movements the boards ran (DOMAIN.md §9) and who takes part."""
    existing = {movement.name: movement for movement in Movement.objects.all()}
    for name, level, launched_by, board, kind, starts, ends, number, date, taking_part, status in MOVEMENTS:
        if name in existing:
            tally.add()
            continue
        movement = awards.movement_save(
            user=None, name=name, launched_by_level=level, launched_by=launched_by, kind=kind, starts_on=starts,
            ends_on=ends, decision_no=number, decision_date=date,
            launched_by_board=boards[board] if board else None,
            blocs=[bloc] if taking_part == "bloc" else [],
            boards=[] if taking_part == "bloc" else [boards[code] for code in taking_part], source=SOURCE,
        )  # fmt: skip
        if status != MovementStatus.LAUNCHED:
            movement = awards.movement_advance(user=None, movement=movement, status=status, source=SOURCE)
        existing[name] = movement
        tally.add(created=True)
    return existing


# --- award history --------------------------------------------------------------------------------------

# key: (kind, board, name, position). People are fictitious.
RECIPIENTS = {
    "thu": (RecipientKind.PERSON, "HNA", "Nguyễn Thị Thu", "Chuyên viên Phòng Quản lý đầu tư"),
    "hung": (RecipientKind.PERSON, "HNA", "Trần Văn Hùng", "Phó Trưởng ban"),
    "huong": (RecipientKind.PERSON, "TBH", "Phạm Thị Hương", "Phó Trưởng phòng Quản lý doanh nghiệp"),
    "vinh": (RecipientKind.PERSON, "HNI", "Lê Quang Vinh", "Phó Trưởng ban"),
    "hna_invest": (RecipientKind.UNIT, "HNA", "Phòng Quản lý đầu tư", ""),
    "tbh_office": (RecipientKind.UNIT, "TBH", "Văn phòng Ban", ""),
    "hni_office": (RecipientKind.UNIT, "HNI", "Văn phòng đại diện Ban", ""),
    **{code.lower(): (RecipientKind.BOARD, code, None, "") for code in MEMBERS},
}
# A board's head decides these each January for the year before (one decision per title and year).
BASE_AWARDS = {
    # Nguyễn Thị Thu (HNA) may be proposed for the Prime Minister's Bằng khen in 2025: a Minister's Bằng
    # khen (2022), "Hoàn thành xuất sắc nhiệm vụ" 2020–2024 and Chiến sĩ thi đua cơ sở 2020, 2022, 2024.
    "thu": {"HTTNV": [2019], "HTXSNV": [2020, 2021, 2022, 2023, 2024], "CSTDCS": [2020, 2022, 2024],
            "LDTT": [2019, 2021, 2023]},
    # Phạm Thị Hương (TBH) may not: 2022 broke her run of good years, and she has only two CSTĐCS.
    "huong": {"HTTNV": [2019, 2020, 2021, 2023, 2024], "CSTDCS": [2021, 2023], "LDTT": [2019, 2020, 2022, 2024]},
    "hung": {"HTXSNV": [2019, 2020, 2021, 2022, 2023, 2024], "CSTDCS": [2019, 2021]},
    "vinh": {"HTXSNV": [2021, 2022, 2023, 2024], "HTTNV": [2020], "CSTDCS": [2022]},
    "hna_invest": {"TTLDTT": [2020, 2021, 2023], "GIAY_KHEN": [2022, 2024]},
    "tbh_office": {"TTLDTT": [2022, 2023]},
    "hni_office": {"GIAY_KHEN": [2019]},
}  # fmt: skip
TITLE_OFFSET = {"HTTNV": 1, "HTXSNV": 2, "LDTT": 3, "CSTDCS": 4, "TTLDTT": 5, "GIAY_KHEN": 6}
# Decisions above the board: (title, year, issuer, number, date, recipient keys, movement name or None).
HIGHER_AWARDS = [
    ("TTLDXS", 2019, "province:HNA", "312/QĐ-UBND", D(2020, 2, 18), ["hna"], None),
    ("TTLDXS", 2019, "province:BNH", "245/QĐ-UBND", D(2020, 2, 10), ["bnh"], None),
    ("CO_BO", 2019, MINISTER_MPI, "186/QĐ-BKHĐT", D(2020, 2, 14), ["bnh", "hdg"], None),
    ("BK_BO", 2019, MINISTER_MPI, "187/QĐ-BKHĐT", D(2020, 2, 14), ["hni", "tbh"], None),
    ("CO_CP", 2020, PRIME_MINISTER, "402/QĐ-TTg", D(2021, 3, 22), ["bnh"], None),
    ("TTLDXS", 2020, "province:HNI", "1120/QĐ-UBND", D(2021, 3, 5), ["hni"], None),
    ("BK_BO", 2020, MINISTER_MPI, "211/QĐ-BKHĐT", D(2021, 2, 24),
     ["hni", "hyn"], "Ngành Kế hoạch và Đầu tư đồng hành cùng doanh nghiệp Việt Nam hội nhập và phát triển"),
    ("CO_BO", 2021, MINISTER_MPI, "198/QĐ-BKHĐT", D(2022, 2, 16), ["hni", "hyn"], None),
    ("TTLDXS", 2021, "province:HNA", "287/QĐ-UBND", D(2022, 2, 21), ["hna"], None),
    ("TTLDXS", 2021, "province:VPC", "350/QĐ-UBND", D(2022, 2, 25), ["vpc"], None),
    ("BK_BO", 2021, MINISTER_MPI, "199/QĐ-BKHĐT", D(2022, 2, 16), ["vinh", "hdg"], None),
    ("CO_BO", 2022, MINISTER_MPI, "215/QĐ-BKHĐT", D(2023, 2, 20), ["hyn", "vpc"], None),
    ("BK_BO", 2022, MINISTER_MPI, "216/QĐ-BKHĐT", D(2023, 2, 20), ["thu", "hna", "qnh"], None),
    ("TTLDXS", 2022, "province:VPC", "402/QĐ-UBND", D(2023, 3, 1), ["vpc"], None),
    ("CO_BO", 2023, MINISTER_MPI, "230/QĐ-BKHĐT", D(2024, 2, 22), ["hna", "vpc"], None),
    ("BK_BO", 2023, MINISTER_MPI, "231/QĐ-BKHĐT", D(2024, 2, 22), ["huong", "bnh", "hni", "hpg"], None),
    ("CSTD_BO", 2023, MINISTER_MPI, "232/QĐ-BKHĐT", D(2024, 2, 22), ["hung"], None),
    ("TTLDXS", 2023, "province:HNI", "905/QĐ-UBND", D(2024, 2, 28), ["hni"], None),
    ("CO_BO", 2024, MINISTER_MOF, "612/QĐ-BTC", D(2025, 3, 28), ["vpc", "qnh"], None),
    ("BK_BO", 2024, MINISTER_MOF, "613/QĐ-BTC", D(2025, 3, 28), ["hna", "hpg", "tbh"], None),
    ("GIAY_KHEN", 2019, "board:HNI", "980/QĐ-BQL", D(2019, 12, 20), ["hni_office"], "Người tốt, việc tốt"),
    ("GIAY_KHEN", 2025, "board:HNA", "715/QĐ-BQL", D(2025, 10, 17), ["hna_invest"],
     "Vì người nghèo – Không để ai bị bỏ lại phía sau"),
]  # fmt: skip
CITIES = {"Hà Nội", "Hải Phòng"}


def _issuer(key: str, boards: dict[str, Board]) -> str:
    if key.startswith("board:"):
        return f"Trưởng ban {boards[key[6:]].name}"
    if key.startswith("province:"):
        province = boards[key[9:]].province
        return f"Chủ tịch Ủy ban nhân dân {'thành phố' if province in CITIES else 'tỉnh'} {province}"
    return key


def _award_rows(boards: dict[str, Board]):
    """Every demo decision as (title, year, issuer, number, date, recipient keys, movement name)."""
    by_board: dict[tuple, list[str]] = {}
    for key, history in BASE_AWARDS.items():
        for title, years in history.items():
            for year in years:
                by_board.setdefault((RECIPIENTS[key][1], title, year), []).append(key)
    for (board, title, year), keys in sorted(by_board.items()):
        # A year's results are decided by the board's head in the following January.
        date = D(year + 1, 1, 10 + TITLE_OFFSET[title])
        number = f"{(year - 2000) * 10 + TITLE_OFFSET[title]}/QĐ-BQL"
        yield title, year, f"board:{board}", number, date, keys, None
    yield from HIGHER_AWARDS


def seed_awards(tally, boards: dict[str, Board], titles: dict[str, AwardTitle], movements: dict) -> None:
    """The award history 2019–2025 of a few boards, units and people (decisions and their recipients)."""
    recipients = {}
    for key, (kind, board, name, position) in RECIPIENTS.items():
        recipients[key] = awards.recipient_get_or_create(
            user=None, kind=kind, board=boards[board], name=name or boards[board].name, position=position
        )
    existing = set(AwardDecision.objects.values_list("issuer", "number", "title__code"))
    for title, year, issuer_key, number, date, keys, movement in _award_rows(boards):
        issuer = _issuer(issuer_key, boards)
        if (issuer, number, title) in existing:
            tally.add()
            continue
        awards.award_decision_save(
            user=None, number=number, date=date, issuer=issuer, title=titles[title], year=year,
            recipients=[recipients[key] for key in keys], movement=movements.get(movement) if movement else None,
            source=SOURCE,
        )  # fmt: skip
        tally.add(created=True)


def seed_emulation(tally) -> None:
    """The whole emulation demo (seed_demo step): catalogue, bloc years, tables, rounds, movements, awards."""
    boards = {board.code: board for board in Board.objects.filter(code__in=MEMBERS)}
    titles = seed_titles(tally)
    bloc = seed_bloc(tally, boards)
    seed_tables(tally, bloc)
    seed_published_year(tally, bloc, boards, titles)
    seed_open_year(tally, bloc)
    movements = seed_movements(tally, bloc, boards)
    seed_awards(tally, boards, titles, movements)
