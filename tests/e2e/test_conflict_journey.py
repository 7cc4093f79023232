"""Two Hà Nam officials open the edit page of one project; the first saves, the second's stale save is refused
with the conflict banner and changes nothing; after reloading, the second saves."""

import pytest

from investment.models import LicenceEvent, Project
from kcn_portal.core.models import AuditRecord
from tests.factories import MembershipFactory, UserFactory, make_project
from zones.enums import MembershipRole

from .test_approval_journey import as_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "5421000001"


def state(project):
    """What a save could change: the project row, its ledger, its investors and its audit trail."""
    return (
        list(Project.objects.filter(pk=project.pk).values()),
        list(LicenceEvent.objects.filter(project=project).order_by("pk").values()),
        list(project.shares.order_by("pk").values()),
        list(AuditRecord.objects.filter(model="investment.project", object_id=str(project.pk)).order_by("pk").values()),
    )


def open_edit(page, live_server):
    page.goto(f"{live_server.url}/projects/{CODE}/edit/")
    assert page.locator("h1").inner_text() == "Sửa thông tin dự án"


def save(page, sector):
    page.get_by_label("Ngành VSIC").fill(sector)
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state()


def test_the_second_stale_save_shows_the_conflict_and_keeps_the_first(browser, live_server, hna, hna_zone, hna_staff):
    second = UserFactory(username="hna.staff2")
    MembershipFactory(user=second, board=hna, role=MembershipRole.STAFF)
    project = make_project(hna_zone, CODE)
    assert (project.sector, project.version) == ("", 1)

    first_context, first = as_user(browser, live_server, "hna.staff")
    second_context, stale = as_user(browser, live_server, "hna.staff2")
    try:
        # Both open the same form, at version 1.
        open_edit(first, live_server)
        open_edit(stale, live_server)
        assert stale.locator("input[name=version]").input_value() == "1"

        save(first, "C2610")
        first.wait_for_url(f"{live_server.url}/projects/{CODE}/")
        assert first.locator(".alert-success").inner_text() == f"Đã lưu thông tin dự án {CODE} – Dự án {CODE}."
        project.refresh_from_db()
        assert (project.sector, project.version) == ("C2610", 2)
        after_first = state(project)
        records = AuditRecord.objects.filter(model="investment.project", object_id=str(project.pk), action="update")
        assert [(r.actor.username, r.changes) for r in records] == [("hna.staff", {"sector": ["", "C2610"]})]

        # The second saves another sector from the page opened before: refused, with what the first changed.
        save(stale, "C2930")
        assert stale.url == f"{live_server.url}/projects/{CODE}/edit/"
        banner = stale.locator("[data-conflict]")
        assert banner.locator("h2").inner_text() == "Dự án này đã được người khác thay đổi trong lúc bạn nhập"
        assert banner.locator("p").all_inner_texts() == [
            "Chưa có gì được lưu. Người khác đã lưu các thay đổi sau:",
            "Các giá trị bạn đã nhập vẫn còn bên dưới. Hãy kiểm tra lại; bấm “Lưu” để ghi chúng, hoặc “Hủy” để bỏ.",
        ]
        assert banner.locator("[data-conflict-field]").all_inner_texts() == ["Ngành VSIC: – → C2610"]
        assert stale.locator(".alert-success").count() == 0
        # What the second typed stays in the form, which now carries the current version.
        assert stale.get_by_label("Ngành VSIC").input_value() == "C2930"
        assert stale.locator("input[name=version]").input_value() == "2"
        # Nothing was written: the project, its ledger, its investors and its audit trail are the first's.
        project.refresh_from_db()
        assert (project.sector, project.version) == ("C2610", 2)
        assert state(project) == after_first

        # After reloading the page, the second sees the first's sector and saves over it deliberately.
        open_edit(stale, live_server)
        assert stale.locator("[data-conflict]").count() == 0
        assert stale.get_by_label("Ngành VSIC").input_value() == "C2610"
        assert stale.locator("input[name=version]").input_value() == "2"
        save(stale, "C2930")
        stale.wait_for_url(f"{live_server.url}/projects/{CODE}/")
        assert stale.locator(".alert-success").inner_text() == f"Đã lưu thông tin dự án {CODE} – Dự án {CODE}."
    finally:
        first_context.close()
        second_context.close()

    project.refresh_from_db()
    assert (project.sector, project.version, project.zone_id, project.kind) == ("C2930", 3, hna_zone.pk, "fdi")
    assert [(r.actor.username, r.changes) for r in records.order_by("pk")] == [
        ("hna.staff", {"sector": ["", "C2610"]}),
        ("hna.staff2", {"sector": ["C2610", "C2930"]}),
    ]
    assert list(LicenceEvent.objects.filter(project=project).values_list("certificate_no", "is_current")) == [
        (f"{CODE}-GCN", True)
    ]
    assert [(s.investor.name, s.share_pct) for s in project.shares.all()] == [("Hanwha Aero Engines", 100)]
