"""Approval pages (issue 7): a board's periods, approving one, reopening, and corrections proposed from the ledger."""

import datetime
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from investment.models import LicenceEvent
from reports.enums import CorrectionStatus, ReopenStatus
from reports.models import Correction, PeriodApproval, ReopenRequest

from .conftest import BN
from .test_approval import PDF, adjust, locked
from .test_pages import cells, html_of, text


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def approve(client, user, period="2019-Q3", **data):
    client.force_login(user)
    return client.post(f"/reports/approvals/HNA/{period}/approve/", data, follow=True)


def test_the_leader_approves_an_ended_quarter_and_the_list_shows_it(client, ledger, hna_leader):
    response = approve(client, hna_leader, note="Đã đối chiếu")
    approval = PeriodApproval.objects.get(board__code="HNA", period="2019-Q3")
    assert messages_of(response) == [
        "Đã phê duyệt số liệu kỳ Quý 3/2019 của Ban Quản lý các KCN tỉnh Hà Nam (bản báo cáo phiên bản 1)."
    ]
    assert (approval.note, approval.approved_by, approval.issue_count) == ("Đã đối chiếu", hna_leader, 0)
    html = html_of(client, hna_leader, "/reports/approvals/")
    row = cells(html, 'data-period="2019-Q3"')
    assert row[0] == "Quý 3 năm 2019"
    assert row[4] == f"Đã phê duyệt {timezone.localdate():%d/%m/%Y} · phiên bản 1"


def test_staff_cannot_approve_and_another_board_sees_nothing(client, ledger, hna_staff, tbh_staff):
    assert approve(client, hna_staff).status_code == 403
    assert not PeriodApproval.objects.exists()
    client.force_login(tbh_staff)
    assert client.get("/reports/approvals/HNA/2019-Q3/").status_code == 404
    assert client.get("/reports/approvals/HNA/2019-M07/").status_code == 404
    assert client.get("/reports/approvals/?board=HNA").status_code == 404


def test_warnings_are_shown_and_must_be_acknowledged_before_approving(client, ledger, hna, hna_leader):
    project = ledger[0]  # an adjustment written around the services, stating no capital: a data-quality warning
    LicenceEvent.objects.create(project=project, kind="adjust", certificate_no="5421000001-DC9", adjust_no=2,
                                event_date=datetime.date(2019, 8, 1), project_name=project.name)  # fmt: skip
    response = approve(client, hna_leader)
    assert messages_of(response) == [
        "Số liệu kỳ 2019-Q3 còn 1 cảnh báo chất lượng; hãy xem và xác nhận trước khi phê duyệt."
    ]
    assert not PeriodApproval.objects.exists()
    html = html_of(client, hna_leader, "/reports/approvals/HNA/2019-Q3/")  # the refused build's warning stays
    assert text(re.search(r'<li class="list-group-item small" data-rule="capital_zero">(.*?)</li>', html, re.S)[1]) == (
        "Điều chỉnh lần 2 số 5421000001-DC9 ngày 01/08/2019 không còn vốn đăng ký (vốn về 0) nhưng dự án chưa "
        "chấm dứt đến ngày 30/09/2019. Xem dự án 5421000001"
    )
    assert "Tôi đã xem các cảnh báo chất lượng dữ liệu ở trên và vẫn phê duyệt" in html
    approve(client, hna_leader, acknowledge_issues="on")
    assert PeriodApproval.objects.get().issue_count == 1


def test_a_reopening_is_asked_granted_and_closed_from_the_period_page(client, ledger, hna_leader, hna_staff):
    approve(client, hna_leader)
    client.force_login(hna_staff)
    url = "/reports/approvals/HNA/2019-Q3/"
    assert messages_of(client.post(url + "reopen/", {"reason": " "}, follow=True)) == [
        "Cần ghi lý do đề nghị mở lại kỳ."
    ]
    response = client.post(url + "reopen/", {"reason": "Bổ sung dự án thiếu"}, follow=True)
    assert messages_of(response) == ["Đã gửi đề nghị mở lại kỳ Quý 3/2019; chờ lãnh đạo Ban quyết định."]
    request = ReopenRequest.objects.get()
    assert client.post(f"/reports/reopen-requests/{request.pk}/grant/", {"days": 2}).status_code == 403
    client.force_login(hna_leader)
    response = client.post(f"/reports/reopen-requests/{request.pk}/grant/", {"days": 30}, follow=True)
    assert messages_of(response) == ["Mở lại từ 1 đến 14 ngày."]
    response = client.post(f"/reports/reopen-requests/{request.pk}/grant/", {"days": 2, "note": "Gấp"}, follow=True)
    request.refresh_from_db()
    until = timezone.localtime(request.open_until).strftime("%H:%M %d/%m/%Y")
    assert messages_of(response) == [f"Đã mở lại kỳ 2019-Q3 đến {until}."]
    adjust(ledger[0], datetime.date(2019, 8, 1), user=hna_staff)  # writable while open
    response = client.post(f"/reports/reopen-requests/{request.pk}/close/", follow=True)
    assert messages_of(response) == ["Đã khóa lại kỳ 2019-Q3; các báo cáo đã phê duyệt được tính lại."]
    request.refresh_from_db()
    assert request.status == ReopenStatus.CLOSED
    assert PeriodApproval.objects.get().snapshot.version == 2  # re-pinned on the rebuilt report


