"""The approval workflow's API (issue 7): approving, reopening, corrections, the ministry's acceptance.

Every write goes through reports.services.approval and reports.services.corrections; a refusal answers 404
(a board the user may not read), 403 (readable, not the user's to do) or 400 (the service's Vietnamese message)
and stores nothing.
"""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from investment.models import LicenceEvent
from reports.models import Correction, PeriodApproval, ReopenRequest, SummaryAcceptance
from reports.services import approval as approval_services
from reports.services import builds, staleness
from reports.services import corrections as correction_services
from tests.api import as_user
from tests.factories import MembershipFactory, UserFactory
from zones.enums import MembershipRole

from .conftest import BN
from .test_approval import PDF, adjust, locked

HNA_APPROVALS = "/api/v1/boards/HNA/approvals/"
CORRECTIONS = "/api/v1/corrections/"
NOT_ALLOWED = {"detail": "Bạn không có quyền thực hiện thao tác này."}


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat()


def _approve(user, board, period):
    return approval_services.period_approve(user=user, board=board, period=period)


def _adjust_event(project):
    return LicenceEvent.objects.get(project=project, kind="adjust", is_current=True)


def _propose(user, event, reason="Sai vốn theo GCN bản gốc"):
    upload = SimpleUploadedFile("gcn.pdf", PDF, content_type="application/pdf")
    return correction_services.correction_propose(
        user=user, event=event, reason=reason, attachment=upload, changes={"capital_vnd": 1_400 * BN}
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def tbh_leader(tbh):
    user = UserFactory(username="tbh.lead")
    MembershipFactory(user=user, board=tbh, role=MembershipRole.LEADER)
    return user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the board's periods and approving one -----------------------------------------------------------


def test_the_list_shows_the_approved_quarter_with_its_approval_and_completeness(api_client, ledger, hna, hna_leader):
    approval = _approve(hna_leader, hna, "2019-Q3")
    rows = as_user(api_client, hna_leader).get(HNA_APPROVALS).json()
    assert [row for row in rows if row["period"].startswith("2019")] == [{
        "period": "2019-Q3", "label": "Quý 3 năm 2019", "ended": True, "deadline": "2019-10-15",
        "completeness": {"expected": 2, "received": 2, "status": "late"},
        "approval": {"approved_at": _iso(approval.approved_at),
                     "approved_by": "hna.lead", "version": 1, "snapshot_version": 1, "issue_count": 0, "note": ""},
        "issues": 0, "reopen": None, "pending_corrections": 0,
    }]  # fmt: skip


def test_a_leader_approves_through_the_api_with_a_token(api_client, ledger, hna, hna_leader):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=hna_leader).key}")
    response = api_client.post(HNA_APPROVALS, {"period": "2019-Q3", "note": "Đã rà soát"}, format="json")
    approval = PeriodApproval.objects.get()
    assert (response.status_code, response.json()) == (201, {
        "board": "HNA", "period": "2019-Q3", "approved_at": _iso(approval.approved_at), "approved_by": "hna.lead",
        "version": 1, "snapshot_version": 1, "issue_count": 0, "note": "Đã rà soát"})  # fmt: skip
    assert (approval.board, approval.period, approval.approved_by, approval.snapshot.scope) == (
        hna, "2019-Q3", hna_leader, "board:HNA")  # fmt: skip
    assert response["Location"] == "http://testserver/api/v1/boards/HNA/approvals/2019-Q3/"


def test_a_session_write_needs_the_csrf_token(ledger, hna_leader):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(hna_leader)
    response = client.post(HNA_APPROVALS, {"period": "2019-Q3"}, format="json")
    assert (response.status_code, PeriodApproval.objects.count()) == (403, 0)
    client.cookies["csrftoken"] = "k" * 32  # the cookie's secret, sent back in the header as a page's form does
    response = client.post(HNA_APPROVALS, {"period": "2019-Q3"}, format="json", HTTP_X_CSRFTOKEN="k" * 32)
    approved = (response.status_code, response.json()["approved_by"], PeriodApproval.objects.count())
    assert approved == (201, "hna.lead", 1)


