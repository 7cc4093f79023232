"""Pages of movements, award decisions and recipients: who may write, files, visibility, query counts."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from emulation.enums import AwardKind, AwardLevel, LaunchLevel, RecipientKind
from emulation.models import Attachment, AwardDecision, Movement
from emulation.selectors import awards as awards_selectors
from emulation.services import awards
from kcn_portal.core.models import AuditRecord

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def movement_form(**changes):
    data = {
        "name": "Thi đua hoàn thành thắng lợi nhiệm vụ năm 2025", "launched_by_level": LaunchLevel.MINISTRY,
        "launched_by": "Bộ Tài chính", "launched_by_board": "", "kind": "regular", "starts_on": "2025-01-15",
        "ends_on": "2025-12-31", "decision_no": "15/QĐ-BTC", "decision_date": "2025-01-10",
        "slogan": "Đoàn kết, sáng tạo", "content": "Hoàn thành các chỉ tiêu thu hút đầu tư.",
    }  # fmt: skip
    return {**data, **changes}


@pytest.fixture
def movement(db, hna, tbh):
    return awards.movement_save(user=None, boards=[hna, tbh], **movement_form(launched_by_board=None))


@pytest.fixture
def titles(db):
    save = awards.award_title_save
    return {
        "BK_BO": save(user=None, code="BK_BO", name="Bằng khen của Bộ trưởng", kind=AwardKind.COMMENDATION,
                      level=AwardLevel.PROVINCE),
        "HTTNV": save(user=None, code="HTTNV", name="Hoàn thành tốt nhiệm vụ", kind=AwardKind.EVALUATION,
                      level=AwardLevel.BASE),
    }  # fmt: skip


def person(board, name):
    return awards.recipient_get_or_create(user=None, kind=RecipientKind.PERSON, board=board, name=name)


def decide(title, recipients, number, year=2024):
    return awards.award_decision_save(
        user=None, number=number, date=datetime.date(year + 1, 2, 1), issuer="Bộ trưởng Bộ Tài chính",
        title=title, year=year, recipients=recipients,
    )  # fmt: skip


def listed(response):
    """The decision numbers of an award list page, in order."""
    return re.findall(r'data-decision="\d+">\s*<td class="text-nowrap"><a [^>]+>([^<]+)<', response.content.decode())


def test_ministry_creates_then_edits_a_movement_through_the_page(client, ministry_user, hna):
    client.force_login(ministry_user)
    response = client.post("/emulation/movements/new/", movement_form(boards=[hna.pk]))
    movement = Movement.objects.get()
    assert response.url == f"/emulation/movements/{movement.pk}/"
    assert (movement.launched_by, movement.decision_no, movement.version) == ("Bộ Tài chính", "15/QĐ-BTC", 1)
    assert list(movement.boards.values_list("code", flat=True)) == ["HNA"]
    client.post(f"/emulation/movements/{movement.pk}/edit/", movement_form(name="Phong trào mới", version=1))
    movement.refresh_from_db()
    assert (movement.name, movement.version, movement.boards.count()) == ("Phong trào mới", 2, 0)
    page = client.get(f"/emulation/movements/{movement.pk}/").content.decode()
    assert "Phong trào mới" in page and "Số 15/QĐ-BTC, ngày 10/01/2025" in page


def test_a_stale_movement_save_saves_nothing_and_names_what_changed(client, ministry_user, movement):
    client.force_login(ministry_user)
    url = f"/emulation/movements/{movement.pk}/edit/"
    assert client.post(url, movement_form(name="Tên của người thứ nhất", version=1)).status_code == 302
    response = client.post(url, movement_form(slogan="Khẩu hiệu của người thứ hai", version=1))
    assert response.status_code == 409
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert (
        "Phong trào đã được người khác sửa trong lúc bạn sửa. Chưa có gì được lưu; hãy kiểm tra rồi lưu lại. "
        "Đã thay đổi: Tên phong trào, Ban tham gia."
    ) in page
    assert "Sửa phong trào Tên của người thứ nhất" in page
    assert 'name="version" value="2"' in response.content.decode()
    movement.refresh_from_db()
    assert (movement.name, movement.slogan, movement.version) == ("Tên của người thứ nhất", "Đoàn kết, sáng tạo", 2)


def test_board_staff_cannot_edit_a_ministry_movement(client, hna_staff, movement):
    client.force_login(hna_staff)
    assert client.get(f"/emulation/movements/{movement.pk}/edit/").status_code == 403
    response = client.post(f"/emulation/movements/{movement.pk}/edit/", movement_form(name="Đổi tên", version=1))
    assert response.status_code == 403
    movement.refresh_from_db()
    assert (movement.name, movement.version) == ("Thi đua hoàn thành thắng lợi nhiệm vụ năm 2025", 1)
    page = client.get(f"/emulation/movements/{movement.pk}/").content.decode()
    assert "data-edit" not in page and "Ban tham gia" in page  # readable, not writable


def test_a_real_pdf_is_attached_and_downloaded(client, ministry_user, movement, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ministry_user)
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/emulation/movements/{movement.pk}/attach/", {"file": upload}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Đã đính kèm tệp ke-hoach.pdf."]
    attachment = Attachment.objects.get()
    assert (attachment.movement_id, attachment.size, attachment.content_type) == (
        movement.pk,
        len(PDF),
        "application/pdf",
    )
    download = client.get(f"/emulation/movements/attachments/{attachment.pk}/")
    assert download["Content-Disposition"] == 'attachment; filename="ke-hoach.pdf"'
    assert b"".join(download.streaming_content) == PDF


def test_an_exe_renamed_pdf_is_refused_with_the_checks_message(client, ministry_user, movement, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(ministry_user)
    upload = SimpleUploadedFile("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", content_type="application/pdf")
    response = client.post(f"/emulation/movements/{movement.pk}/attach/", {"file": upload}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Nội dung tệp 'setup.pdf' không đúng định dạng .pdf."]
    assert Attachment.objects.count() == 0
    assert list(tmp_path.rglob("*.pdf")) == []


def test_a_decision_naming_only_tbh_is_hidden_from_hna_and_listed_for_the_ministry(
    client, hna_staff, ministry_user, hna, tbh, titles
):
    tbh_only = decide(titles["BK_BO"], [person(tbh, "Trần Thị Bình")], "101/QĐ-BTC")
    decide(titles["BK_BO"], [person(hna, "Nguyễn Văn An")], "102/QĐ-BTC")
    client.force_login(hna_staff)
    assert client.get(f"/emulation/awards/{tbh_only.pk}/").status_code == 404
    assert listed(client.get("/emulation/awards/")) == ["102/QĐ-BTC"]
    client.force_login(ministry_user)
    assert listed(client.get("/emulation/awards/")) == ["101/QĐ-BTC", "102/QĐ-BTC"]
    assert listed(client.get("/emulation/awards/", {"board": "TBH", "title": titles["BK_BO"].pk})) == ["101/QĐ-BTC"]
    assert listed(client.get("/emulation/awards/", {"title": titles["HTTNV"].pk})) == []


def test_the_award_list_makes_the_same_queries_for_1_and_5_decisions(client, hna_staff, hna, titles):
    client.force_login(hna_staff)
    decide(titles["HTTNV"], [person(hna, "Người 0")], "1/QĐ")
    client.get("/emulation/awards/")  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get("/emulation/awards/")
    for n in range(1, 5):
        decide(titles["HTTNV"], [person(hna, f"Người {n}"), person(hna, "Người 0")], f"{n + 1}/QĐ", year=2020 + n)
    with CaptureQueriesContext(connection) as five:
        page = client.get("/emulation/awards/").content.decode()
    assert page.count("data-decision=") == 5
    assert len(five) == len(one)


def test_ministry_records_a_decision_with_two_recipient_rows(client, ministry_user, hna, tbh, titles):
    client.force_login(ministry_user)
    data = {
        "number": "55/QĐ-BTC", "date": "2025-03-01", "issuer": "Bộ trưởng Bộ Tài chính",
        "title": titles["BK_BO"].pk, "year": "2024", "movement": "", "note": "",
        "recipients-TOTAL_FORMS": "3", "recipients-INITIAL_FORMS": "0",
        "recipients-MIN_NUM_FORMS": "1", "recipients-MAX_NUM_FORMS": "200",
        "recipients-0-kind": "board", "recipients-0-board": hna.pk, "recipients-0-name": "Ban Quản lý các KCN Hà Nam",
        "recipients-1-kind": "person", "recipients-1-board": tbh.pk, "recipients-1-name": "Trần Thị Bình",
        "recipients-1-position": "Phó Trưởng ban",
        "recipients-2-kind": "person",  # the blank row as a browser sends it: the select's default
    }  # fmt: skip
    response = client.post("/emulation/awards/new/", data)
    decision = AwardDecision.objects.get()
    assert response.url == f"/emulation/awards/{decision.pk}/"
    assert sorted(decision.recipients.values_list("board__code", "kind", "name", "position")) == [
        ("HNA", "board", "Ban Quản lý các KCN Hà Nam", ""),
        ("TBH", "person", "Trần Thị Bình", "Phó Trưởng ban"),
    ]


def test_recipient_page_shows_history_and_the_eligibility_explanation(client, hna_staff, hna, titles):
    awards.eligibility_rule_save(
        user=None, title=titles["BK_BO"], description="3 năm liên tục hoàn thành tốt nhiệm vụ",
        required=[titles["HTTNV"]], min_count=3, consecutive=True,
    )  # fmt: skip
    an = person(hna, "Nguyễn Văn An")
    for year in (2022, 2024):
        decide(titles["HTTNV"], [an], f"{year}/QĐ-BQL", year=year)
    client.force_login(hna_staff)
    page = client.get(f"/emulation/recipients/{an.pk}/", {"title": titles["BK_BO"].pk, "year": 2025}).content.decode()
    rows = re.findall(r'<tr data-history-row>\s*<td class="text-end">(\d+)</td>\s*<td>([^<]+)</td>', page)
    assert rows == [("2024", "Hoàn thành tốt nhiệm vụ"), ("2022", "Hoàn thành tốt nhiệm vụ")]
    assert re.findall(r"<span data-explanation>([^<]+)</span>", page) == [
        "Chưa đạt – 3 năm liên tục hoàn thành tốt nhiệm vụ: Hoàn thành tốt nhiệm vụ: "
        "1 năm liên tục đến năm 2024 (2024), cần 3."
    ]
    assert "Chưa đủ điều kiện đề nghị Bằng khen của Bộ trưởng năm 2025." in page


def test_recipient_of_an_unreadable_board_is_404(client, hna_staff, tbh):
    client.force_login(hna_staff)
    assert client.get(f"/emulation/recipients/{person(tbh, 'Trần Thị Bình').pk}/").status_code == 404


def test_admin_saves_an_eligibility_rule_through_the_service_and_the_titles_page_words_it(client, admin_user, titles):
    client.force_login(admin_user)
    response = client.post("/admin/emulation/eligibilityrule/add/", {
        "title": titles["BK_BO"].pk, "order": 1, "description": "Hoàn thành tốt nhiệm vụ 2 năm liền",
        "required": [titles["HTTNV"].pk], "min_count": 2, "window_years": "", "consecutive": "on",
    })  # fmt: skip
    assert response.status_code == 302
    record = AuditRecord.objects.get(model="emulation.eligibilityrule")
    assert (record.source, record.action, record.changes["min_count"]) == ("admin", "create", [None, 2])
    page = client.get("/emulation/titles/").content.decode()
    assert re.findall(r"<span data-rule-words>([^<]+)</span>", page) == [
        "Hoàn thành tốt nhiệm vụ: 2 năm liên tục đến năm trước năm xét."
    ]


def test_the_movement_list_makes_the_same_queries_for_1_and_5_movements(client, hna_staff, hna, tbh):
    client.force_login(hna_staff)
    awards.movement_save(user=None, boards=[hna], **movement_form(name="Phong trào 0", launched_by_board=None))
    client.get("/emulation/movements/")
    with CaptureQueriesContext(connection) as one:
        client.get("/emulation/movements/")
    for n in range(1, 5):
        awards.movement_save(
            user=None, boards=[hna, tbh], **movement_form(name=f"Phong trào {n}", launched_by_board=None)
        )
    with CaptureQueriesContext(connection) as five:
        page = client.get("/emulation/movements/?year=2025").content.decode()
    assert page.count("data-movement=") == 5
    assert len(five) == len(one)


def test_the_decisions_of_a_year_carry_only_the_readers_recipients(
    hna_staff, ministry_user, hna, tbh, titles, django_assert_num_queries
):
    decide(titles["BK_BO"], [person(tbh, "Trần Thị Bình"), person(hna, "Nguyễn Văn An")], "7/QĐ-BTC")
    decide(titles["BK_BO"], [person(tbh, "Lê Văn Cường")], "8/QĐ-BTC")
    decide(titles["HTTNV"], [person(hna, "Nguyễn Văn An")], "9/QĐ-BQL", year=2023)

    def read(user):
        rows = awards_selectors.award_decisions_of_year(user=user, year=2024)
        return [(d.number, d.title.name, [f"{r.board.code}:{r.name}" for r in d.recipients.all()]) for d in rows]

    assert read(hna_staff) == [("7/QĐ-BTC", "Bằng khen của Bộ trưởng", ["HNA:Nguyễn Văn An"])]
    with django_assert_num_queries(2):  # the decisions with their titles, then every recipient with its board
        assert read(ministry_user) == [
            ("7/QĐ-BTC", "Bằng khen của Bộ trưởng", ["HNA:Nguyễn Văn An", "TBH:Trần Thị Bình"]),
            ("8/QĐ-BTC", "Bằng khen của Bộ trưởng", ["TBH:Lê Văn Cường"]),
        ]


def test_a_movement_advances_and_the_list_filters_by_status(client, ministry_user, movement):
    client.force_login(ministry_user)
    response = client.post(f"/emulation/movements/{movement.pk}/advance/", {"status": "reviewing"}, follow=True)
    message = "Phong trào chuyển sang trạng thái: Đang sơ kết, tổng kết."
    assert [str(m) for m in response.context["messages"]] == [message]
    detail = response.content.decode()
    assert 'data-status="reviewing">Đang sơ kết, tổng kết</span>' in detail
    assert "Chuyển sang: Đã khen thưởng" in detail
    page = client.get("/emulation/movements/", {"status": "reviewing"}).content.decode()
    assert re.findall(r'data-movement="(\d+)"', page) == [str(movement.pk)]
    assert '<a href="/emulation/movements/" class="btn btn-link" data-reset>Bỏ lọc</a>' in page
    assert client.get("/emulation/movements/", {"status": "awarded"}).content.decode().count("data-movement=") == 0


def test_the_admin_shows_a_movements_attachments_read_only(client, admin_user, movement, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf")
    awards.movement_attach(user=admin_user, movement=movement, upload=upload)
    client.force_login(admin_user)
    page = client.get(f"/admin/emulation/movement/{movement.pk}/change/").content.decode()
    cells = re.findall(r'<td class="field-(name|uploaded_by)">\s*<p>(?:<a [^>]+>)?([^<]*)<', page)
    assert cells == [("name", "ke-hoach.pdf"), ("uploaded_by", "admin")]
    assert 'name="attachments-0-DELETE"' not in page and "Lưu" not in page