def test_a_locked_event_is_corrected_through_a_proposal_the_leader_approves(client, ledger, hna_leader, hna_staff):
    approve(client, hna_leader, period="2019-H1")
    event = LicenceEvent.objects.get(project=ledger[0], kind="adjust", is_current=True)
    html = html_of(client, hna_staff, "/projects/5421000001/")
    assert f'href="/reports/corrections/new/{event.pk}/" data-propose-correction' in html
    response = client.get(f"/events/{event.pk}/correct/", follow=True)
    assert response.redirect_chain == [(f"/reports/corrections/new/{event.pk}/", 302)]
    assert messages_of(response) == [locked("2019-H1", "sự kiện ngày 01/06/2019")]
    url = f"/reports/corrections/new/{event.pk}/"
    data = {"certificate_no": event.certificate_no, "event_date": "01/06/2019", "capital_vnd": "1400000000000",
            "project_name": event.project_name,
            "capital_usd": "60000000", "reason": "Sai vốn theo GCN bản gốc"}  # fmt: skip
    response = client.post(url, data)
    assert response.context["form"].errors == {
        "attachment": ["Cần kèm tệp căn cứ đính chính (văn bản, giấy chứng nhận…)."]
    }
    upload = SimpleUploadedFile("gcn.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**data, "attachment": upload}, follow=True)
    correction = Correction.objects.get()
    assert correction.changes == {"capital_vnd": 1_400 * BN}
    assert messages_of(response) == [f"Đã gửi đề nghị đính chính #{correction.pk}; chờ lãnh đạo Ban duyệt."]
    html = html_of(client, hna_leader, f"/reports/corrections/{correction.pk}/")
    assert re.findall(r"<tr><td>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td></tr>", html) == [
        ("Vốn đầu tư (đồng)", "1.383.000.000.000", "1.400.000.000.000")
    ]
    response = client.post(f"/reports/corrections/{correction.pk}/approve/", {"approve-note": "Đồng ý"}, follow=True)
    assert messages_of(response) == [
        f"Đã duyệt đính chính #{correction.pk}: sự kiện có phiên bản mới 2; các báo cáo đã phê duyệt được tính lại."
    ]
    applied = LicenceEvent.objects.get(series=event.series, is_current=True)
    assert (applied.capital_vnd, applied.capital_usd) == (1_400 * BN, Decimal("60000000.00"))
    assert Correction.objects.get().status == CorrectionStatus.APPLIED


def test_the_supporting_file_downloads_for_the_board_only(client, ledger, hna_leader, hna_staff, tbh_staff):
    approve(client, hna_leader, period="2019-H1")
    event = LicenceEvent.objects.get(project=ledger[0], kind="adjust", is_current=True)
    client.force_login(hna_staff)
    client.post(f"/reports/corrections/new/{event.pk}/", {
        "certificate_no": event.certificate_no, "event_date": "01/06/2019", "capital_vnd": "1400000000000",
        "project_name": event.project_name, "capital_usd": "60000000", "reason": "Sai vốn",
        "attachment": SimpleUploadedFile("gcn.pdf", PDF)})  # fmt: skip
    correction = Correction.objects.get()
    response = client.get(f"/reports/corrections/{correction.pk}/file/")
    assert (b"".join(response.streaming_content), response["Content-Disposition"]) == (
        PDF, 'attachment; filename="gcn.pdf"')  # fmt: skip
    client.force_login(tbh_staff)
    assert client.get(f"/reports/corrections/{correction.pk}/file/").status_code == 404
    assert client.get(f"/reports/corrections/{correction.pk}/").status_code == 404


def test_the_period_list_runs_the_same_queries_for_one_or_three_approvals(client, ledger, hna_leader):
    approve(client, hna_leader, period="2019-Q1")
    client.force_login(hna_leader)
    with CaptureQueriesContext(connection) as one:
        client.get("/reports/approvals/")
    approve(client, hna_leader, period="2019-Q2")
    approve(client, hna_leader, period="2019-H1")
    with CaptureQueriesContext(connection) as three:
        response = client.get("/reports/approvals/")
    assert len(three) == len(one)
    assert len(re.findall(r'data-approval>\s*<span class="badge text-bg-success">', response.content.decode())) == 3
