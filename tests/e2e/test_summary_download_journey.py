"""A ministry official builds the national 2019 summary, watches the jobs on their task pages and downloads the
Excel workbook; the file is read back by LibreOffice (CSV) and by calamine, and its totals checked."""

import csv
import shutil
import subprocess
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.template.defaultfilters import filesizeformat
from python_calamine import CalamineWorkbook

from kcn_portal.celery import app
from kcn_portal.core.models import TaskRun
from reports.models import ReportSnapshot
from reports.services import downloads

from .test_licence_journey import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BN = 10**9
VALID = "Dự án còn hiệu lực"
ATTRACTION = "Thu hút đầu tư"
SHEETS = ["Thông tin", ATTRACTION, VALID, "Khu công nghiệp, khu kinh tế", "Hoạt động sản xuất kinh doanh",
          "Chi tiết sự kiện"]  # fmt: skip
# The small ledger's 2019 (tests/reports/conftest.py): 5421000001 (HNA, FDI, 1.383 bn đồng / 60M USD after its
# adjustment) and 5421000003 (TBH, FDI, 461 bn / 20M USD) are valid at 31/12/2019; 5421000002 (HNA, DDI, issued
# 2018) ended on 30/09/2019. Issued in 2019: 5421000001 (1.152,5 bn / 50M USD) and 5421000003.
EXPECTED = {
    VALID: {
        "valid_projects": {"HNA": 1, "TBH": 1, "national": 2},
        "valid_projects_ddi": {"HNA": 0, "TBH": 0, "national": 0},
        "valid_capital_fdi_vnd": {"HNA": 1_383 * BN, "TBH": 461 * BN, "national": 1_844 * BN},
        "valid_capital_fdi_usd": {"HNA": 60_000_000, "TBH": 20_000_000, "national": 80_000_000},
    },
    ATTRACTION: {
        "new_projects": {"HNA": 1, "TBH": 1, "national": 2},
        "new_capital_fdi_vnd": {"HNA": 1_152_500_000_000, "TBH": 461 * BN, "national": 1_613_500_000_000},
    },
}


class HeldQueue:
    """Stands for the broker while no worker has picked the job up: the task page shows it waiting.

    `work()` then runs the real task, as a worker would, in the test's thread or in a thread of its own.
    """

    def __init__(self, task):
        self.task, self.sent = task, []

    def delay(self, task_run_id):
        self.sent.append(task_run_id)

    def work(self):
        (task_run_id,) = self.sent
        self.task(task_run_id)


def pausing_progress(at):
    """downloads._Progress (the export's progress, stored on the run) that waits once it reaches `at` %
    until the test lets it go on: (the class, the event "reached", the event "go on")."""
    reached, resume = threading.Event(), threading.Event()

    class PausingProgress(downloads._Progress):
        def __call__(self, percent):
            super().__call__(percent)
            if percent >= at and not reached.is_set():
                reached.set()
                assert resume.wait(timeout=30), "the test never let the export go on"

    return PausingProgress, reached, resume


def worker_thread(queue, errors):
    def run():
        try:
            queue.work()
        except BaseException as exc:  # reported by the test (errors == [])
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="export-worker", daemon=True)
    thread.start()
    return thread


def wait_finished(page):
    """task-progress.js reloads the page when status.json says the job is done."""
    page.locator("[data-summary]").wait_for(timeout=20_000)


def status_json(page, live_server, run):
    return page.request.get(f"{live_server.url}/tasks/{run.pk}/status.json").json()


# --- reading the workbook without openpyxl ------------------------------------------------------------


def libreoffice_csv(path, folder):
    """{sheet name: rows} of the workbook, each sheet converted to CSV by LibreOffice (headless)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the workbook was not read by LibreOffice")
    out = folder / "csv"
    # Comma, double quote, UTF-8, from line 1, raw values (not as shown), every sheet (-1) in a file of its own.
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    command = [
        soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
        "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out), str(path),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    sheets = {}
    for file in sorted(out.glob(f"{path.stem}-*.csv")):
        with open(file, newline="", encoding="utf-8") as handle:
            sheets[file.stem.removeprefix(f"{path.stem}-")] = list(csv.reader(handle))
    return sheets


def calamine_sheets(path):
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def number(cell):
    """A figure as read: LibreOffice's CSV gives text, calamine floats (or ints); both compared exactly."""
    if cell in ("", None):
        return None
    return Decimal(str(cell))


