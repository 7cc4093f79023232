"""factory_boy factories shared by every test module."""

from decimal import Decimal

import factory

from kcn_portal.core.models import User
from zones.enums import MembershipRole, ZoneKind, ZoneStatus
from zones.models import Board, Membership, Zone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("kcn-test-pass")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"B{n:02d}")
    name = factory.LazyAttribute(lambda o: f"Ban Quản lý các KCN {o.code}")
    province = factory.LazyAttribute(lambda o: f"Tỉnh {o.code}")
    bloc_code = "DBSH"


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    code = factory.Sequence(lambda n: f"Z{n:03d}")
    name = factory.LazyAttribute(lambda o: f"KCN {o.code}")
    board = factory.SubFactory(BoardFactory)
    kind = ZoneKind.KCN
    status = ZoneStatus.OPERATING
    natural_area_ha = Decimal("300.00")
    industrial_land_ha = Decimal("200.00")
    leased_land_ha = Decimal("150.00")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    board = factory.SubFactory(BoardFactory)
    role = MembershipRole.STAFF


def zone_form_data(zone, **changes):
    """The POST body of the zone form (page and admin) for `zone`, with `changes` applied."""
    data = {
        "code": zone.code,
        "name": zone.name,
        "board": zone.board_id,
        "kind": zone.kind,
        "status": zone.status,
        "natural_area_ha": zone.natural_area_ha,
        "industrial_land_ha": zone.industrial_land_ha,
        "leased_land_ha": zone.leased_land_ha,
        "developer": zone.developer,
        "established_decision_no": zone.established_decision_no,
        "established_on": "",
        "version": zone.version,
    }
    data.update(changes)
    return data


def make_project(zone, code="5421000001", *, user=None, kind="fdi", investors=None, **issue):
    """Register a project through the service (the only way a ledger starts), with a first certificate.

    Defaults: a Korean investor, issued 15/03/2019 with 50,000,000 USD and 1,152,500,000,000 đồng.
    """
    from investment.services import licences as services

    data = {
        "certificate_no": f"{code}-GCN",
        "event_date": __import__("datetime").date(2019, 3, 15),
        "project_name": f"Dự án {code}",
        "capital_vnd": 1_152_500_000_000,
        "capital_usd": Decimal("50000000.00"),
    }
    data.update(issue)
    return services.project_register(
        user=user,
        zone=zone,
        code=code,
        kind=kind,
        investors=investors or [{"name": "Hanwha Aero Engines", "country": "KR", "share_pct": Decimal("100")}],
        **data,
    )
