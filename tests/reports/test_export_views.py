"""The Excel summary as a background job: ask (POST) → task page with progress → file → logged download;
and the task page of report builds. Who may do what: 404 for anybody outside the run or the scope.
"""

import datetime
import html as htmllib
import io
import re
import time

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kcn_portal import periods
from kcn_portal.core.models import TaskRun
from reports import exporters
from reports.models import ReportDownload, ReportSnapshot
from reports.services import builds, downloads
from tests.factories import make_project

ATTRACTION = "Thu hút đầu tư"


@pytest.fixture
def hna_report(hna_zone, hna_staff):
    """One HNA project issued in 2019 and every 2019 report built (version 1)."""
    make_project(hna_zone, "5421000001", user=hna_staff)
    builds.report_build(period=periods.parse("2019"))
    return ReportSnapshot.objects.get(scope="board:HNA", period="2019")


@pytest.fixture
def export(client, django_capture_on_commit_callbacks):
    """POST the export form as the signed-in user; the task runs as the worker would (eagerly, on commit)."""

    def post(scope="board:HNA", period="2019", **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/reports/{scope}/{period}/export/", data)

    return post


def text_of(html, pattern):
    text = re.sub(r"<[^>]+>", "", re.search(pattern, html, re.S).group(1))
    return htmllib.unescape(re.sub(r"\s+", " ", text)).strip()


def sheet_values(content, sheet=ATTRACTION, row=4):
    ws = openpyxl.load_workbook(io.BytesIO(content))[sheet]
    return [cell.value for cell in ws[row]][:8]


# --- the job, the file, the download ------------------------------------------------------------


def test_an_export_runs_as_a_job_and_its_task_page_links_the_file(client, hna_staff, hna_report, export):
    client.force_login(hna_staff)
    response = export()
    run = TaskRun.objects.get(kind="report_export")
    assert response.url == f"/tasks/{run.pk}/"
    assert (run.status, run.progress, run.created_by, run.params) == (
        "succeeded", 100, hna_staff,
        {"scope": "board:HNA", "period": "2019", "version": None, "boards": ["HNA"], "language": "vi"},
    )  # fmt: skip
    keys = ("scope", "period", "version", "snapshot_id", "file_name", "events", "boards")
    assert {key: run.result[key] for key in keys} == {
        "scope": "board:HNA", "period": "2019", "version": 1, "snapshot_id": hna_report.pk,
        "file_name": "bao-cao-board-HNA-2019-v1.xlsx", "events": 1, "boards": ["HNA"],
    }  # fmt: skip
    html = client.get(response.url).content.decode()
    assert f'href="/reports/exports/{run.pk}/download/" data-download' in html
    assert text_of(html, r"data-summary>(.*?)</div>") == "Tệp Excel đã sẵn sàng."
    assert text_of(html, r"data-report-scope>(.*?)</p>") == "Ban Quản lý các KCN tỉnh Hà Nam (HNA) · Năm 2019"


def test_the_download_serves_the_workbook_and_logs_who_and_which_version(client, hna_staff, hna_report, export):
    client.force_login(hna_staff)
    run = TaskRun.objects.get(pk=export().url.split("/")[2])
    response = client.get(f"/reports/exports/{run.pk}/download/")
    content = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-board-HNA-2019-v1.xlsx"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert sheet_values(content) == ["new_projects", "Số dự án cấp mới", "số lượng", 1, 0, None, None, None]
    download = ReportDownload.objects.get()
    assert (download.snapshot, download.user, download.user_name, download.file_format) == (
        hna_report, hna_staff, "hna.staff", "xlsx",
    )  # fmt: skip
    assert download.snapshot.version == 1


def test_each_download_is_logged(client, hna_staff, hna_report, export):
    client.force_login(hna_staff)
    url = export().url.replace("/tasks/", "/reports/exports/") + "download/"
    for _ in range(2):
        b"".join(client.get(url).streaming_content)
    assert list(ReportDownload.objects.values_list("user__username", "snapshot__version", "file_format")) == [
        ("hna.staff", 1, "xlsx"), ("hna.staff", 1, "xlsx"),
    ]  # fmt: skip


def test_a_named_version_is_exported_not_the_latest(client, hna_staff, hna_zone, hna_report, export):
    make_project(hna_zone, "5421000002", user=hna_staff, certificate_no="GCN-2", event_date=datetime.date(2019, 6, 1))
    builds.report_build(period=periods.parse("2019"))
    client.force_login(hna_staff)
    run = TaskRun.objects.get(pk=export(version="1").url.split("/")[2])
    content = b"".join(client.get(f"/reports/exports/{run.pk}/download/").streaming_content)
    assert (run.result["version"], sheet_values(content)[3]) == (1, 1)
    latest = TaskRun.objects.get(pk=export().url.split("/")[2])
    assert (latest.result["version"], latest.result["file_name"]) == (2, "bao-cao-board-HNA-2019-v2.xlsx")


def test_a_report_never_built_is_built_by_the_export(client, hna_staff, hna_zone, export):
    make_project(hna_zone, "5421000001", user=hna_staff)
    client.force_login(hna_staff)
    run = TaskRun.objects.get(pk=export(period="2019-Q1").url.split("/")[2])
    snapshot = ReportSnapshot.objects.get(scope="board:HNA", period="2019-Q1")
    assert (run.status, run.result["snapshot_id"], run.result["version"]) == ("succeeded", snapshot.pk, 1)


def test_a_bloc_export_for_a_ministry_official(client, ministry_user, tbh, hna_report, export):
    client.force_login(ministry_user)
    run = TaskRun.objects.get(pk=export(scope="bloc:DBSH").url.split("/")[2])
    content = b"".join(client.get(f"/reports/exports/{run.pk}/download/").streaming_content)
    ws = openpyxl.load_workbook(io.BytesIO(content))[ATTRACTION]
    rows = [[cell.value for cell in row][:3] for row in ws.iter_rows(min_row=34, max_row=36)]
    assert rows == [
        ["HNA", "Ban Quản lý các KCN tỉnh Hà Nam", 1],
        ["TBH", tbh.name, 0],
        ["Tổng cộng", "Khối thi đua DBSH", 1],
    ]


# --- who may ------------------------------------------------------------------------------------


def test_tbh_staff_cannot_download_an_hna_export(client, hna_staff, tbh_staff, hna_report, export):
    client.force_login(hna_staff)
    run = TaskRun.objects.get(pk=export().url.split("/")[2])
    client.force_login(tbh_staff)
    pages = [f"/reports/exports/{run.pk}/download/", f"/tasks/{run.pk}/", f"/tasks/{run.pk}/status.json"]
    assert [client.get(page).status_code for page in pages] == [404, 404, 404]
    assert ReportDownload.objects.count() == 0


def test_tbh_staff_cannot_export_hna_nor_download_an_hna_file_of_their_own(client, tbh_staff, hna_report, export):
    client.force_login(tbh_staff)
    assert export().status_code == 404
    assert TaskRun.objects.filter(kind="report_export").count() == 0
    # A run of theirs for a scope they cannot read (e.g. since they left the board) is not served either.
    run = TaskRun.objects.create(
        kind="report_export", created_by=tbh_staff, status="succeeded", params={"scope": "board:HNA"},
        result={"snapshot_id": hna_report.pk}, output_file="task-outputs/x.xlsx",
    )  # fmt: skip
    assert client.get(f"/reports/exports/{run.pk}/download/").status_code == 404
    assert ReportDownload.objects.count() == 0


def test_an_administrator_downloads_any_export(client, hna_staff, admin_user, hna_report, export):
    client.force_login(hna_staff)
    run = TaskRun.objects.get(pk=export().url.split("/")[2])
    client.force_login(admin_user)
    response = client.get(f"/reports/exports/{run.pk}/download/")
    assert (response.status_code, ReportDownload.objects.get().user) == (200, admin_user)


def test_bad_requests_are_not_found(client, hna_staff, hna_report, export):
    client.force_login(hna_staff)
    statuses = [
        export(scope="board:XYZ").status_code,
        export(period="2019-Q9").status_code,
        export(version="7").status_code,
        export(version="abc").status_code,
        client.get("/reports/board:HNA/2019/export/").status_code,
    ]
    assert statuses == [404, 404, 404, 404, 405]
    assert TaskRun.objects.count() == 0


def test_only_finished_exports_are_downloaded(client, hna_staff, hna_report):
    client.force_login(hna_staff)
    running = TaskRun.objects.create(kind="report_export", created_by=hna_staff, status="running")
    other = TaskRun.objects.create(kind="report_build", created_by=hna_staff, status="succeeded")
    pages = [f"/reports/exports/{run.pk}/download/" for run in (running, other)]
    assert [client.get(page).status_code for page in pages] == [404, 404]


def test_signed_out_people_are_sent_to_the_login_page(client, hna_report):
    response = client.post("/reports/board:HNA/2019/export/")
    assert (response.status_code, response.url.split("?")[0]) == (302, "/login/")


# --- the job itself -----------------------------------------------------------------------------


def test_a_succeeded_export_is_not_redone(hna_staff, hna_report):
    run = downloads.report_export_enqueue(user=hna_staff, scope="board:HNA", period="2019")
    first = downloads.report_export_run(task_run_id=run.pk)
    again = downloads.report_export_run(task_run_id=run.pk)
    assert (again.output_file.name, again.finished_at, again.result) == (
        first.output_file.name, first.finished_at, first.result,
    )  # fmt: skip


def test_progress_is_stored_while_the_workbook_is_written(hna_staff, hna_report, monkeypatch):
    seen = []

    def fake(snapshot, handle, progress=None, boards=None):
        for percent in (5, 40, 40, 90):
            progress(percent)
            seen.append(TaskRun.objects.get(pk=run.pk).progress)
        handle.write(b"PK")
        return 0

    monkeypatch.setattr(exporters, "summary_workbook", fake)
    run = downloads.report_export_enqueue(user=hna_staff, scope="board:HNA", period="2019")
    assert (seen, downloads.report_export_run(task_run_id=run.pk).progress) == ([5, 40, 40, 90], 100)


def test_a_failed_export_is_recorded_and_shown(
    client, hna_staff, hna_report, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(snapshot, handle, progress=None, boards=None):
        raise RuntimeError("đĩa đầy")

    monkeypatch.setattr(exporters, "summary_workbook", broken)
    run = downloads.report_export_enqueue(user=hna_staff, scope="board:HNA", period="2019")
    with pytest.raises(RuntimeError):
        downloads.report_export_run(task_run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.error, bool(run.output_file)) == ("failed", "đĩa đầy", False)
    client.force_login(hna_staff)
    html = client.get(f"/tasks/{run.pk}/").content.decode()
    assert text_of(html, r"data-crashed>(.*?)</div>") == (
        "Không tạo được tệp Excel vì một lỗi ngoài dự kiến. Hãy thử lại hoặc báo quản trị viên."
    )
    assert 'action="/reports/board:HNA/2019/export/" class="mb-3" data-retry>' in html
    monkeypatch.undo()  # the disk has room again: "Thử lại" asks for a new job, which succeeds
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/board:HNA/2019/export/")
    retried = TaskRun.objects.exclude(pk=run.pk).get()
    assert (response.status_code, response["Location"], retried.params["scope"]) == (
        302, f"/tasks/{retried.pk}/", "board:HNA")  # fmt: skip
    assert TaskRun.objects.get(pk=retried.pk).status == "succeeded"


# --- the task page ------------------------------------------------------------------------------


def test_a_running_export_shows_the_progress_bar(client, hna_staff):
    params = {"scope": "board:HNA", "period": "2019", "version": None}
    run = TaskRun.objects.create(
        kind="report_export", created_by=hna_staff, status="running", progress=42, params=params
    )
    client.force_login(hna_staff)
    html = client.get(f"/tasks/{run.pk}/").content.decode()
    assert re.search(r'style="width: 42%" data-task-bar>42 %</div>', html)
    assert f'data-status-url="/tasks/{run.pk}/status.json"' in html and "data-download" not in html
    assert text_of(html, r"data-version>(.*?)</dd>") == "mới nhất"
    assert client.get(f"/tasks/{run.pk}/status.json").json()["progress"] == 42


def test_a_build_page_lists_each_report_with_its_link(
    client, hna_staff, hna_zone, tbh, django_capture_on_commit_callbacks
):
    make_project(hna_zone, "5421000001", user=hna_staff)
    with django_capture_on_commit_callbacks(execute=True):
        run = builds.report_build_enqueue(user=hna_staff, period="2019", scope="bloc:DBSH")
    client.force_login(hna_staff)
    html = client.get(f"/tasks/{run.pk}/").content.decode()
    rows = re.findall(
        r'<tr data-report="([^"]+)">\s*<td>.*?</td>\s*<td>(.*?)</td>.*?num">(.*?)</td>.*?href="([^"]+)"', html, re.S
    )
    assert rows == [
        ("board:HNA", "Ban Quản lý các KCN tỉnh Hà Nam", "1", "/reports/board:HNA/2019/"),
        ("board:TBH", tbh.name, "1", "/reports/board:TBH/2019/"),
        ("bloc:DBSH", "Khối thi đua DBSH", "1", "/reports/bloc:DBSH/2019/"),
    ]
    assert (
        text_of(html, r"data-summary>(.*?)</div>")
        == "Đã tính 3 báo cáo, trong đó 3 có phiên bản mới (số liệu thay đổi)."
    )


def test_the_build_page_costs_the_same_queries_for_one_or_many_reports(client, admin_user, hna, tbh):
    def run(*scopes):
        reports = [{"scope": scope, "version": 2, "new_version": True} for scope in scopes]
        result = {"period": "2019", "reports": reports}
        return TaskRun.objects.create(kind="report_build", created_by=admin_user, status="succeeded", result=result)

    one, four = run("board:HNA"), run("board:HNA", "board:TBH", "bloc:DBSH", "national")
    client.force_login(admin_user)
    counts = []
    for run in (one, four):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/tasks/{run.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_export(celery_worker_process, hna_report, hna_staff):
    run = downloads.report_export_enqueue(user=hna_staff, scope="board:HNA", period="2019")
    deadline = time.monotonic() + 60
    while TaskRun.objects.get(pk=run.pk).status in ("pending", "running"):
        assert time.monotonic() < deadline, "the worker did not write the export within 60 s"
        time.sleep(0.2)
    run.refresh_from_db()
    assert (run.status, run.progress, run.error, run.result["file_name"]) == (
        "succeeded", 100, "", "bao-cao-board-HNA-2019-v1.xlsx",
    )  # fmt: skip
    with run.output_file.open("rb") as handle:
        assert sheet_values(handle.read())[:4] == ["new_projects", "Số dự án cấp mới", "số lượng", 1]