def indicator_values(rows):
    """{indicator code: the "Kỳ này" column} of a group sheet's indicator table (row 4 on, until a blank row)."""
    values = {}
    for row in rows[3:]:
        if not row or row[0] in ("", None):
            break
        values[row[0]] = number(row[3])
    return values


def members_table(rows):
    """({board code: {indicator: value}}, {indicator: the "Tổng cộng" row's value}) of a group sheet."""
    # The members' header is followed by a row of indicator codes under the figures (columns C on).
    codes_at = next(
        i for i, row in enumerate(rows) if row[0] in ("", None) and {"new_projects", "valid_projects"} & set(row)
    )
    columns = {cell: index for index, cell in enumerate(rows[codes_at]) if cell not in ("", None)}
    members, total = {}, None
    for row in rows[codes_at + 1 :]:
        figures = {code: number(row[index]) for code, index in columns.items()}
        if row[0] == "Tổng cộng":
            total = figures
            break
        members[row[0]] = figures
    return members, total


def test_the_ministry_builds_and_downloads_the_national_summary(
    browser, page, live_server, ledger, ministry_user, monkeypatch, tmp_path
):
    build_queue, export_queue = HeldQueue(app.tasks["reports.build"]), HeldQueue(app.tasks["reports.export"])
    # The services send their tasks by name (kcn_portal.core.queue): the held queues stand in the registry.
    monkeypatch.setitem(app.tasks, "reports.build", build_queue)
    monkeypatch.setitem(app.tasks, "reports.export", export_queue)
    # 20 %: the four indicator sheets are written, the events sheet is next.
    progress, reached, resume = pausing_progress(20)
    monkeypatch.setattr(downloads, "_Progress", progress)
    report_url = f"{live_server.url}/reports/national/2019/"

    login(page, live_server, "ministry")
    page.goto(report_url)
    assert page.locator("[data-scope-label]").inner_text() == "Cả nước"
    assert page.locator("[data-no-snapshot]").count() == 1
    assert page.locator("[data-export]").count() == 0  # nothing to export before the report is built

    # Build: the job waits for a worker, the page says so; once it is done, the page reloads with the result.
    page.locator("[data-build]").get_by_role("button", name="Tính lại").click()
    page.wait_for_url(f"{live_server.url}/tasks/*/")
    build = TaskRun.objects.get(pk=build_queue.sent[0])
    assert page.url == f"{live_server.url}/tasks/{build.pk}/"
    assert page.locator(".alert-info").inner_text() == "Đã đưa việc tính lại báo cáo vào hàng đợi."
    assert page.locator("h1").inner_text() == "Tính báo cáo"
    assert page.locator("[data-status]").inner_text() == "Đang chờ"
    assert page.locator("[data-task-bar]").inner_text() == "0 %"
    build_queue.work()
    wait_finished(page)
    assert page.locator("[data-status]").inner_text() == "Hoàn thành"
    assert page.locator("[data-task-progress]").count() == 0
    built = ReportSnapshot.objects.filter(period="2019").order_by("scope").values_list("scope", "version")
    assert list(built) == [("board:HNA", 1), ("board:TBH", 1), ("national", 1)]
    assert (
        page.locator("[data-summary]").inner_text()
        == "Đã tính 3 báo cáo, trong đó 3 có phiên bản mới (số liệu thay đổi)."
    )
    assert page.locator("[data-report]").all_inner_texts() == [
        "board:HNA\tBan Quản lý các KCN tỉnh Hà Nam\t1\tPhiên bản mới\tXem báo cáo",
        "board:TBH\tBan Quản lý KKT và các KCN tỉnh Thái Bình\t1\tPhiên bản mới\tXem báo cáo",
        "national\tCả nước\t1\tPhiên bản mới\tXem báo cáo",
    ]
    assert status_json(page, live_server, build) == {
        "status": "succeeded", "status_label": "Hoàn thành", "progress": 100, "finished": True,
    }  # fmt: skip

    # The report page now shows the national figures and offers the Excel file.
    page.locator('[data-report="national"]').get_by_role("link", name="Xem báo cáo").click()
    page.wait_for_url(report_url)
    assert page.locator('[data-indicator="valid_projects"] [data-value]').inner_text() == "2"
    assert page.locator('[data-indicator="valid_capital_fdi_vnd"] [data-value]').inner_text() == "1.844.000.000.000"

    # Export: waiting, then running (the worker pauses at 20 % so the bar is seen moving), then the download link.
    page.locator("[data-export]").get_by_role("button", name="Xuất Excel").click()
    page.wait_for_url(f"{live_server.url}/tasks/*/")
    export = TaskRun.objects.get(pk=export_queue.sent[0])
    assert page.url == f"{live_server.url}/tasks/{export.pk}/"
    assert page.locator("h1").inner_text() == "Xuất báo cáo Excel"
    assert page.locator("[data-version]").inner_text() == "mới nhất"  # asked for the latest version
    assert page.locator("[data-status]").inner_text() == "Đang chờ"
    assert page.locator("[data-task-bar]").inner_text() == "0 %"
    errors = []
    worker = worker_thread(export_queue, errors)
    try:
        assert reached.wait(timeout=20)
        page.locator("[data-task-bar]", has_text="20 %").wait_for(timeout=10_000)
        assert page.locator("[data-task-bar]").inner_text() == "20 %"
        assert page.locator("[data-task-progress]").get_attribute("aria-valuenow") == "20"
        assert page.locator("[data-status]").inner_text() == "Đang chạy"
    finally:
        resume.set()
        worker.join(timeout=30)
    assert not worker.is_alive() and errors == []
    wait_finished(page)
    export.refresh_from_db()
    assert page.locator("[data-status]").inner_text() == "Hoàn thành"
    assert page.locator("[data-summary]").inner_text() == "Tệp Excel đã sẵn sàng."
    assert page.locator("[data-version]").inner_text() == "1"  # the version exported
    assert page.locator("[data-file]").inner_text() == (
        f"bao-cao-national-2019-v1.xlsx ({filesizeformat(export.result['size'])})"
    )
    assert status_json(page, live_server, export) == {
        "status": "succeeded", "status_label": "Hoàn thành", "progress": 100, "finished": True,
    }  # fmt: skip

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp Excel").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-national-2019-v1.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.stat().st_size == export.result["size"]

    # The figures the portal computed, as stored in the national snapshot.
    snapshot = ReportSnapshot.objects.get(scope="national", period="2019")
    assert snapshot.members == ["HNA", "TBH"]
    for codes in EXPECTED.values():
        for code, expected in codes.items():
            assert Decimal(str(snapshot.indicators[code]["value"])) == expected["national"], code
            for board in ("HNA", "TBH"):
                assert Decimal(str(snapshot.member_values[board][code])) == expected[board], (board, code)

    # Read back by two readers that share nothing with openpyxl, which wrote the file.
    for reader, sheets in (("LibreOffice", libreoffice_csv(path, tmp_path)), ("calamine", calamine_sheets(path))):
        assert sorted(sheets) == sorted(SHEETS), reader
        cover = {row[0]: row[1] for row in sheets["Thông tin"] if row and row[0]}
        assert (cover["Phạm vi"], cover["Kỳ báo cáo"], number(cover["Phiên bản"])) == (
            "national — Cả nước", "2019 — Năm 2019", 1,
        ), reader  # fmt: skip
        for sheet, codes in EXPECTED.items():
            rows = sheets[sheet]
            table = indicator_values(rows)
            members, total = members_table(rows)
            assert sorted(members) == ["HNA", "TBH"], (reader, sheet)
            for code, expected in codes.items():
                # The national figure in the indicator table and the "Tổng cộng" row are the portal's figure…
                portal = Decimal(str(snapshot.indicators[code]["value"]))
                assert table[code] == total[code] == portal == expected["national"], (reader, code)
                # … and the sum of the member rows, each the member's own figure.
                assert [members[board][code] for board in ("HNA", "TBH")] == [expected["HNA"], expected["TBH"]]
                assert members["HNA"][code] + members["TBH"][code] == total[code], (reader, code)
        # The events sheet lists the 2019 events: two issues, one adjustment, one termination.
        events = [row for row in sheets["Chi tiết sự kiện"][1:] if row and row[0]]
        assert sorted((row[2], row[5]) for row in events) == [
            ("5421000001", "Cấp mới"), ("5421000001", "Điều chỉnh lần 1"), ("5421000002", "Chấm dứt"),
            ("5421000003", "Cấp mới"),
        ], reader  # fmt: skip
