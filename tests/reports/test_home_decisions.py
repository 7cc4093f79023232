"""The home page's shortcuts for a board's leaders: reopening requests and corrections waiting for them."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from investment.models import LicenceEvent
from kcn_portal.core.home import Asker, Task
from reports import home
from reports.services import approval as approval_services
from reports.services import corrections as correction_services

from .conftest import BN

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HNA = "Ban Quản lý các KCN tỉnh Hà Nam"


def decisions(user, board):
    tasks = home.home_tasks(Asker(user=user, boards=[board], overview=False, today=datetime.date(2026, 12, 7)))
    return [task for task in tasks if "đề nghị" in task.text]


def test_the_leader_sees_the_reopening_request_and_the_corrections_until_decided(
    client, ledger, hna, hna_leader, hna_staff
):
    approval = approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    request = approval_services.reopen_request(user=hna_staff, approval=approval, reason="Bổ sung dự án thiếu")
    event = LicenceEvent.objects.get(project=ledger[0], kind="adjust", is_current=True)
    corrections = [
        correction_services.correction_propose(
            user=hna_staff,
            event=event,
            reason=f"Sai vốn {n}",
            changes={"capital_vnd": (1_400 + n) * BN},
            attachment=SimpleUploadedFile(f"gcn-{n}.pdf", PDF, content_type="application/pdf"),
        )
        for n in (1, 2)
    ]
    assert decisions(hna_leader, hna) == [
        Task(f"{HNA}: đề nghị mở lại số liệu Quý 3/2019 chờ lãnh đạo quyết định", "/reports/approvals/HNA/2019-Q3/"),
        Task(f"{HNA}: 2 đề nghị đính chính chờ lãnh đạo duyệt", "/reports/corrections/?board=HNA&status=proposed"),
    ]
    assert decisions(hna_staff, hna) == []  # staff propose; only leaders decide
    client.force_login(hna_leader)
    page = client.get("/").content.decode()
    assert f'<a href="/reports/corrections/?board=HNA&amp;status=proposed">{HNA}: 2 đề nghị đính chính' in page
    approval_services.reopen_refuse(user=hna_leader, request=request, note="Không đủ căn cứ")
    correction_services.correction_reject(user=hna_leader, correction=corrections[0], note="Sai tệp")
    assert decisions(hna_leader, hna) == [Task(f"{HNA}: 1 đề nghị đính chính chờ lãnh đạo duyệt",
                                               "/reports/corrections/?board=HNA&status=proposed")]  # fmt: skip
