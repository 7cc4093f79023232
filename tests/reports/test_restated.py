"""A restated report (issue 7): the banner naming the version it replaces, the diff on the page and in the API.

Hà Nam approves 2019-H1 (version 1), the ministry downloads it, then a correction raises the June
adjustment from 1.383 to 1.400 bn đồng (60.000.000 → 60.700.000 USD): version 2 restates version 1.
"""

import datetime
import html as htmllib
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from investment.models import LicenceEvent
from reports.models import ReportDownload, ReportSnapshot
from reports.services import approval as approval_services
from reports.services import corrections as correction_services
from reports.services import downloads

from .conftest import BN

PAGE = "/reports/board:HNA/2019-H1/"
API = "/api/v1/reports/board:HNA/2019-H1/restated/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Every figure the correction changed: (indicator, field, old, new) as stored.
DIFFERENCES = [
    ("added_capital_fdi_usd", "value", 10_000_000.0, 10_700_000.0),
    ("added_capital_fdi_vnd", "value", 230_500_000_000, 247_500_000_000),
    ("net_capital_change_fdi_usd", "value", 10_000_000.0, 10_700_000.0),
    ("net_capital_change_fdi_vnd", "value", 230_500_000_000, 247_500_000_000),
    ("new_and_added_capital_fdi_usd", "value", 60_000_000.0, 60_700_000.0),
    ("new_and_added_capital_fdi_vnd", "value", 1_383_000_000_000, 1_400_000_000_000),
    ("valid_capital_fdi_usd", "value", 60_000_000.0, 60_700_000.0),
    ("valid_capital_fdi_vnd", "value", 1_383_000_000_000, 1_400_000_000_000),
    ("implemented_ratio_pct", "value", 20.23, 20.0),
]


@pytest.fixture
def restated(ledger, hna, hna_leader, hna_staff, ministry_user, settings, tmp_path):
    """(version 1, version 2, the ministry's download of version 1)."""
    settings.MEDIA_ROOT = tmp_path
    approval_services.period_approve(user=hna_leader, board=hna, period="2019-H1")
    first = ReportSnapshot.objects.get(scope="board:HNA", period="2019-H1", version=1)
    download = downloads.report_download_log(user=ministry_user, snapshot=first, file_format="xlsx")
    event = LicenceEvent.objects.get(project=ledger[0], kind="adjust", is_current=True)
    correction = correction_services.correction_propose(
        user=hna_staff, event=event, reason="Sai vốn theo GCN bản gốc",
        attachment=SimpleUploadedFile("gcn.pdf", PDF, content_type="application/pdf"),
        changes={"capital_vnd": 1_400 * BN, "capital_usd": Decimal("60700000.00")},
    )  # fmt: skip
    correction_services.correction_approve(user=hna_leader, correction=correction)
    second = ReportSnapshot.objects.get(scope="board:HNA", period="2019-H1", version=2)
    return first, second, download


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip())


def page(client, user, url=PAGE) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_the_restated_version_names_the_version_it_replaces_and_how_it_was_relied_on(client, restated, hna_staff):
    first, second, download = restated
    html = page(client, hna_staff)
    assert (second.restates_id, second.relied_on) == (first.pk, True)  # the approval moved to version 2
    assert text(re.search(r"<p [^>]*data-restated-title>(.*?)</p>", html, re.S).group(1)) == (
        f"Số liệu điều chỉnh (restated): phiên bản 2 thay thế số liệu của phiên bản 1 (tạo lúc "
        f"{local(first.generated_at)}), phiên bản đã được sử dụng trước đây."
    )
    assert [text(note) for note in re.findall(r"<p [^>]*data-restated-relied>(.*?)</p>", html, re.S)] == [
        "Phiên bản 1 đã được lãnh đạo Ban phê duyệt.",
        f"Phiên bản 1 đã được tải về, lần gần nhất lúc {local(download.at)} bởi ministry.",
    ]
    assert 'href="/reports/board:HNA/2019-H1/compare/?a=1&amp;b=2" data-restated-compare' in html


def test_the_banner_lists_every_changed_figure_with_old_new_and_difference(client, restated, hna_staff):
    html = page(client, hna_staff)
    assert re.findall(r'<tr data-restated-row="(\w+)">', html) == [code for code, *_rest in DIFFERENCES]
    row = re.search(r'<tr data-restated-row="added_capital_fdi_vnd">(.*?)</tr>', html, re.S).group(1)
    assert [text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] == [
        "Vốn tăng thêm, dự án FDI (VND)", "đồng", "Kỳ này", "230.500.000.000", "247.500.000.000", "+17.000.000.000",
    ]  # fmt: skip


def test_the_approved_version_itself_and_an_unrestated_report_show_no_banner(client, restated, hna_staff):
    assert "data-restated" not in page(client, hna_staff, PAGE + "?version=1")
    assert "data-restated" not in page(client, hna_staff, "/reports/board:HNA/2019-Q1/")


def test_the_api_lists_the_differences_of_the_latest_version(restated, api_client, hna_staff):
    api_client.force_authenticate(hna_staff)
    body = api_client.get(API).json()
    assert body == {
        "version": 2,
        "restates": 1,
        "differences": [
            {"indicator": code, "field": field, "old": old, "new": new} for code, field, old, new in DIFFERENCES
        ],
    }


def test_the_api_answers_for_a_given_version_and_hides_other_boards(restated, api_client, hna_staff, tbh_staff):
    api_client.force_authenticate(hna_staff)
    assert api_client.get(API + "?version=1").json() == {"version": 1, "restates": None, "differences": []}
    assert api_client.get(API + "?version=x").json() == {"detail": "Phiên bản phải là số nguyên dương."}
    api_client.force_authenticate(tbh_staff)
    response = api_client.get(API)
    assert (response.status_code, ReportDownload.objects.count()) == (404, 1)
