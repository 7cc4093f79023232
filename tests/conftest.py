"""Fixtures: two boards (Hà Nam, Thái Bình) with a zone each and a user for every role."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import BoardFactory, MembershipFactory, UserFactory, ZoneFactory
from zones.enums import MembershipRole


@pytest.fixture(autouse=True)
def _portal_language():
    # A request in English leaves English active in the thread; every test starts in Vietnamese.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def hna(db):
    return BoardFactory(code="HNA", name="Ban Quản lý các KCN tỉnh Hà Nam", province="Hà Nam")


@pytest.fixture
def tbh(db):
    return BoardFactory(code="TBH", name="Ban Quản lý KKT và các KCN tỉnh Thái Bình", province="Thái Bình")


@pytest.fixture
def hna_zone(hna):
    return ZoneFactory(
        code="HNA-DV1",
        name="KCN Đồng Văn I",
        board=hna,
        natural_area_ha=Decimal("320.00"),
        industrial_land_ha=Decimal("234.50"),
        leased_land_ha=Decimal("1234.5") / 10,
    )


@pytest.fixture
def tbh_zone(tbh):
    return ZoneFactory(code="TBH-PK", name="KCN Phúc Khánh", board=tbh)


def _member(username, board, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, board=board, role=role)
    return user


@pytest.fixture
def hna_staff(hna):
    return _member("hna.staff", hna, MembershipRole.STAFF)


@pytest.fixture
def hna_leader(hna):
    return _member("hna.lead", hna, MembershipRole.LEADER)


@pytest.fixture
def tbh_staff(tbh):
    return _member("tbh.staff", tbh, MembershipRole.STAFF)


@pytest.fixture
def ministry_user(db):
    return UserFactory(username="ministry", is_ministry=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def api_client():
    return APIClient()


# The real-worker fixture lives in its own module; importing it here makes it available everywhere.
from tests.celery_worker import celery_worker_process  # noqa: E402, F401