def test_staff_may_not_approve_and_another_boards_leader_does_not_find_the_board(
    api_client, ledger, hna_staff, tbh_leader
):
    response = as_user(api_client, hna_staff).post(HNA_APPROVALS, {"period": "2019-Q3"}, format="json")
    assert (response.status_code, response.json()) == (403, NOT_ALLOWED)
    not_found = {"detail": "Không tìm thấy Ban quản lý “HNA”."}
    response = as_user(api_client, tbh_leader).post(HNA_APPROVALS, {"period": "2019-Q3"}, format="json")
    assert (response.status_code, response.json()) == (404, not_found)
    assert (api_client.get(HNA_APPROVALS).json(), PeriodApproval.objects.count()) == (not_found, 0)


def test_a_refused_approval_answers_the_services_message(api_client, ledger, hna, hna_leader):
    _approve(hna_leader, hna, "2019")
    response = as_user(api_client, hna_leader).post(HNA_APPROVALS, {"period": "2019-M07"}, format="json")
    refused = {"period": ["Chỉ phê duyệt số liệu theo quý, 6 tháng hoặc năm."]}
    assert (response.status_code, response.json()) == (400, refused)
    response = api_client.post(HNA_APPROVALS, {"period": "2019"}, format="json")
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert response.json() == {"period": [f"Số liệu kỳ 2019 đã được phê duyệt ngày {today}."]}


def test_one_period_in_full_and_its_data_issues(api_client, ledger, hna, hna_leader, hna_staff, media):
    approval = _approve(hna_leader, hna, "2019-H1")
    correction = _propose(hna_staff, _adjust_event(ledger[0]))
    data = as_user(api_client, hna_leader).get(HNA_APPROVALS + "2019-H1/").json()
    head = (data["period"], data["label"], data["approval"]["approved_at"], data["issues"], data["reopen_requests"])
    assert head == ("2019-H1", "6 tháng đầu năm 2019", _iso(approval.approved_at), [], [])
    assert [(c["id"], c["project_code"], c["event_date"], c["status"]) for c in data["corrections"]] == [
        (correction.pk, "5421000001", "2019-06-01", "proposed")]  # fmt: skip
    response = api_client.get("/api/v1/boards/HNA/data-issues/")
    assert (response.status_code, response.json()) == (400, {"period": ["Cần chọn kỳ, ví dụ 2025-Q3."]})
    assert api_client.get("/api/v1/boards/HNA/data-issues/", {"period": "2019-H1"}).json() == []


# --- reopening --------------------------------------------------------------------------------------


def test_a_reopening_requested_granted_lets_staff_write_and_closes(api_client, ledger, hna, hna_leader, hna_staff):
    approval = _approve(hna_leader, hna, "2019-Q3")
    body = {"board": "HNA", "period": "2019-Q3", "reason": "Bổ sung dự án thiếu"}
    created = as_user(api_client, hna_staff).post("/api/v1/reopen-requests/", body, format="json").json()
    assert (created["status"], created["requested_by"], created["reason"]) == (
        "requested", "hna.staff", "Bổ sung dự án thiếu")  # fmt: skip
    url = f"/api/v1/reopen-requests/{created['id']}/"
    granted = as_user(api_client, hna_leader).post(url + "grant/", {"days": 2, "note": "Trong 2 ngày"}, format="json")
    stored = ReopenRequest.objects.get()
    assert (granted.json()["status"], granted.json()["open_until"], stored.decided_by) == (
        "granted", _iso(stored.open_until), hna_leader)  # fmt: skip
    adjust(ledger[0], datetime.date(2019, 8, 1), user=hna_staff)  # open: accepted
    closed = api_client.post(url + "close/").json()
    approval.refresh_from_db()
    assert (closed["status"], approval.version, approval.snapshot.version) == ("closed", 2, 2)
    with pytest.raises(ValidationError) as refused:  # locked again
        adjust(ledger[0], datetime.date(2019, 8, 2))
    assert refused.value.message_dict == {"event_date": [locked("2019-Q3", "sự kiện ngày 02/08/2019")]}


def test_a_reopen_request_needs_an_approved_period_and_the_leader_decides(
    api_client, ledger, hna, hna_leader, hna_staff
):
    body = {"board": "HNA", "period": "2019-Q3", "reason": "Bổ sung"}
    response = as_user(api_client, hna_staff).post("/api/v1/reopen-requests/", body, format="json")
    assert (response.status_code, response.json()) == (400, {"period": ["Kỳ 2019-Q3 chưa được phê duyệt."]})
    _approve(hna_leader, hna, "2019-Q3")
    created = api_client.post("/api/v1/reopen-requests/", body, format="json").json()
    response = api_client.post(f"/api/v1/reopen-requests/{created['id']}/grant/", {"days": 2}, format="json")
    stored = ReopenRequest.objects.get().status
    assert (response.status_code, response.json(), stored) == (403, NOT_ALLOWED, "requested")


