"""What comes out is only what the reader may see (issue 16): every export, drill-down and file, as Hà Nam's staff.

The dataset is the permission matrix's (conftest.py): Hà Nam (HNA) and Thái Bình (TBH) with a project
each, both members of bloc DBSH with Nam Định and Vĩnh Phúc. A bloc's figures and its members' table
are every member's to read, as on the report page; the records behind them (licence events, projects,
zones, enterprise reports, award recipients) only their own board's. The workbooks are read cell by
cell: no cell of a file handed to Hà Nam's staff holds any of Thái Bình's codes, names, certificates.
Before this, the bloc workbook's detail sheet listed every member's events (on the demo data: 907
rows for bloc:DBSH 2019, 713 of them of the other ten boards).
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.test import Client

from emulation.services import awards
from kcn_portal.core.models import TaskRun
from kcn_portal.core.workbook import export_workbook
from kcn_portal.indicators import INDICATORS
from reports.services import downloads

DETAIL = "Chi tiết sự kiện"
TBH_SECRETS = ("5421000003", "TBH-PK", "5421000003-GCN", "5421000003-DC1", "TBHX73")
HNA_PROJECT = ("HNA", "HNA-DV1", "5421000001", "Dự án HNAX71", "FDI")
HNA_EVENTS = [
    (*HNA_PROJECT, "Cấp mới", "5421000001-GCN", datetime.datetime(2019, 3, 15)),
    (*HNA_PROJECT, "Điều chỉnh lần 1", "5421000001-DC1", datetime.datetime(2019, 6, 1)),
]


@pytest.fixture
def as_role(matrix_world, db):
    def login(role: str) -> Client:
        client = Client()
        client.force_login(matrix_world.users[role])
        return client

    return login


def workbook(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows of values."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def secrets_in(text: str, secrets=TBH_SECRETS) -> list[str]:
    return [secret for secret in secrets if secret in text]


def shown(sheets: dict[str, list[tuple]]) -> list[str]:
    """Thái Bình's secrets found in any cell of any sheet."""
    return secrets_in(
        "\n".join(str(value) for rows in sheets.values() for row in rows for value in row if value is not None)
    )


def export(client, scope: str, period: str = "2019", capture=None):
    """Ask for a report's workbook as the client's user, run the job, download it: (status, sheets)."""
    with capture(execute=True):
        response = client.post(f"/reports/{scope}/{period}/export/")
    if response.status_code != 302:
        return response.status_code, None
    run = TaskRun.objects.get(pk=response.url.split("/")[2])
    download = client.get(f"/reports/exports/{run.pk}/download/")
    return download.status_code, workbook(b"".join(download.streaming_content))


def members_of(sheets) -> list[str]:
    """The board codes of the attraction sheet's members' table (between its header and "Tổng cộng")."""
    rows = sheets["Thu hút đầu tư"]
    start = next(index for index, row in enumerate(rows) if row[0] == "Mã Ban") + 2
    end = next(index for index, row in enumerate(rows) if row[0] == "Tổng cộng")
    return [row[0] for row in rows[start:end]]


# --- the report's workbook ---------------------------------------------------------------------------


def test_the_bloc_workbook_of_a_members_staff_lists_only_its_boards_events(as_role, django_capture_on_commit_callbacks):
    status, sheets = export(as_role("hna_staff"), "bloc:DBSH", capture=django_capture_on_commit_callbacks)
    assert (status, [row[:8] for row in sheets[DETAIL][1:]], shown(sheets)) == (200, HNA_EVENTS, [])
    cover = dict(row[:2] for row in sheets["Thông tin"] if row[0])
    assert cover[DETAIL] == "Chỉ liệt kê sự kiện của các Ban bạn được xem: HNA."


def test_the_bloc_workbook_keeps_the_figures_and_members_table_the_page_shows(
    as_role, django_capture_on_commit_callbacks
):
    client = as_role("hna_staff")
    page = client.get("/reports/bloc:DBSH/2019/").content.decode()
    status, sheets = export(client, "bloc:DBSH", capture=django_capture_on_commit_callbacks)
    attraction = sheets["Thu hút đầu tư"]
    new_projects = next(row for row in attraction if row[0] == "new_projects")
    assert (status, members_of(sheets), new_projects[3]) == (200, ["HNA", "NDH", "TBH", "VPC"], 2)
    assert all(f'<span class="text-muted small">{code}</span>' in page for code in ("HNA", "NDH", "TBH", "VPC"))


def test_the_ministrys_bloc_workbook_lists_every_members_events(as_role, django_capture_on_commit_callbacks):
    status, sheets = export(as_role("ministry"), "bloc:DBSH", capture=django_capture_on_commit_callbacks)
    assert (status, [row[:3] for row in sheets[DETAIL][1:]]) == (200, [
        ("HNA", "HNA-DV1", "5421000001"), ("HNA", "HNA-DV1", "5421000001"),
        ("TBH", "TBH-PK", "5421000003"), ("TBH", "TBH-PK", "5421000003"),
    ])  # fmt: skip
    assert DETAIL not in dict(row[:2] for row in sheets["Thông tin"] if row[0])


