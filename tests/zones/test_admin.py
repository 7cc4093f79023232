"""Admin writes go through the audited services; the audit trail itself is read-only there."""

from kcn_portal.core.models import AuditRecord
from tests.factories import zone_form_data
from zones.models import Membership


def test_admin_zone_change_is_audited_with_source_admin(client, admin_user, hna_zone):
    client.force_login(admin_user)
    response = client.post(f"/admin/zones/zone/{hna_zone.pk}/change/", zone_form_data(hna_zone, developer="IDICO"))
    assert response.status_code == 302
    record = AuditRecord.objects.get()
    assert (record.source, record.actor_name, record.board.code) == ("admin", "admin", "HNA")
    assert record.changes == {"developer": ["", "IDICO"]}


def test_admin_membership_inline_is_audited_on_the_board(client, admin_user, hna, tbh_staff):
    client.force_login(admin_user)
    membership = Membership.objects.get(user=tbh_staff)
    data = {
        "username": "tbh.staff",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": membership.pk,
        "memberships-0-user": tbh_staff.pk,
        "memberships-0-board": membership.board_id,
        "memberships-0-role": "staff",
        "memberships-1-user": tbh_staff.pk,
        "memberships-1-board": hna.pk,
        "memberships-1-role": "leader",
    }
    response = client.post(f"/admin/core/user/{tbh_staff.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = AuditRecord.objects.get()
    assert (record.source, record.action, record.board.code, record.model) == (
        "admin",
        "create",
        "HNA",
        "zones.membership",
    )
    assert record.changes["role"] == [None, "leader"]
    assert sorted(tbh_staff.memberships.values_list("board__code", "role")) == [("HNA", "leader"), ("TBH", "staff")]


def test_audit_records_cannot_be_changed_or_deleted_in_admin(client, admin_user, hna_zone):
    client.force_login(admin_user)
    client.post(f"/admin/zones/zone/{hna_zone.pk}/change/", zone_form_data(hna_zone, developer="IDICO"))
    record = AuditRecord.objects.get()
    page = client.get(f"/admin/core/auditrecord/{record.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert client.post(f"/admin/core/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.count() == 1