# --- corrections ------------------------------------------------------------------------------------


def test_a_correction_proposed_with_a_pdf_and_approved_makes_a_new_version(
    api_client, ledger, hna, hna_leader, hna_staff, media, django_capture_on_commit_callbacks
):
    _approve(hna_leader, hna, "2019-H1")
    event = _adjust_event(ledger[0])
    body = {"event": event.pk, "reason": "Sai vốn theo GCN bản gốc", "changes": json.dumps({"capital_vnd": 1_400 * BN}),
            "attachment": SimpleUploadedFile("gcn.pdf", PDF, content_type="application/pdf")}  # fmt: skip
    response = as_user(api_client, hna_staff).post(CORRECTIONS, body, format="multipart")
    data = response.json()
    assert (response.status_code, data["status"], data["changes"], data["old_values"], data["attachment_name"]) == (
        201, "proposed", {"capital_vnd": 1_400 * BN}, {"capital_vnd": 1_383 * BN}, "gcn.pdf")  # fmt: skip
    urls = (f"http://testserver/reports/corrections/{data['id']}/file/", f"http://testserver{CORRECTIONS}{data['id']}/")
    assert (data["attachment_url"], response["Location"]) == urls
    with django_capture_on_commit_callbacks(execute=True):
        approved = (
            as_user(api_client, hna_leader).post(f"{CORRECTIONS}{data['id']}/approve/", {"note": "Đồng ý"}).json()
        )
    applied = LicenceEvent.objects.get(series=event.series, is_current=True)
    assert (approved["status"], approved["applied_event"], approved["decided_by"], approved["decision_note"]) == (
        "applied", applied.pk, "hna.lead", "Đồng ý")  # fmt: skip
    assert (applied.version, applied.capital_vnd) == (2, 1_400 * BN)


def test_a_correction_is_proposed_by_staff_of_the_event_s_board_only(api_client, ledger, hna_leader, tbh_staff, media):
    body = {"event": _adjust_event(ledger[0]).pk, "reason": "Sai", "attachment": SimpleUploadedFile("a.pdf", PDF)}
    # The leader reads the event but proposes nothing: refused before the body is read.
    response = as_user(api_client, hna_leader).post(CORRECTIONS, body, format="multipart")
    assert (response.status_code, response.json(), Correction.objects.count()) == (
        403, {"detail": "Bạn không có quyền thực hiện thao tác này."}, 0)  # fmt: skip
    # Another board's staff do not even see it.
    body["attachment"] = SimpleUploadedFile("a.pdf", PDF)
    response = as_user(api_client, tbh_staff).post(CORRECTIONS, body, format="multipart")
    assert (response.status_code, response.json(), Correction.objects.count()) == (
        404, {"detail": "Không tìm thấy sự kiện cấp phép này."}, 0)  # fmt: skip


def test_a_correction_needs_a_json_object_of_changes_and_a_file(api_client, ledger, hna, hna_leader, hna_staff):
    _approve(hna_leader, hna, "2019-H1")
    body = {"event": _adjust_event(ledger[0]).pk, "reason": "Sai vốn", "changes": "[1400]"}
    response = as_user(api_client, hna_staff).post(CORRECTIONS, body, format="multipart")
    invalid = ['Giá trị đề nghị phải là một đối tượng JSON, ví dụ {"capital_vnd": 1}.']
    assert (response.status_code, response.json()) == (400, {"changes": invalid})
    response = api_client.post(CORRECTIONS, {**body, "changes": {"capital_vnd": 1}}, format="json")
    missing = {"attachment": ["Cần kèm tệp căn cứ đính chính (văn bản, giấy chứng nhận…)."]}
    assert (response.status_code, response.json(), Correction.objects.count()) == (400, missing, 0)


