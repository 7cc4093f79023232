"""The permission matrix's dataset, built once per module: two boards with a twin of every object.

Hà Nam (HNA) and Thái Bình (TBH) each have a zone, a project with an issue and an adjustment, an
enterprise report, a plan, an approved 2019-H1 with a reopen request and a correction, a finished
export of their 2019 report, a movement they launched (with a file), an award decision, and in the
2025 year of the bloc DBSH a registration and a year-end scorecard with evidence. Nam Định (NDH)
leads that bloc year (Vĩnh Phúc, VPC, is deputy), so NDH's leader is the "bloc leader" role and
reviews both boards' cards. Every private text of a board carries its `secrets` (project code,
zone code, certificate numbers, tokens in notes and file names), which no other board may see.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from emulation.enums import AwardKind, AwardLevel, LaunchLevel, RecipientKind, RoundKind
from emulation.services import awards, registrations, scoring, years
from investment.models import LicenceEvent
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.periods import parse
from reports.models import ReportSnapshot
from reports.services import approval as approval_services
from reports.services import builds, downloads
from reports.services import corrections as correction_services
from reports.services import plans as plan_services
from tests.factories import BoardFactory, MembershipFactory, UserFactory, ZoneFactory, make_project
from zones.enums import MembershipRole

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BN = 10**9
ROLES = ("anonymous", "hna_staff", "hna_leader", "tbh_staff", "tbh_leader", "bloc_leader", "ministry", "admin")


@dataclass
class BoardWorld:
    """One board's objects, addressed by the URL table of the matrix."""

    board: object
    zone: object
    project: object
    adjust: object
    enterprise_report: object
    approval: object
    reopen: object
    correction: object
    export: object
    movement: object
    attachment: object
    decision: object
    recipient: object
    registration: object
    card: object
    evidence: object
    secrets: tuple = field(default=())  # board data: no other board's user may see them
    emulation_secrets: tuple = field(default=())  # registration, evidence: the bloc's managers may


@dataclass
class World:
    boards: dict
    users: dict
    bloc_year: object
    title: object


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _member(username, board, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, board=board, role=role)
    return user


def _board(code, name, zone_code, project_code, issued, users, bloc_year, title, token):
    """A board's investment, approval, export and emulation objects (see the module docstring)."""
    board = BoardFactory(code=code, name=name, province=name.rsplit(" tỉnh ", 1)[-1])
    zone = ZoneFactory(code=zone_code, name=f"KCN {token}", board=board)
    project = make_project(zone, project_code, event_date=issued, project_name=f"Dự án {token}")
    licence_services.licence_adjust(
        user=None, project=project, certificate_no=f"{project_code}-DC1", event_date=datetime.date(2019, 6, 1),
        capital_vnd=1_383 * BN, capital_usd=Decimal("60000000.00"),
    )  # fmt: skip
    report, _created = enterprise_report_services.enterprise_report_save(
        user=None, project=project, year=2019, quarter=1, revenue_vnd=10 * BN, employees=100
    )
    plan_services.plan_set(user=None, board=board, year=2019, indicator="new_projects", value=Decimal("3"))
    leader = users[f"{code.lower()}_leader"]
    approval = approval_services.period_approve(user=leader, board=board, period="2019-H1", acknowledge_issues=True)
    reopen = approval_services.reopen_request(
        user=users[f"{code.lower()}_staff"], approval=approval, reason=f"Mở lại {token}"
    )
    event = _current_adjust(project)
    correction = correction_services.correction_propose(
        user=users[f"{code.lower()}_staff"], event=event, reason=f"Đính chính {token}",
        attachment=_pdf(f"dinh-chinh-{token}.pdf"), changes={"capital_vnd": 1_400 * BN},
    )  # fmt: skip
    export = downloads.report_export_enqueue(user=users[f"{code.lower()}_staff"], scope=f"board:{code}", period="2019")
    export = downloads.report_export_run(task_run_id=export.pk)
    movement = awards.movement_save(
        user=None, boards=[board], launched_by_board=board, name=f"Phong trào của {name}",
        launched_by_level=LaunchLevel.BOARD, launched_by=name, kind="regular",
        starts_on=datetime.date(2025, 1, 15), ends_on=datetime.date(2025, 12, 31),
    )  # fmt: skip
    attachment = awards.movement_attach(user=None, movement=movement, upload=_pdf(f"ke-hoach-{code}.pdf"))
    recipient = awards.recipient_get_or_create(
        user=None, kind=RecipientKind.PERSON, board=board, name=f"Nguyễn Văn {token}"
    )
    decision = awards.award_decision_save(
        user=None, number=f"15/QĐ-{token}", date=datetime.date(2025, 2, 1), issuer="Bộ trưởng", title=title,
        year=2024, recipients=[recipient],
    )  # fmt: skip
    registration = registrations.registration_save(
        user=None, bloc_year=bloc_year, board=board, titles=[title],
        targets=[{"description": f"Cam kết {code}E{token[-2:]}", "indicator": "", "target_value": None}],
        note=f"Đăng ký {code}E{token[-2:]}",
    )  # fmt: skip
    return BoardWorld(
        board=board, zone=zone, project=project, adjust=event, enterprise_report=report, approval=approval,
        reopen=reopen, correction=correction, export=export, movement=movement, attachment=attachment,
        decision=decision, recipient=recipient, registration=registration, card=None, evidence=None,
        secrets=(project_code, zone_code, f"{project_code}-GCN", f"{project_code}-DC1", token),
        emulation_secrets=(f"{code}E{token[-2:]}", f"minh-chung-{code}"),
    )  # fmt: skip