@pytest.mark.parametrize("scope", ["board:TBH", "national"])
def test_a_board_user_cannot_export_another_boards_or_the_nations_report(
    as_role, matrix_world, django_capture_on_commit_callbacks, scope
):
    client, user = as_role("hna_staff"), matrix_world.users["hna_staff"]
    status, _sheets = export(client, scope, capture=django_capture_on_commit_callbacks)
    assert (status, TaskRun.objects.filter(kind="report_export", created_by=user, params__scope=scope).count()) == (
        404, 0)  # fmt: skip


def test_a_file_built_for_the_ministry_is_not_handed_to_a_board_user(as_role, matrix_world):
    run = downloads.report_export_enqueue(user=matrix_world.users["ministry"], scope="bloc:DBSH", period="2019")
    run = downloads.report_export_run(task_run_id=run.pk)
    answers = [
        as_role(role).get(f"/reports/exports/{run.pk}/download/").status_code for role in ("hna_staff", "ministry")
    ]
    assert (run.params["boards"], run.result["boards"], answers) == (None, None, [404, 200])


@pytest.mark.parametrize(
    ("boards", "answer"),
    [(["HNA"], 200), (["HNA", "TBH"], 404), (None, 404), ("legacy", 404)],
)
def test_a_file_is_handed_only_while_its_asker_reads_every_board_it_lists(as_role, matrix_world, boards, answer):
    """A file listing a board the asker no longer reads (or every board's, or one from before the files
    recorded it) is refused, even to its own asker."""
    run = downloads.report_export_enqueue(user=matrix_world.users["hna_staff"], scope="bloc:DBSH", period="2019")
    run = downloads.report_export_run(task_run_id=run.pk)
    if boards == "legacy":
        run.result.pop("boards")
    else:
        run.result["boards"] = boards
    run.save(update_fields=["result"])
    assert as_role("hna_staff").get(f"/reports/exports/{run.pk}/download/").status_code == answer


# --- the drill-down pages of a bloc: every indicator ---------------------------------------------------


@pytest.mark.parametrize("code", list(INDICATORS))
def test_every_drilldown_of_the_bloc_lists_only_the_readers_records(as_role, code):
    client = as_role("hna_staff")
    html = client.get(f"/reports/bloc:DBSH/2019/indicators/{code}/").content.decode()
    other = client.get(f"/reports/bloc:DBSH/2019/indicators/{code}/?board=TBH")
    assert (secrets_in(html), "data-partial" in html, other.status_code) == (
        [], True, 404)  # fmt: skip


def test_the_drilldown_of_new_projects_lists_the_hna_issue_as_the_workbook_does(as_role):
    html = as_role("hna_staff").get("/reports/bloc:DBSH/2019/indicators/new_projects/").content.decode()
    assert ("5421000001" in html, "Dự án HNAX71" in html, "data-count>1 bản ghi." in html) == (True, True, True)


@pytest.mark.parametrize(
    "url", ["/reports/national/2019/indicators/new_projects/", "/reports/board:TBH/2019/indicators/new_projects/"]
)
def test_drilldowns_of_scopes_the_user_may_not_read_are_404(as_role, url):
    assert as_role("hna_staff").get(url).status_code == 404


# --- the other exports ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["5421000001"]),
        ("?board=TBH", []),
        ("?zone=TBH-PK", []),
        ("?q=5421000003", []),
        ("?board=HNA", ["5421000001"]),
    ],
)
def test_the_project_list_export_holds_only_the_readers_projects_whatever_the_filter(as_role, query, codes):
    response = as_role("hna_staff").get(f"/projects/export.xlsx{query}")
    sheets = workbook(b"".join(response.streaming_content))
    assert ([row[0] for row in sheets["Dự án"][1:]], shown(sheets)) == (codes, [])


def test_the_award_statistics_count_and_name_only_the_readers_recipients(as_role, matrix_world):
    """A decision naming both boards' people: Hà Nam's staff see it with Hà Nam's recipient only."""
    both = awards.award_decision_save(
        user=None, number="20/QĐ-BO", date=datetime.date(2025, 3, 1), issuer="Bộ trưởng", title=matrix_world.title,
        year=2024, recipients=[matrix_world.boards["HNA"].recipient, matrix_world.boards["TBH"].recipient],
    )  # fmt: skip
    response = as_role("hna_staff").get("/emulation/awards/statistics/2024.xlsx")
    sheets = workbook(b"".join(response.streaming_content))
    decisions = [(row[1], row[6], row[7], row[8]) for row in sheets["Quyết định"][1:]]
    assert (decisions, shown(sheets)) == (
        [("15/QĐ-HNAX71", "Nguyễn Văn HNAX71 (HNA)", 0, 1), (both.number, "Nguyễn Văn HNAX71 (HNA)", 0, 1)],
        [],
    )


