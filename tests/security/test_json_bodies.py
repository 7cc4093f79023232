"""JSON bodies the API cannot take answer 400 in Vietnamese, never 500 (issue 16, kcn_portal.core.parsers).

Before the project's parser, ten thousand nested arrays in a POST escaped DRF's JSONParser as a
RecursionError (a 500), and its refusals were English ("JSON parse error - …").
"""

import pytest

from kcn_portal.core import parsers
from zones.models import Zone

DEEP = "Dữ liệu JSON lồng quá sâu: tối đa 32 cấp mảng, đối tượng lồng nhau."


def nested_arrays(levels: int) -> str:
    return "[" * levels + "]" * levels


def nested_objects(levels: int) -> str:
    return '{"name":' * levels + '"KCN"' + "}" * levels


def post(api_client, url, body, method="post", **headers):
    return getattr(api_client, method)(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("body", [nested_arrays(10_000), nested_objects(10_000), nested_arrays(33)])
def test_a_body_nested_too_deep_is_refused_and_nothing_is_written(api_client, hna_staff, hna_zone, body):
    api_client.force_authenticate(hna_staff)
    response = post(api_client, "/api/v1/zones/", body)
    assert (response.status_code, response.json(), Zone.objects.count()) == (400, {"detail": DEEP}, 1)


def test_a_put_nested_too_deep_is_refused_and_the_zone_is_unchanged(api_client, hna_staff, hna_zone):
    api_client.force_authenticate(hna_staff)
    response = post(api_client, f"/api/v1/zones/{hna_zone.pk}/", nested_objects(10_000), method="put")
    hna_zone.refresh_from_db()
    assert (response.status_code, response.json(), hna_zone.name) == (400, {"detail": DEEP}, "KCN Đồng Văn I")


def test_the_corrections_endpoint_naming_its_parsers_refuses_deep_json_too(api_client, hna_staff):
    api_client.force_authenticate(hna_staff)
    response = post(api_client, "/api/v1/corrections/", nested_arrays(10_000))
    assert (response.status_code, response.json()) == (400, {"detail": DEEP})


@pytest.mark.parametrize("number", ["1e400", "-1e400", "NaN", "Infinity", "-Infinity"])
def test_numbers_beyond_a_float_are_refused_by_the_parser(api_client, hna_staff, hna_zone, number):
    api_client.force_authenticate(hna_staff)
    body = f'{{"code": "HNA-X", "name": "KCN X", "board": "HNA", "natural_area_ha": {number}}}'
    response = post(api_client, "/api/v1/zones/", body)
    detail = f"Số “{number}” trong dữ liệu JSON không được nhận: NaN, Infinity và số vượt quá giới hạn."
    assert (response.status_code, response.json(), Zone.objects.count()) == (400, {"detail": detail}, 1)


def test_malformed_json_names_the_line_and_column_in_the_readers_language(api_client, hna_staff):
    api_client.force_authenticate(hna_staff)
    vietnamese = post(api_client, "/api/v1/zones/", '{\n  "code": "HNA-X",\n  "name": }')
    english = post(api_client, "/api/v1/zones/", "{not json", HTTP_ACCEPT_LANGUAGE="en")
    assert (vietnamese.status_code, vietnamese.json()) == (
        400,
        {"detail": "Dữ liệu JSON không hợp lệ ở dòng 3, cột 11."},
    )
    assert (english.status_code, english.json()) == (400, {"detail": "Invalid JSON data at line 1, column 2."})


def test_a_body_not_in_its_charset_and_a_compressing_charset_are_refused(api_client, hna_staff):
    api_client.force_authenticate(hna_staff)
    latin = api_client.post("/api/v1/zones/", '{"name": "Đồng Văn"}'.encode("utf-16"), content_type="application/json")
    bz2 = api_client.post("/api/v1/zones/", b"{}", content_type="application/json; charset=bz2_codec")
    assert (latin.status_code, latin.json()) == (400, {"detail": "Dữ liệu JSON không đọc được theo bảng mã utf-8."})
    assert (bz2.status_code, bz2.json()) == (400, {"detail": "Bảng mã “bz2_codec” của yêu cầu không được hỗ trợ."})


def test_depth_counts_arrays_and_objects_without_recursion():
    deep = []
    for _level in range(100_000):
        deep = [deep]
    assert [parsers.depth(1), parsers.depth([]), parsers.depth({"a": [1, {"b": []}]}), parsers.depth(deep)] == [
        0, 1, 4, 33]  # fmt: skip