def test_another_boards_correction_and_reopen_request_are_not_found(
    api_client, ledger, hna, hna_leader, hna_staff, tbh_staff, media
):
    approval = _approve(hna_leader, hna, "2019-H1")
    correction = _propose(hna_staff, _adjust_event(ledger[0]))
    reopen = approval_services.reopen_request(user=hna_staff, approval=approval, reason="Bổ sung")
    client = as_user(api_client, tbh_staff)
    assert (client.get(f"{CORRECTIONS}{correction.pk}/").json(), client.get(CORRECTIONS).json()["count"]) == (
        {"detail": "Không tìm thấy đề nghị đính chính này."}, 0)  # fmt: skip
    response = client.post(f"/api/v1/reopen-requests/{reopen.pk}/refuse/", {"note": "Không"}, format="json")
    assert (response.status_code, response.json(), ReopenRequest.objects.get().status) == (
        404, {"detail": "Không tìm thấy đề nghị mở lại kỳ này."}, "requested")  # fmt: skip


def test_rejecting_a_correction_needs_a_note(api_client, ledger, hna, hna_leader, hna_staff, media):
    _approve(hna_leader, hna, "2019-H1")
    correction = _propose(hna_staff, _adjust_event(ledger[0]))
    url = f"{CORRECTIONS}{correction.pk}/reject/"
    response = as_user(api_client, hna_leader).post(url, {"note": "  "}, format="json")
    assert (response.status_code, response.json()) == (400, {"note": ["Cần ghi lý do không duyệt."]})
    rejected = api_client.post(url, {"note": "Tệp không khớp"}, format="json").json()
    assert (rejected["status"], rejected["decision_note"], Correction.objects.get().status) == (
        "rejected", "Tệp không khớp", "rejected")  # fmt: skip


# --- the ministry's acceptance ----------------------------------------------------------------------


def test_the_ministry_accepts_a_bloc_summary_only_once_every_member_approved(
    api_client, ledger, hna, tbh, hna_leader, tbh_leader, ministry_user
):
    from kcn_portal.periods import parse

    _approve(hna_leader, hna, "2019")
    builds.report_build(period=parse("2019"))
    url = "/api/v1/reports/bloc:DBSH/2019/accept/"
    response = as_user(api_client, hna_leader).post(url)
    assert (response.status_code, response.json()) == (403, NOT_ALLOWED)
    response = as_user(api_client, ministry_user).post(url)
    refused = {"non_field_errors": ["Các Ban chưa phê duyệt kỳ 2019: TBH."]}
    assert (response.status_code, response.json()) == (400, refused)
    _approve(tbh_leader, tbh, "2019")
    staleness.reports_rebuild_stale()
    response = api_client.post(url)
    acceptance = SummaryAcceptance.objects.get()
    assert (response.status_code, response.json(), acceptance.snapshot.version) == (201, {
        "scope": "bloc:DBSH", "period": "2019", "version": 1, "accepted_at": _iso(acceptance.accepted_at),
        "accepted_by": "ministry"}, 1)  # fmt: skip


# --- query counts -------------------------------------------------------------------------------------


def test_the_periods_list_runs_the_same_queries_for_one_or_three_approvals(
    api_client, ledger, hna, hna_leader, django_assert_num_queries
):
    _approve(hna_leader, hna, "2019-Q3")
    client = as_user(api_client, hna_leader)
    one = _queries(client, HNA_APPROVALS)
    _approve(hna_leader, hna, "2019-Q2")
    _approve(hna_leader, hna, "2019-H1")
    with django_assert_num_queries(one):
        rows = client.get(HNA_APPROVALS).json()
    assert sorted(row["period"] for row in rows if row["approval"]) == ["2019-H1", "2019-Q2", "2019-Q3"]


def test_the_corrections_list_runs_the_same_queries_for_one_or_three(
    api_client, ledger, hna, hna_leader, hna_staff, media, django_assert_num_queries
):
    _approve(hna_leader, hna, "2019-H1")
    event = _adjust_event(ledger[0])
    _propose(hna_staff, event, "Lần 1")
    client = as_user(api_client, hna_leader)
    url = CORRECTIONS + "?board=HNA&status=proposed"
    one = _queries(client, url)
    _propose(hna_staff, event, "Lần 2")
    _propose(hna_staff, event, "Lần 3")
    with django_assert_num_queries(one):
        data = client.get(url).json()
    assert (data["count"], [row["reason"] for row in data["results"]]) == (3, ["Lần 3", "Lần 2", "Lần 1"])