def test_the_score_sheet_before_publication_is_404_to_a_member(as_role):
    assert as_role("hna_staff").get("/emulation/DBSH/2025/year_end/scores.xlsx").status_code == 404


# --- files: another board's is 404 ---------------------------------------------------------------------


def test_another_boards_correction_file_and_evidence_are_404(as_role, matrix_world):
    tbh = matrix_world.boards["TBH"]
    urls = [
        f"/reports/corrections/{tbh.correction.pk}/file/",
        f"/emulation/DBSH/2025/year_end/TBH/evidence/{tbh.evidence.pk}/",
    ]
    own = matrix_world.boards["HNA"]
    mine = as_role("hna_staff").get(f"/reports/corrections/{own.correction.pk}/file/")
    assert ([as_role("hna_staff").get(url).status_code for url in urls], mine.status_code) == ([404, 404], 200)


# --- API lists and pages asked with filters naming another board -----------------------------------------

OTHER_BOARD_FILTERS = [
    "/api/v1/boards/?q=TBH",
    "/api/v1/boards/?bloc_code=DBSH&q=Thái",
    "/api/v1/zones/?board=TBH",
    "/api/v1/zones/?q=TBH-PK",
    "/api/v1/projects/?board=TBH",
    "/api/v1/projects/?zone=TBH-PK",
    "/api/v1/projects/?q=5421000003",
    "/api/v1/enterprise-reports/?board=TBH",
    "/api/v1/enterprise-reports/?project=5421000003",
    "/api/v1/corrections/?board=TBH",
    "/api/v1/award-decisions/?board=TBH",
]


def results(response) -> list:
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


@pytest.mark.parametrize("url", OTHER_BOARD_FILTERS)
def test_api_lists_filtered_on_another_board_are_empty(as_role, url):
    response = as_role("hna_staff").get(url)
    assert (response.status_code, results(response)) == (200, [])


@pytest.mark.parametrize(
    ("url", "key", "values"),
    [
        ("/api/v1/boards/", "code", ["HNA"]),
        ("/api/v1/zones/", "code", ["HNA-DV1"]),
        ("/api/v1/projects/", "code", ["5421000001"]),
        ("/api/v1/enterprise-reports/", "project", ["5421000001"]),
        ("/api/v1/award-decisions/", "number", ["15/QĐ-HNAX71"]),
    ],
)
def test_api_lists_unfiltered_hold_only_the_readers_records(as_role, url, key, values):
    response = as_role("hna_staff").get(url)
    assert ([row[key] for row in results(response)], secrets_in(response.content.decode())) == (values, [])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/boards/TBH/",
        "/api/v1/boards/TBH/approvals/",
        "/api/v1/boards/TBH/data-issues/?period=2019-H1",
        "/api/v1/reports/board:TBH/2019/",
        "/api/v1/reports/national/2019/",
        "/api/v1/projects/5421000003/",
        "/api/v1/projects/5421000003/events/",
    ],
)
def test_api_objects_of_another_board_are_404(as_role, url):
    assert as_role("hna_staff").get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/zones/?board=TBH", "/projects/?board=TBH", "/projects/?zone=TBH-PK", "/projects/?q=5421000003",
     "/reports/corrections/?board=TBH", "/emulation/awards/?board=TBH", "/reports/deadlines/?board=TBH",
     "/plans/?board=TBH"],
)  # fmt: skip
def test_list_pages_filtered_on_another_board_show_none_of_its_records(as_role, url):
    """The filter's own value is echoed (the form, the "next" of the language switch); nothing else of Thái Bình."""
    response = as_role("hna_staff").get(url)
    html = response.content.decode()
    # The codes asked for are echoed; the certificates and the token (in the project's and zone's names) must not be.
    assert (response.status_code, secrets_in(html, TBH_SECRETS[2:]), "Thái Bình" in html) == (
        200, [], False)  # fmt: skip


# --- the data-exchange workbook (DOMAIN.md §6), which the browser export of a board's data writes ---------


def test_the_data_exchange_workbook_of_a_board_user_holds_only_its_boards_rows(matrix_world, db):
    own, other = io.BytesIO(), io.BytesIO()
    counts = export_workbook(own, user=matrix_world.users["hna_staff"])
    asked_for_tbh = export_workbook(other, user=matrix_world.users["hna_staff"], boards=["TBH"])
    sheets = workbook(own.getvalue())
    assert (shown(sheets), set(asked_for_tbh.values()), counts["boards"]) == ([], {0}, 1)
    assert [row[0] for row in sheets["zones"][1:]] == ["HNA-DV1"]
