"""Approval of a board's period data: locks, pinned versions in summaries, corrections, reopening (issue 7)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from investment.models import EnterpriseReport, LicenceEvent, Project
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from investment.services import projects as project_services
from kcn_portal.core.models import AuditRecord
from kcn_portal.periods import parse
from reports.enums import CorrectionStatus, ReopenStatus
from reports.models import PeriodApproval, ReopenRequest, ReportSnapshot
from reports.services import approval as approval_services
from reports.services import builds, downloads, staleness
from reports.services import corrections as correction_services
from zones.models import Zone

from .conftest import BN, assert_summaries_add_up

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def locked(period: str, what: str) -> str:
    return (
        f"Số liệu kỳ {period} của Ban đã được lãnh đạo phê duyệt ngày {today()} nên không sửa được {what}. "
        "Hãy đề nghị đính chính, hoặc đề nghị mở lại kỳ."
    )


def adjust(project, day, capital_bn=1_500, user=None):
    return licence_services.licence_adjust(
        user=user, project=project, certificate_no=f"DC-{day:%m%d}", event_date=day,
        capital_vnd=capital_bn * BN, capital_usd=Decimal("65000000.00"),
    )  # fmt: skip


def test_an_approved_quarter_locks_its_events_and_reports_and_nothing_else(ledger, hna, hna_leader):
    p1 = ledger[0]
    approval = approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    assert (approval.snapshot.scope, approval.snapshot.version, approval.snapshot.relied_on) == ("board:HNA", 1, False)
    assert ReportSnapshot.objects.get(pk=approval.snapshot_id).relied_on is True
    events = LicenceEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        adjust(p1, datetime.date(2019, 8, 1))
    assert refused.value.message_dict == {"event_date": [locked("2019-Q3", "sự kiện ngày 01/08/2019")]}
    with pytest.raises(ValidationError) as refused:
        enterprise_report_services.enterprise_report_save(user=None, project=p1, year=2019, quarter=3, revenue_vnd=1)
    assert refused.value.message_dict == {"quarter": [locked("2019-Q3", "báo cáo quý 3/2019")]}
    assert (LicenceEvent.objects.count(), EnterpriseReport.objects.get(project=p1, quarter=3).revenue_vnd) == (
        events, 30 * BN)  # fmt: skip
    adjust(p1, datetime.date(2019, 10, 1))  # Q4 is not approved
    enterprise_report_services.enterprise_report_save(user=None, project=p1, year=2019, quarter=4, revenue_vnd=1)
    assert LicenceEvent.objects.count() == events + 1


def test_only_the_boards_leader_approves_an_ended_quarter_half_or_year_once(ledger, hna, hna_leader, hna_staff):
    with pytest.raises(PermissionDenied):
        approval_services.period_approve(user=hna_staff, board=hna, period="2019-Q3")
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as refused:
        approval_services.period_approve(user=hna_leader, board=hna, period=f"{next_year}-Q1")
    assert refused.value.message_dict == {"period": [f"Kỳ {next_year}-Q1 chưa kết thúc, chưa phê duyệt được."]}
    with pytest.raises(ValidationError) as refused:
        approval_services.period_approve(user=hna_leader, board=hna, period="2019-M07")
    assert refused.value.message_dict == {"period": ["Chỉ phê duyệt số liệu theo quý, 6 tháng hoặc năm."]}
    approval_services.period_approve(user=hna_leader, board=hna, period="2019")
    with pytest.raises(ValidationError) as refused:
        approval_services.period_approve(user=hna_leader, board=hna, period="2019")
    assert refused.value.message_dict == {"period": [f"Số liệu kỳ 2019 đã được phê duyệt ngày {today()}."]}
    assert PeriodApproval.objects.count() == 1
    assert AuditRecord.objects.filter(model="reports.periodapproval", action="create").count() == 1


def test_a_correction_of_an_earlier_year_goes_through_a_correction_that_restates_the_approved_year(
    ledger, hna, hna_leader, hna_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    approval_services.period_approve(user=hna_leader, board=hna, period="2019")
    approved = ReportSnapshot.objects.get(scope="board:HNA", period="2019", version=1)
    # A 2018 event is not dated in 2019, but correcting it changes 2019's "same period last year" figures:
    # refused directly (the bloc would otherwise add up a pinned 2019 its board no longer shows).
    issue_2018 = LicenceEvent.objects.get(project=ledger[1], kind="issue", is_current=True)
    with pytest.raises(ValidationError) as refused:
        licence_services.licence_correct(user=None, event=issue_2018, reason="Sai số vốn", capital_vnd=120 * BN)
    assert refused.value.message_dict == {
        "event_date": [
            f"Năm 2019 của Ban Quản lý các KCN tỉnh Hà Nam đã được phê duyệt ngày {today()}; sự kiện ngày 01/05/2018 "
            "làm thay đổi số liệu của kỳ này nên không được ghi. Hãy đề nghị đính chính, hoặc đề nghị mở lại kỳ."
        ]
    }
    upload = SimpleUploadedFile("gcn.pdf", PDF, content_type="application/pdf")
    correction = correction_services.correction_propose(
        user=hna_staff, event=issue_2018, reason="Sai số vốn", attachment=upload, changes={"capital_vnd": 120 * BN}
    )
    correction_services.correction_approve(user=hna_leader, correction=correction)
    latest = PeriodApproval.objects.get(board=hna, period="2019").snapshot
    assert (latest.version, latest.restates_id) == (2, approved.pk)  # re-pinned, restated against the approved
    assert latest.indicators["valid_capital_ddi_vnd"]["previous"] == 120 * BN
    assert_summaries_add_up()


def test_a_correction_is_proposed_with_a_file_approved_by_the_leader_and_restates_what_was_downloaded(
    ledger, hna, hna_leader, hna_staff, ministry_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    p1 = ledger[0]
    approval_services.period_approve(user=hna_leader, board=hna, period="2019-H1")
    builds.report_build(period=parse("2019-H1"))  # the summaries the ministry reads
    first = ReportSnapshot.objects.get(scope="board:HNA", period="2019-H1", version=1)
    downloads.report_download_log(user=ministry_user, snapshot=first, file_format="xlsx")
    event = LicenceEvent.objects.get(project=p1, kind="adjust", is_current=True)
    with pytest.raises(ValidationError) as refused:
        correction_services.correction_propose(user=hna_staff, event=event, reason="Sai vốn", attachment=None,
                                             changes={"capital_vnd": 1_400 * BN})  # fmt: skip
    assert refused.value.message_dict == {"attachment": ["Cần kèm tệp căn cứ đính chính (văn bản, giấy chứng nhận…)."]}
    with pytest.raises(ValidationError) as refused:  # a locked event is not corrected directly either
        licence_services.licence_correct(user=hna_staff, event=event, reason="Sai vốn", capital_vnd=1_400 * BN)
    assert refused.value.message_dict == {"event_date": [locked("2019-H1", "sự kiện ngày 01/06/2019")]}
    upload = SimpleUploadedFile("gcn-dieu-chinh.pdf", PDF, content_type="application/pdf")
    correction = correction_services.correction_propose(
        user=hna_staff, event=event, reason="Sai vốn theo GCN bản gốc", attachment=upload,
        changes={"capital_vnd": 1_400 * BN, "capital_usd": Decimal("60700000.00")},
    )  # fmt: skip
    assert (correction.status, correction.changes) == (
        CorrectionStatus.PROPOSED, {"capital_vnd": 1_400 * BN, "capital_usd": "60700000.00"})  # fmt: skip
    assert LicenceEvent.objects.get(pk=event.pk).is_current  # nothing applied yet (the dry run rolled back)
    with pytest.raises(PermissionDenied):
        correction_services.correction_approve(user=hna_staff, correction=correction)
    with django_capture_on_commit_callbacks(execute=True):
        correction_services.correction_approve(user=hna_leader, correction=correction, note="Đồng ý")
    applied = LicenceEvent.objects.get(series=event.series, is_current=True)
    assert (applied.version, applied.capital_vnd, applied.reason) == (2, 1_400 * BN, "Sai vốn theo GCN bản gốc")
    approval = PeriodApproval.objects.get(board=hna, period="2019-H1")
    assert (approval.snapshot.version, approval.snapshot.restates_id, approval.version) == (2, first.pk, 2)
    added = "added_capital_fdi_vnd"  # 1.383 − 1.152,5 bn đồng before, 1.400 − 1.152,5 after
    assert (first.indicators[added]["value"], approval.snapshot.indicators[added]["value"]) == (
        230_500_000_000, 247_500_000_000)  # fmt: skip
    bloc = ReportSnapshot.objects.filter(scope="bloc:DBSH", period="2019-H1").order_by("-version").first()
    assert bloc.member_values["HNA"][added] == 247_500_000_000


def test_a_reopening_unlocks_until_its_time_and_then_locks_again_by_itself(ledger, hna, hna_leader, hna_staff):
    p1 = ledger[0]
    approval = approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    with pytest.raises(ValidationError):
        approval_services.reopen_request(user=hna_staff, approval=approval, reason="  ")
    request = approval_services.reopen_request(user=hna_staff, approval=approval, reason="Bổ sung dự án thiếu")
    with pytest.raises(ValidationError) as refused:
        approval_services.reopen_grant(user=hna_leader, request=request, days=30)
    assert refused.value.message_dict == {"days": ["Mở lại từ 1 đến 14 ngày."]}
    approval_services.reopen_grant(user=hna_leader, request=request, days=2, note="Trong 2 ngày")
    adjust(p1, datetime.date(2019, 8, 1), user=hna_staff)  # open: accepted
    # The time runs out: locked again at once, before the expiry task has recorded anything.
    ReopenRequest.objects.filter(pk=request.pk).update(open_until=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        adjust(p1, datetime.date(2019, 8, 2))
    ended = approval_services.reopens_expire()
    assert [(r.pk, r.status) for r in ended] == [(request.pk, ReopenStatus.EXPIRED)]
    approval.refresh_from_db()
    assert (approval.snapshot.version, approval.version) == (2, 2)  # re-pinned to the rebuilt version
    assert approval_services.reopens_expire() == []


def test_both_importers_refuse_rows_of_an_approved_period_and_store_nothing(ledger, hna, hna_leader, hna_staff):
    from investment.services.bulk import LicenceRow, ReportRow, import_licences, import_reports

    p1 = ledger[0]
    approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    errors = []
    rows = [ReportRow(2, p1.code, 2019, 4, {"revenue_vnd": 1}), ReportRow(3, p1.code, 2019, 3, {"revenue_vnd": 2})]
    result = import_reports(rows, user=hna_staff, report=lambda *error: errors.append(error))
    # A new report in the approved quarter: refused on the cell it fills (DOMAIN.md §6 names the column).
    assert errors == [(3, "revenue_vnd", locked("2019-Q3", "báo cáo quý 3/2019"))]
    assert (result.created, EnterpriseReport.objects.filter(project=p1, year=2019, quarter=4).exists()) == (1, False)
    errors.clear()
    base = {"project_code": p1.code, "project_name": p1.name, "zone_code": p1.zone.code,
            "investor_name": "Hanwha Aero Engines", "investor_country": "KR", "kind": "fdi"}  # fmt: skip
    events = LicenceEvent.objects.count()
    rows = [LicenceRow(2, event="adjust", certificate_no="DC-0801", event_date=datetime.date(2019, 8, 1),
                       capital_vnd=1_500 * BN, capital_usd=Decimal("65000000.00"), **base)]  # fmt: skip
    import_licences(rows, user=hna_staff, report=lambda *error: errors.append(error))
    assert errors == [(2, "event_date", locked("2019-Q3", "sự kiện ngày 01/08/2019"))]
    assert LicenceEvent.objects.count() == events


def test_the_ministry_accepts_a_bloc_summary_only_when_every_member_approved(
    ledger, hna, tbh, hna_leader, ministry_user, hna_staff
):
    from reports.models import SummaryAcceptance
    from tests.factories import MembershipFactory, UserFactory
    from zones.enums import MembershipRole

    approval_services.period_approve(user=hna_leader, board=hna, period="2019")
    builds.report_build(period=parse("2019"))
    with pytest.raises(PermissionDenied):
        approval_services.summary_accept(user=hna_staff, scope="bloc:DBSH", period="2019")
    with pytest.raises(ValidationError) as refused:
        approval_services.summary_accept(user=ministry_user, scope="bloc:DBSH", period="2019")
    assert refused.value.messages == ["Các Ban chưa phê duyệt kỳ 2019: TBH."]
    tbh_leader = UserFactory(username="tbh.lead")
    MembershipFactory(user=tbh_leader, board=tbh, role=MembershipRole.LEADER)
    approval_services.period_approve(user=tbh_leader, board=tbh, period="2019")
    staleness.reports_rebuild_stale()
    acceptance = approval_services.summary_accept(user=ministry_user, scope="bloc:DBSH", period="2019")
    bloc = ReportSnapshot.objects.filter(scope="bloc:DBSH", period="2019").order_by("-version").first()
    assert (acceptance.snapshot_id, acceptance.accepted_by, ReportSnapshot.objects.get(pk=bloc.pk).relied_on) == (
        bloc.pk, ministry_user, True)  # fmt: skip
    assert SummaryAcceptance.objects.count() == 1


def test_beat_records_expired_reopenings_every_ten_minutes(ledger, hna, hna_leader, hna_staff):
    from kcn_portal.settings import base
    from reports import tasks

    beat = base.CELERY_BEAT_SCHEDULE["reports-expire-reopens"]
    assert (beat["task"], beat["schedule"]) == ("reports.expire_reopens", 600)
    approval = approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    request = approval_services.reopen_request(user=hna_staff, approval=approval, reason="Bổ sung")
    approval_services.reopen_grant(user=hna_leader, request=request, days=1)
    ReopenRequest.objects.filter(pk=request.pk).update(open_until=timezone.now() - datetime.timedelta(minutes=1))
    tasks.expire_reopens.apply()
    assert ReopenRequest.objects.get(pk=request.pk).status == ReopenStatus.EXPIRED
    tasks.expire_reopens.apply()  # idempotent: nothing left to record
    assert AuditRecord.objects.filter(model="reports.reopenrequest").count() == 3  # asked, granted, expired


def test_a_project_keeps_its_kind_and_zone_while_a_period_it_counts_in_is_approved(ledger, hna, hna_leader):
    p1, p2, _p3 = ledger  # p1 issued 15/03/2019 (FDI); p2 issued 01/05/2018, terminated 30/09/2019
    approval_services.period_approve(user=hna_leader, board=hna, period="2020")
    other_zone = Zone.objects.get(code="HNA-NEW")
    with pytest.raises(ValidationError) as refused:
        project_services.project_update(user=None, project=p1, zone=other_zone)
    assert refused.value.messages == [locked("2020", "loại dự án hoặc khu của dự án 5421000001")]
    moved = project_services.project_update(user=None, project=p2, zone=other_zone)  # ended before 2020
    assert (moved.zone.code, Project.objects.get(pk=p1.pk).zone.code) == ("HNA-NEW", "HNA-DV1")
