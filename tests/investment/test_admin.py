"""The investment admin: exchange rates saved through the audited service; the ledger is read-only there."""

import datetime
from decimal import Decimal

import pytest

from investment.models import ExchangeRate, LicenceEvent, Project
from kcn_portal.core.models import AuditRecord
from tests.factories import make_project

RATES = "/admin/investment/exchangerate/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _rate(**overrides):
    return {"valid_from": "1999-01-01", "valid_to": "1999-12-31", "vnd_per_usd": "13943", **overrides}


def test_admin_adds_a_rate_through_the_audited_service(admin_client):
    response = admin_client.post(f"{RATES}add/", _rate())
    assert (response.status_code, response["Location"]) == (302, RATES)
    rate = ExchangeRate.objects.get(valid_from=datetime.date(1999, 1, 1))
    assert (rate.valid_to, rate.vnd_per_usd) == (datetime.date(1999, 12, 31), Decimal("13943.00"))
    record = AuditRecord.objects.get()
    assert (record.source, record.action, record.actor_name, record.model, record.object_id) == (
        "admin",
        "create",
        "admin",
        "investment.exchangerate",
        str(rate.pk),
    )
    assert record.changes["vnd_per_usd"] == [None, "13943"]


def test_admin_change_of_a_rate_is_audited(admin_client):
    rate = ExchangeRate.objects.get(valid_from=datetime.date(2026, 1, 1))
    data = _rate(valid_from="2026-01-01", valid_to="2026-06-30", vnd_per_usd="26150.00", source=rate.source)
    assert admin_client.post(f"{RATES}{rate.pk}/change/", data).status_code == 302
    assert AuditRecord.objects.get().changes == {"valid_to": [None, "2026-06-30"]}


def test_the_rates_source_is_saved_from_the_admin(admin_client):
    admin_client.post(f"{RATES}add/", _rate(source="NHNN, tỷ giá trung tâm bình quân 1999"))
    rate = ExchangeRate.objects.get(valid_from=datetime.date(1999, 1, 1))
    assert (rate.source, AuditRecord.objects.get().changes["source"]) == (
        "NHNN, tỷ giá trung tâm bình quân 1999",
        [None, "NHNN, tỷ giá trung tâm bình quân 1999"],
    )


def test_an_overlapping_rate_is_refused_with_its_message(admin_client):
    response = admin_client.post(f"{RATES}add/", _rate(valid_from="2019-06-01", valid_to="2019-06-30"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "valid_from": ["Khoảng ngày trùng với tỷ giá 23050.00 (01/01/2019 – 31/12/2019)."]
    }
    assert (
        ExchangeRate.objects.filter(valid_from=datetime.date(2019, 6, 1)).exists(),
        AuditRecord.objects.count(),
    ) == (
        False,
        0,
    )


def test_rates_cannot_be_deleted(admin_client):
    rate = ExchangeRate.objects.get(valid_from=datetime.date(2019, 1, 1))
    assert admin_client.post(f"{RATES}{rate.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ExchangeRate.objects.filter(pk=rate.pk).exists()


def test_the_ledger_is_read_only_in_the_admin(admin_client, hna_zone):
    project = make_project(hna_zone)
    event = LicenceEvent.objects.get()
    page = admin_client.get(f"/admin/investment/licenceevent/{event.pk}/change/").content.decode()
    assert ('name="_save"' in page, "5421000001-GCN" in page) == (False, True)
    assert admin_client.get("/admin/investment/licenceevent/add/").status_code == 403
    changed = admin_client.post(f"/admin/investment/licenceevent/{event.pk}/change/", {"certificate_no": "SỬA"})
    deleted = admin_client.post(f"/admin/investment/licenceevent/{event.pk}/delete/", {"post": "yes"})
    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert (LicenceEvent.objects.get().certificate_no, Project.objects.get().pk) == ("5421000001-GCN", project.pk)


def test_project_page_shows_its_ledger_inline_without_inputs(admin_client, hna_zone):
    project = make_project(hna_zone)
    response = admin_client.get(f"/admin/investment/project/{project.pk}/change/")
    inline = response.context["inline_admin_formsets"][1]
    assert (inline.opts.model, inline.has_add_permission, inline.has_change_permission) == (LicenceEvent, False, False)
    page = response.content.decode()
    assert ('name="_save"' in page, 'name="events-0-certificate_no"' in page, "5421000001-GCN" in page) == (
        False,
        False,
        True,
    )
    assert admin_client.post(f"/admin/investment/project/{project.pk}/delete/", {"post": "yes"}).status_code == 403
