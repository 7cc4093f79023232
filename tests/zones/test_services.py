from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kcn_portal.core.models import AuditRecord
from zones import services
from zones.models import Zone


def test_zone_update_records_before_and_after(hna_staff, hna_zone):
    services.zone_update(user=hna_staff, zone=hna_zone, leased_land_ha=Decimal("130.00"))
    record = AuditRecord.objects.get(model="zones.zone", action="update")
    assert record.changes == {"leased_land_ha": ["123.45", "130"]}
    assert (record.actor_name, record.board.code, record.source) == ("hna.staff", "HNA", "web")
    assert Zone.objects.get(pk=hna_zone.pk).version == 2


def test_zone_update_without_change_writes_nothing(hna_staff, hna_zone):
    services.zone_update(user=hna_staff, zone=hna_zone, name=hna_zone.name)
    assert AuditRecord.objects.count() == 0
    assert Zone.objects.get(pk=hna_zone.pk).version == 1


def test_stale_version_is_refused_with_the_changes(hna_staff, hna_zone):
    services.zone_update(user=hna_staff, zone=hna_zone, expected_version=1, name="KCN Đồng Văn I (mở rộng)")
    with pytest.raises(services.ConflictError) as exc:
        services.zone_update(user=hna_staff, zone=hna_zone, expected_version=1, developer="Công ty X")
    assert exc.value.changed == {"name": ["KCN Đồng Văn I", "KCN Đồng Văn I (mở rộng)"]}
    assert Zone.objects.get(pk=hna_zone.pk).developer == ""


def test_other_board_staff_cannot_write(tbh_staff, hna_zone):
    with pytest.raises(PermissionDenied):
        services.zone_update(user=tbh_staff, zone=hna_zone, name="x")
    assert Zone.objects.get(pk=hna_zone.pk).name == "KCN Đồng Văn I"


def test_leased_above_industrial_is_refused(hna_staff, hna_zone):
    with pytest.raises(ValidationError):
        services.zone_update(user=hna_staff, zone=hna_zone, leased_land_ha=Decimal("300"))


def test_audit_records_cannot_be_changed(hna_staff, hna_zone):
    services.zone_update(user=hna_staff, zone=hna_zone, name="Đổi tên")
    record = AuditRecord.objects.get()
    record.object_repr = "forged"
    with pytest.raises(Exception, match="cannot be changed"):
        record.save()
    with pytest.raises(Exception, match="cannot be deleted"):
        record.delete()


def test_occupancy_is_leased_over_industrial(hna_zone):
    assert hna_zone.occupancy_pct == Decimal("52.6")


def test_full_name_is_in_vietnamese_order(db):
    from tests.factories import UserFactory

    assert UserFactory(username="x", last_name="Nguyễn Thị", first_name="Thu").get_full_name() == "Nguyễn Thị Thu"


def test_board_occupancy_is_recomputed_from_sums_not_averaged(hna, hna_zone, ministry_user):
    from tests.factories import ZoneFactory
    from zones import selectors

    ZoneFactory(code="HNA-X", board=hna, natural_area_ha=100, industrial_land_ha=Decimal("65.5"), leased_land_ha=0)
    board = selectors.board_list(user=ministry_user).get(code="HNA")
    # (123.45 + 0) ÷ (234.5 + 65.5) = 41.15 %; the mean of 52.6 % and 0 % would be 26.3 %.
    assert board.occupancy_pct == Decimal("41.2")
    assert selectors.zone_totals(user=ministry_user) == {
        "zone_count": 2,
        "natural_area_sum": Decimal("420"),
        "industrial_land_sum": Decimal("300"),
        "leased_land_sum": Decimal("123.45"),
        "occupancy_pct": Decimal("41.2"),
    }
