"""The approval workflow in the admin: listed for administrators, never added or changed there."""

import re

import pytest

from reports.models import PeriodApproval
from reports.services import approval as approval_services

MODELS = ["periodapproval", "reopenrequest", "correction", "summaryacceptance", "dataissue", "reminderlog"]


@pytest.mark.parametrize("model", MODELS)
def test_the_workflow_models_are_read_only_in_the_admin(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(f"/admin/reports/{model}/").status_code == 200
    assert client.get(f"/admin/reports/{model}/add/").status_code == 403


def test_an_approval_is_listed_with_its_board_period_and_version(client, ledger, hna, hna_leader, admin_user):
    approval_services.period_approve(user=hna_leader, board=hna, period="2019-Q3")
    client.force_login(admin_user)
    html = client.get("/admin/reports/periodapproval/").content.decode()
    row = re.search(r'<tr>\s*<td class="action-checkbox">.*?</tr>', html, re.S)
    assert row is None  # read-only: no bulk actions, no checkboxes
    pk = PeriodApproval.objects.get().pk
    assert f'href="/admin/reports/periodapproval/{pk}/change/"' in html
    assert re.findall(r'<td class="field-(period|version|issue_count)">([^<]*)</td>', html) == [
        ("period", "2019-Q3"), ("version", "1"), ("issue_count", "0")]  # fmt: skip
