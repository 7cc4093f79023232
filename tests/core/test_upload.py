"""The browser upload of a workbook: dry-run preview, commit, refusals, progress, who sees a task."""

import html as htmllib
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kcn_portal.core import services
from kcn_portal.core import workbook as workbook_module
from kcn_portal.core.models import AuditRecord, TaskRun
from tests.fixtures.workbooks import ZONES_HEADER, build_workbook, good_workbook
from zones.models import Board, Zone


def text_of(html, pattern):
    text = re.sub(r"<[^>]+>", "", re.search(pattern, html, re.S).group(1))
    return htmllib.unescape(re.sub(r"\s+", " ", text)).strip()


def rows(html, attr):
    """The cells' text of every table row carrying `attr`."""
    found = []
    for row in re.findall(rf"<tr {attr}[^>]*>(.*?)</tr>", html, re.S):
        found.append([text_of(cell, r"(.*)") for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
    return found


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a file to the upload page as the signed-in user; the dry run runs as the task would (eagerly)."""

    def post(path, name=None):
        with django_capture_on_commit_callbacks(execute=True), open(path, "rb") as handle:
            return client.post("/workbook/upload/", {"file": SimpleUploadedFile(name or path.name, handle.read())})

    return post


def commit(client, run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"/tasks/{run.pk}/commit/")


def test_dry_run_previews_the_counts_and_writes_nothing(client, admin_user, tmp_path, upload):
    client.force_login(admin_user)
    response = upload(good_workbook(tmp_path / "good.xlsx"))
    run = TaskRun.objects.get()
    assert response.url == f"/tasks/{run.pk}/"
    html = client.get(response.url).content.decode()
    assert rows(html, "data-sheet") == [["boards (Ban quản lý)", "2", "0", "0"], ["zones (Khu)", "3", "0", "0"]]
    assert text_of(html, r"data-summary>(.*?)</div>") == (
        "Tệp hợp lệ. Chưa có gì được ghi: kiểm tra các số dưới đây rồi bấm “Ghi vào cơ sở dữ liệu”."
    )
    assert "Ghi vào cơ sở dữ liệu</button>" in html
    assert (run.params["dry_run"], run.status, run.progress) == (True, "succeeded", 100)
    assert (Board.objects.count(), Zone.objects.count(), AuditRecord.objects.count()) == (0, 0, 0)


def test_commit_imports_the_previewed_file(client, admin_user, tmp_path, upload, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    preview = TaskRun.objects.get(pk=upload(good_workbook(tmp_path / "good.xlsx")).url.split("/")[2])
    response = commit(client, preview, django_capture_on_commit_callbacks)
    run = TaskRun.objects.exclude(pk=preview.pk).get()
    assert response.url == f"/tasks/{run.pk}/"
    assert (run.params["dry_run"], run.params["preview_run"], run.input_file.name) == (
        False, preview.pk, preview.input_file.name,
    )  # fmt: skip
    assert sorted(Zone.objects.values_list("code", flat=True)) == ["HNA-DV1", "HNA-DV2", "TBH-PK"]
    html = client.get(response.url).content.decode()
    assert rows(html, "data-sheet") == [["boards (Ban quản lý)", "2", "0", "0"], ["zones (Khu)", "3", "0", "0"]]
    assert text_of(html, r"data-summary>(.*?)</div>") == "Đã ghi dữ liệu vào cơ sở dữ liệu."
    preview_html = client.get(f"/tasks/{preview.pk}/").content.decode()
    assert f'href="/tasks/{run.pk}/" data-commit-run' in preview_html and "data-commit>" not in preview_html


def test_a_second_commit_of_the_same_preview_imports_nothing_more(
    client, admin_user, tmp_path, upload, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    preview = TaskRun.objects.get(pk=upload(good_workbook(tmp_path / "good.xlsx")).url.split("/")[2])
    first = commit(client, preview, django_capture_on_commit_callbacks)
    second = commit(client, preview, django_capture_on_commit_callbacks)  # a double click
    assert (first.url, TaskRun.objects.count()) == (second.url, 2)
    assert AuditRecord.objects.count() == 5


def test_a_file_with_errors_lists_every_error_and_cannot_be_committed(client, hna_staff, hna, tmp_path, upload):
    bad = build_workbook(
        tmp_path / "bad.xlsx",
        {
            "zones": [
                ZONES_HEADER,
                ("HNA-A", "KCN A", "HNA", "KCN", "operating", 10, 5, 1, None, None),
                ("Z-1", "KCN X", "XYZ", "KCN", "operating", "mười", 5, 1, None, None),
            ]
        },
    )
    client.force_login(hna_staff)
    html = client.get(upload(bad).url).content.decode()
    assert rows(html, "data-error") == [
        ["zones", "3", "board_code", "Không có Ban quản lý mã 'XYZ'."],
        ["zones", "3", "natural_area_ha",
         "Phải là một số, ví dụ 1.234.567,89 hoặc 1234567.89, không phải 'mười'."],
    ]  # fmt: skip
    assert text_of(html, r"data-summary>(.*?)</div>") == (
        "Tệp có 2 lỗi. Không có gì được ghi vào cơ sở dữ liệu: hãy sửa tệp rồi tải lên lại."
    )
    run = TaskRun.objects.get()
    assert ("data-commit>" in html, client.post(f"/tasks/{run.pk}/commit/").url) == (False, f"/tasks/{run.pk}/")
    assert (Zone.objects.count(), TaskRun.objects.count(), AuditRecord.objects.count()) == (0, 1, 0)


def test_a_renamed_text_file_is_refused_on_the_form(client, hna_staff, tmp_path, upload):
    fake = tmp_path / "zones.xlsx"
    fake.write_text("code,name\nHNA-A,KCN A\n")
    client.force_login(hna_staff)
    html = upload(fake).content.decode()
    assert re.findall(r"data-file-error>(.*?)</div>", html) == ["Tệp không phải là bảng tính Excel (.xlsx)."]
    assert (TaskRun.objects.count(), Zone.objects.count()) == (0, 0)


def test_a_file_too_big_is_refused_on_the_form(client, hna_staff, tmp_path, upload, settings):
    settings.KCN_UPLOAD_MAX_BYTES = 1024
    client.force_login(hna_staff)
    html = upload(good_workbook(tmp_path / "good.xlsx")).content.decode()
    assert re.findall(r"data-file-error>(.*?)</div>", html)[0].startswith("Tệp quá lớn: 0,0 MB, tối đa 0,0 MB.")
    assert TaskRun.objects.count() == 0


def test_xml_entities_are_refused_on_the_task_page(client, admin_user, tmp_path, upload):
    real = good_workbook(tmp_path / "real.xlsx")
    with zipfile.ZipFile(real) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    parts["xl/workbook.xml"] = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;</workbook>'
    with zipfile.ZipFile(tmp_path / "entities.xlsx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    client.force_login(admin_user)
    html = client.get(upload(tmp_path / "entities.xlsx").url).content.decode()
    assert text_of(html, r"data-refusal>(.*?)</p>") == (
        "Không đọc được bảng tính: tệp .xlsx bị hỏng hoặc không đúng định dạng."
    )
    assert (TaskRun.objects.get().status, Board.objects.count(), "data-commit>" in html) == ("failed", 0, False)


def test_a_task_is_visible_only_to_its_creator_and_administrators(client, hna_staff, tbh_staff, admin_user):
    run = TaskRun.objects.create(kind=services.WORKBOOK_IMPORT, created_by=hna_staff, params={"dry_run": True})
    client.force_login(tbh_staff)
    pages = [f"/tasks/{run.pk}/", f"/tasks/{run.pk}/status.json"]
    assert [client.get(page).status_code for page in pages] == [404, 404]
    assert client.post(f"/tasks/{run.pk}/commit/").status_code == 404
    client.force_login(admin_user)
    assert client.get(f"/tasks/{run.pk}/status.json").json() == {
        "status": "pending", "status_label": "Đang chờ", "progress": 0, "finished": False,
    }  # fmt: skip


def test_a_running_task_page_polls_its_status(client, hna_staff):
    run = TaskRun.objects.create(kind=services.WORKBOOK_IMPORT, created_by=hna_staff, status="running", progress=42)
    client.force_login(hna_staff)
    html = client.get(f"/tasks/{run.pk}/").content.decode()
    assert f'data-status-url="/tasks/{run.pk}/status.json"' in html
    assert re.search(r'style="width: 42%" data-task-bar>42 %</div>', html)
    assert '<script src="/static/js/task-progress.js" defer></script>' in html


def test_only_board_writers_may_upload(client, hna_leader, ministry_user):
    for user in (hna_leader, ministry_user):
        client.force_login(user)
        assert client.get("/workbook/upload/").status_code == 404
    assert TaskRun.objects.count() == 0


# --- progress -------------------------------------------------------------------------------------


def test_progress_is_throttled_by_step_and_time():
    written, now = [], [0.0]
    report = services.ProgressReporter(written.append, clock=lambda: now[0])
    for rows_read, at in [(10, 0.6), (11, 0.7), (20, 0.9), (50, 1.2), (120, 2.0), (100, 2.7)]:
        now[0] = at
        report(rows_read, 100)
    # 10 rows: 14 %; 11: 14 % (no step); 20: too soon; 50: 50 %; 120 (more than declared): 95 %.
    assert written == [14, 50, 95]


def test_an_import_stores_its_progress_as_it_reads(db, admin_user, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_module, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(services.ProgressReporter, "min_interval", 0)
    seen = []
    original = services._ProgressWriter.__call__

    def spy(self, percent):
        original(self, percent)
        seen.append(TaskRun.objects.get(pk=self.run_id).progress)

    monkeypatch.setattr(services._ProgressWriter, "__call__", spy)
    path = good_workbook(tmp_path / "good.xlsx")
    run = services.workbook_import_enqueue(
        user=admin_user, uploaded_file=SimpleUploadedFile("g.xlsx", path.read_bytes())
    )
    run = services.workbook_import_run(task_run_id=run.pk)
    assert (seen, run.progress) == ([23, 41, 59, 77, 95], 100)


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_the_import_transaction_is_open(admin_user):
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip(
            "a second connection only matters on PostgreSQL (SQLite writes progress in the import's transaction)"
        )
    run = TaskRun.objects.create(kind=services.WORKBOOK_IMPORT, created_by=admin_user)
    writer = services._ProgressWriter(run.pk)
    with transaction.atomic():  # the import's transaction, rolled back as a dry run would be
        TaskRun.objects.filter(pk=run.pk).exists()
        writer(40)
        transaction.set_rollback(True)
    writer.close()
    assert TaskRun.objects.get(pk=run.pk).progress == 40
