"""The Vietnamese number/date filters: exact text, independent of the active language."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from kcn_portal.core.enums import AuditAction, AuditSource
from kcn_portal.core.models import AuditRecord
from kcn_portal.core.templatetags import kcn_format as f


def render(text, **context):
    return Template("{% load kcn_format %}" + text).render(Context(context))


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("0.05"), 1, "0,1"),  # half up, not banker's rounding
        (-1234.5, 1, "-1.234,5"),
        (Decimal("-0.04"), 1, "0,0"),
        ("999", 0, "999"),
        (None, 1, "–"),
        ("", 0, "–"),
        ("n/a", 0, "n/a"),
    ],
)
def test_format_number(value, decimals, expected):
    assert f.format_number(value, decimals) == expected


def test_filters_in_templates():
    assert render("{{ v|vn_number:1 }}", v=1234.5) == "1.234,5"
    assert render("{{ v|vn_number:0 }}", v=1234567) == "1.234.567"
    assert render("{{ v|vn_number:1 }}", v=None) == "–"
    assert render("{{ v|vn_area }}", v=Decimal("1234.50")) == "1.234,5 ha"
    assert render("{{ v|vn_area }}", v=Decimal("320.00")) == "320 ha"
    assert render("{{ v|vn_percent }}", v=Decimal("52.64")) == "52,6 %"


def test_same_output_in_english():
    with translation.override("en"):
        assert render("{{ v|vn_number:2 }} {{ d|vn_date }}", v=1234.5, d=datetime.date(2019, 5, 1)) == (
            "1.234,50 01/05/2019"
        )


def test_dates_and_durations():
    assert f.vn_date(datetime.date(2019, 1, 20)) == "20/01/2019"
    assert f.vn_date("2023-12-31") == "31/12/2023"
    aware = datetime.datetime(2024, 3, 1, 17, 30, tzinfo=datetime.UTC)
    assert f.vn_date(aware) == "02/03/2024 00:30"  # shown in Asia/Ho_Chi_Minh (UTC+7)
    assert f.vn_date(None) == "–"
    assert f.vn_duration(datetime.timedelta(minutes=30)) == "30 phút"
    assert f.vn_duration(datetime.timedelta(hours=1, minutes=30)) == "1 giờ 30 phút"
    assert f.yes_no(True) == "Có"


def test_audit_changes_rows(hna_zone):
    record = AuditRecord.objects.create(
        source=AuditSource.WEB,
        action=AuditAction.UPDATE,
        model="zones.zone",
        object_id=str(hna_zone.pk),
        object_repr=str(hna_zone),
        changes={
            "leased_land_ha": ["123.45", "1234.5"],
            "status": ["operating", "closed"],
            "established_on": [None, "2019-05-01"],
            "has_wastewater_plant": [False, True],
            "board": [hna_zone.board_id, hna_zone.board_id],
        },
    )
    assert f.audit_changes(record, {("zones.board", hna_zone.board_id): "HNA"}) == [
        ("diện tích đã cho thuê (ha)", "123,45", "1.234,5"),
        ("tình trạng", "Đang hoạt động", "Đã đóng"),
        ("ngày thành lập", "–", "01/05/2019"),
        ("có nhà máy xử lý nước thải tập trung", "Không", "Có"),
        ("Ban quản lý", "HNA", "HNA"),
    ]
    assert f.model_label("zones.zone") == "Khu"