def _current_adjust(project):
    return LicenceEvent.objects.get(project=project, kind="adjust", is_current=True)


def _bloc_year(boards):
    """DBSH 2025: NDH leads, VPC is deputy; a table with one criterion; the year-end round open."""
    bloc = years.bloc_save(user=None, code="DBSH", name="Khối thi đua Đồng bằng sông Hồng", ministry="Bộ")
    bloc_year = years.bloc_year_save(
        user=None, bloc=bloc, year=2025, members=list(boards.values()), leader=boards["NDH"], deputy=boards["VPC"],
        host=boards["NDH"],
    )  # fmt: skip
    table = scoring.table_create(user=None, bloc_year=bloc_year)
    group = scoring.group_save(user=None, table=table, order=1, name="Thực hiện nhiệm vụ chuyên môn")
    scoring.criterion_save(user=None, group=group, order=1, code="1.1", name="Thu hút đầu tư",
                                      max_points="10")  # fmt: skip
    return bloc_year


def _open_round(bloc_year):
    scoring_round = scoring.round_save(
        user=None, bloc_year=bloc_year, kind=RoundKind.YEAR_END,
        opens_on=datetime.date(2025, 11, 1), closes_on=datetime.date(2025, 12, 15),
    )  # fmt: skip
    return scoring.round_open(user=None, scoring_round=scoring_round)


def build_world() -> World:
    """The whole dataset (see the module docstring), through the services as the pages would."""
    boards = {
        "NDH": BoardFactory(code="NDH", name="Ban Quản lý các KCN tỉnh Nam Định", province="Nam Định"),
        "VPC": BoardFactory(code="VPC", name="Ban Quản lý các KCN tỉnh Vĩnh Phúc", province="Vĩnh Phúc"),
        "HNA": BoardFactory(code="HNA", name="Ban Quản lý các KCN tỉnh Hà Nam", province="Hà Nam"),
        "TBH": BoardFactory(code="TBH", name="Ban Quản lý KKT và các KCN tỉnh Thái Bình", province="Thái Bình"),
    }
    users = {
        "hna_staff": _member("hna.staff", boards["HNA"], MembershipRole.STAFF),
        "hna_leader": _member("hna.lead", boards["HNA"], MembershipRole.LEADER),
        "tbh_staff": _member("tbh.staff", boards["TBH"], MembershipRole.STAFF),
        "tbh_leader": _member("tbh.lead", boards["TBH"], MembershipRole.LEADER),
        "bloc_leader": _member("ndh.lead", boards["NDH"], MembershipRole.LEADER),
        "ministry": UserFactory(username="ministry", is_ministry=True),
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    title = awards.award_title_save(
        user=None, code="BK_BO", name="Bằng khen của Bộ trưởng", kind=AwardKind.COMMENDATION, level=AwardLevel.PROVINCE
    )
    bloc_year = _bloc_year(boards)
    worlds = {
        "HNA": _board("HNA", boards["HNA"].name, "HNA-DV1", "5421000001", datetime.date(2019, 3, 15), users,
                      bloc_year, title, "HNAX71"),
        "TBH": _board("TBH", boards["TBH"].name, "TBH-PK", "5421000003", datetime.date(2019, 2, 1), users,
                      bloc_year, title, "TBHX73"),
    }  # fmt: skip
    scoring_round = _open_round(bloc_year)
    for code, world in worlds.items():
        world.card = scoring_round.scorecards.get(board=world.board)
        score = world.card.scores.first()
        world.evidence = awards.evidence_attach(user=None, score=score, upload=_pdf(f"minh-chung-{code}.pdf"))
    builds.report_build(period=parse("2019"))
    assert ReportSnapshot.objects.filter(scope="board:TBH", period="2019").exists()
    return World(boards=worlds, users=users, bloc_year=bloc_year, title=title)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The dataset of the permission matrix, rolled back when the module ends (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), translation.override(settings.LANGUAGE_CODE):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
