"""The /api/v1/ investment endpoints: projects, their ledger, enterprise reports, exchange rates.

Scope (404 outside it, 403 read-only), writes through the services audited as API, ETag/If-Match
→ 412 with what changed, cursor pagination and the query counts of every list.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from investment.models import EnterpriseReport, ExchangeRate, LicenceEvent, Project
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from kcn_portal.core.models import AuditRecord
from kcn_portal.core.pagination import KeysetCursorPagination
from tests.factories import ZoneFactory, make_project

D = datetime.date
PROJECTS = "/api/v1/projects/"
CODE = "5421000001"
PROJECT = f"{PROJECTS}{CODE}/"
EVENTS = f"{PROJECT}events/"
REPORTS = "/api/v1/enterprise-reports/"
RATES = "/api/v1/exchange-rates/"
NO_PROJECT = {"detail": f"Không tìm thấy dự án “{CODE}”."}
READ_ONLY = {"detail": "Bạn chỉ được xem, không được sửa dữ liệu dự án của Ban quản lý này."}
STALE = "Dữ liệu đã được người khác thay đổi trong lúc bạn sửa. Hãy xem giá trị hiện tại rồi sửa lại."


def _as(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def _with_token(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


def _codes(response):
    return [row["code"] for row in response.json()["results"]]


@pytest.fixture
def project(hna_zone, hna_staff):
    return make_project(hna_zone, CODE, user=hna_staff)


def _adjust(project, user, no="DC-1", day=None, vnd=1_200_000_000_000, usd="52000000"):
    return licence_services.licence_adjust(
        user=user,
        project=project,
        certificate_no=no,
        event_date=day or D(2020, 6, 1),
        capital_vnd=vnd,
        capital_usd=Decimal(usd),
    )


def _register_payload(**overrides):
    return {
        "zone": "HNA-DV1",
        "code": CODE,
        "kind": "fdi",
        "sector": "C2610",
        "investors": [{"name": "Samsung Display", "country": "KR", "share_pct": 100}],
        "certificate_no": "GCN-001",
        "event_date": "2019-03-15",
        "project_name": "Nhà máy màn hình Samsung",
        "capital_vnd": 2_305_000_000_000,
        "capital_usd": 100_000_000,
        "land_area_ha": 12.5,
        "planned_employees": 1500,
        **overrides,
    }


# --- projects: reading --------------------------------------------------------------------------


def test_project_detail_json_and_etag(api_client, hna_staff, project):
    response = _as(api_client, hna_staff).get(PROJECT)
    assert response["ETag"] == '"1"'
    assert response.json() == {
        "code": CODE,
        "name": f"Dự án {CODE}",
        "zone": "HNA-DV1",
        "board": "HNA",
        "kind": "fdi",
        "sector": "",
        "status": "active",
        "issued_on": "2019-03-15",
        "terminated_on": None,
        "capital_vnd": 1_152_500_000_000,
        "capital_usd": 50_000_000.0,
        "capital_vnd_derived": False,
        "capital_usd_derived": False,
        "land_area_ha": None,
        "investors": [{"name": "Hanwha Aero Engines", "country": "KR", "share_pct": 100.0}],
        "version": 1,
        "url": f"http://testserver{PROJECT}",
    }


def test_project_filters_are_the_page_filters(api_client, ministry_user, hna_zone, tbh_zone):
    make_project(hna_zone, "5421000001", event_date=D(2019, 3, 15))
    make_project(hna_zone, "5421000002", kind="ddi", investors=[{"name": "Viglacera", "country": "VN"}])
    make_project(tbh_zone, "6421000001", event_date=D(2021, 8, 2), project_name="Nhà máy sợi Phúc Khánh")
    client = _as(api_client, ministry_user)
    assert _codes(client.get(PROJECTS)) == ["6421000001", "5421000001", "5421000002"]
    assert _codes(client.get(PROJECTS, {"board": "tbh"})) == ["6421000001"]
    assert _codes(client.get(PROJECTS, {"kind": "ddi"})) == ["5421000002"]
    assert _codes(client.get(PROJECTS, {"country": "VN"})) == ["5421000002"]
    assert _codes(client.get(PROJECTS, {"q": "sợi"})) == ["6421000001"]
    assert _codes(client.get(PROJECTS, {"issued_from": "2020-01-01"})) == ["6421000001"]
    assert _codes(client.get(PROJECTS, {"sort": "code"})) == ["5421000001", "5421000002", "6421000001"]
    assert client.get(PROJECTS, {"status": "xx"}).json() == {
        "status": ["Hãy chọn một lựa chọn hợp lệ. xx không phải là một trong các lựa chọn khả thi."]
    }


def test_tbh_staff_cannot_see_or_touch_a_ha_nam_project(api_client, tbh_staff, project):
    client = _as(api_client, tbh_staff)
    assert client.get(PROJECTS).json() == {"next": None, "previous": None, "results": []}
    assert (client.get(PROJECT).status_code, client.get(PROJECT).json()) == (404, NO_PROJECT)
    assert client.get(EVENTS).json() == NO_PROJECT
    adjust = {"kind": "adjust", "certificate_no": "DC-X", "event_date": "2020-01-01", "capital_vnd": 1}
    assert (client.post(EVENTS, adjust, format="json").status_code, client.patch(PROJECT, {"sector": "C"}).json()) == (
        404,
        NO_PROJECT,
    )
    event = LicenceEvent.objects.get()
    correction = client.post(f"{EVENTS}{event.pk}/corrections/", {"reason": "x", "note": "y"}, format="json")
    assert (correction.status_code, LicenceEvent.objects.count(), Project.objects.get().version) == (404, 1, 1)


def test_ministry_and_leader_read_but_cannot_write(api_client, ministry_user, hna_leader, project):
    for user in (ministry_user, hna_leader):
        client = _as(api_client, user)
        assert client.get(PROJECT).json()["code"] == CODE
        assert client.patch(PROJECT, {"sector": "C"}, format="json").json() == READ_ONLY
        adjust = {"kind": "adjust", "certificate_no": "DC-X", "event_date": "2020-01-01", "capital_vnd": 1}
        assert (client.post(EVENTS, adjust, format="json").status_code, client.post(EVENTS, adjust).json()) == (
            403,
            READ_ONLY,
        )
        created = client.post(PROJECTS, _register_payload(code="5421000009"), format="json")
        assert created.json() == {"detail": "Bạn không có quyền tạo dự án cho Ban quản lý nào."}
    assert (Project.objects.count(), LicenceEvent.objects.count(), Project.objects.get().sector) == (1, 1, "")


def test_unauthenticated_calls_are_401(api_client, project):
    for url in (PROJECTS, PROJECT, EVENTS, REPORTS, RATES):
        response = api_client.get(url)
        assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


# --- the whole life of a project through the API ------------------------------------------------


def test_register_adjust_terminate_through_the_api(api_client, hna_staff, hna_zone):
    client = _as(api_client, hna_staff)
    created = client.post(PROJECTS, _register_payload(), format="json")
    assert (created.status_code, created["ETag"], created["Location"]) == (201, '"1"', f"http://testserver{PROJECT}")
    assert (created.json()["name"], created.json()["capital_usd"], created.json()["land_area_ha"]) == (
        "Nhà máy màn hình Samsung",
        100_000_000.0,
        12.5,
    )
    adjust = {
        "kind": "adjust",
        "certificate_no": "GCN-001-DC1",
        "event_date": "2021-02-01",
        "capital_vnd": 2_778_000_000_000,
    }
    adjusted = client.post(EVENTS, {**adjust, "capital_usd": 120_000_000}, format="json", HTTP_IF_MATCH='"1"')
    assert (adjusted.status_code, adjusted["ETag"], adjusted.json()["label"]) == (201, '"2"', "Điều chỉnh lần 1")
    assert (adjusted.json()["capital_change_vnd"], adjusted.json()["capital_change_usd"]) == (
        473_000_000_000,
        20_000_000.0,
    )
    terminate = {
        "kind": "terminate",
        "certificate_no": "QĐ-15",
        "event_date": "2024-05-20",
        "termination_ground": "investor",
    }
    terminated = client.post(EVENTS, terminate, format="json", HTTP_IF_MATCH='"2"')
    assert (terminated.status_code, terminated["ETag"], terminated.json()["label"]) == (201, '"3"', "Chấm dứt")
    detail = client.get(PROJECT).json()
    assert (detail["status"], detail["terminated_on"], detail["capital_vnd"], detail["version"]) == (
        "terminated",
        "2024-05-20",
        2_778_000_000_000,
        3,
    )


def test_every_api_write_is_audited_with_source_api(api_client, hna_staff, hna_zone):
    client = _as(api_client, hna_staff)
    client.post(PROJECTS, _register_payload(), format="json")
    adjust = {"kind": "adjust", "certificate_no": "DC-1", "event_date": "2021-02-01", "capital_vnd": 2_778_000_000_000}
    client.post(EVENTS, adjust, format="json")
    assert list(AuditRecord.objects.order_by("id").values_list("source", "model", "action", "actor_name")) == [
        ("api", "investment.project", "create", "hna.staff"),
        ("api", "investment.licenceevent", "create", "hna.staff"),
        ("api", "investment.licenceevent", "create", "hna.staff"),
        ("api", "investment.project", "update", "hna.staff"),
    ]


def test_ledger_lists_events_in_ledger_order(api_client, hna_staff, project):
    _adjust(project, hna_staff, "DC-2", D(2021, 1, 5), 1_500_000_000_000, "65000000")
    _adjust(project, hna_staff, "DC-1", D(2020, 6, 1))
    response = _as(api_client, hna_staff).get(EVENTS)
    assert response["ETag"] == '"3"'
    rows = [(e["label"], e["certificate_no"], e["capital_change_vnd"], e["created_by"]) for e in response.json()]
    assert rows == [
        ("Cấp mới", "5421000001-GCN", None, "hna.staff"),
        ("Điều chỉnh lần 1", "DC-1", 47_500_000_000, "hna.staff"),
        ("Điều chỉnh lần 2", "DC-2", 300_000_000_000, "hna.staff"),
    ]


def test_usd_derived_from_vnd_is_flagged(api_client, hna_staff, hna_zone):
    # 1,152,500,000,000 đồng at the 2019 catalogue rate of 23,050 đồng per dollar.
    payload = _register_payload(capital_vnd=1_152_500_000_000, capital_usd=None)
    project = _as(api_client, hna_staff).post(PROJECTS, payload, format="json").json()
    assert (project["capital_usd"], project["capital_usd_derived"], project["capital_vnd_derived"]) == (
        50_000_000.0,
        True,
        False,
    )
    event = api_client.get(EVENTS).json()[0]
    assert (event["capital_vnd"], event["capital_usd"], event["capital_usd_derived"]) == (
        1_152_500_000_000,
        50_000_000.0,
        True,
    )


# --- validation ---------------------------------------------------------------------------------


def test_register_errors_are_vietnamese_field_errors(api_client, hna_staff, hna_zone, tbh_zone):
    client = _as(api_client, hna_staff)
    response = client.post(PROJECTS, _register_payload(zone="TBH-PK", capital_usd=1.234), format="json")
    assert response.json() == {
        "zone": ["Khu “TBH-PK” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho khu này."],
        "capital_usd": ["Vốn đầu tư (USD): '1.234' có quá 2 chữ số thập phân. Hãy viết 1.234.567,89 hoặc 1234567.89."],
    }
    response = client.post(PROJECTS, _register_payload(code="54210", event_date="2019-03-15"), format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"code": ["Mã số dự án phải gồm đúng 10 chữ số (đang là '54210')."]},
    )
    assert (Project.objects.count(), AuditRecord.objects.count()) == (0, 0)


def test_event_before_the_issue_is_refused(api_client, hna_staff, project):
    adjust = {"kind": "adjust", "certificate_no": "DC-1", "event_date": "2018-12-31", "capital_vnd": 1_200_000_000_000}
    response = _as(api_client, hna_staff).post(EVENTS, adjust, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"event_date": ["Ngày 31/12/2018 trước ngày cấp mới dự án (15/03/2019)."]},
    )
    assert (LicenceEvent.objects.count(), Project.objects.get().version) == (1, 1)


def test_termination_needs_its_ground(api_client, hna_staff, project):
    terminate = {"kind": "terminate", "certificate_no": "QĐ-1", "event_date": "2022-01-10"}
    response = _as(api_client, hna_staff).post(EVENTS, terminate, format="json")
    assert response.json() == {"termination_ground": ["Cần chọn căn cứ chấm dứt (Điều 48 Luật Đầu tư)."]}
    assert Project.objects.get().status == "active"


# --- If-Match / 412 -----------------------------------------------------------------------------


def test_stale_event_post_is_412_with_what_changed(api_client, hna_staff, project):
    _adjust(project, hna_staff)
    adjust = {"kind": "adjust", "certificate_no": "DC-2", "event_date": "2021-01-05", "capital_vnd": 1_500_000_000_000}
    response = _as(api_client, hna_staff).post(EVENTS, adjust, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"], response.json()["detail"]) == (412, '"2"', STALE)
    assert (response.json()["current"]["capital_vnd"], response.json()["current"]["version"]) == (1_200_000_000_000, 2)
    assert response.json()["changed"] == {
        "capital_usd": ["50000000", "52000000"],
        "capital_vnd": [1_152_500_000_000, 1_200_000_000_000],
        "ledger": [
            "1 sự kiện; mới nhất: Cấp mới 5421000001-GCN ngày 15/03/2019",
            "2 sự kiện; mới nhất: Điều chỉnh lần 1 DC-1 ngày 01/06/2020",
        ],
    }
    assert LicenceEvent.objects.count() == 2


def test_patch_project_with_current_etag_then_stale(api_client, hna_staff, project):
    client = _as(api_client, hna_staff)
    saved = client.patch(PROJECT, {"sector": "C2610"}, format="json", HTTP_IF_MATCH='"1"')
    assert (saved.status_code, saved["ETag"], saved.json()["sector"], saved.json()["version"]) == (
        200,
        '"2"',
        "C2610",
        2,
    )
    stale = client.patch(PROJECT, {"sector": "C27"}, format="json", HTTP_IF_MATCH='"1"')
    assert (stale.status_code, stale.json()["changed"], stale.json()["current"]["sector"]) == (
        412,
        {"sector": ["", "C2610"]},
        "C2610",
    )
    assert list(AuditRecord.objects.filter(source="api").values_list("changes", flat=True)) == [
        {"sector": ["", "C2610"]}
    ]


def test_patch_moves_a_project_only_to_a_writable_zone(api_client, hna_staff, hna, project, tbh_zone):
    ZoneFactory(code="HNA-CT", board=hna)
    client = _as(api_client, hna_staff)
    assert client.patch(PROJECT, {"zone": "HNA-CT"}, format="json").json()["zone"] == "HNA-CT"
    refused = client.patch(PROJECT, {"zone": "TBH-PK"}, format="json")
    assert (refused.status_code, refused.json()) == (
        400,
        {"zone": ["Khu “TBH-PK” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho khu này."]},
    )
    assert Project.objects.get().zone.code == "HNA-CT"


def test_a_save_landing_between_read_and_write_is_412(api_client, hna_staff, project, monkeypatch):
    real_adjust = licence_services.licence_adjust

    def someone_adjusts_first(**kwargs):
        other = {"certificate_no": "DC-0", "event_date": D(2019, 9, 1), "capital_vnd": 1_160_000_000_000}
        real_adjust(user=hna_staff, project=project, **other)
        return real_adjust(**kwargs)

    monkeypatch.setattr(licence_services, "licence_adjust", someone_adjusts_first)
    adjust = {"kind": "adjust", "certificate_no": "DC-1", "event_date": "2020-06-01", "capital_vnd": 1_200_000_000_000}
    response = _as(api_client, hna_staff).post(EVENTS, adjust, format="json")
    assert (response.status_code, response.json()["current"]["capital_vnd"]) == (412, 1_160_000_000_000)
    assert list(LicenceEvent.objects.values_list("certificate_no", flat=True)) == ["5421000001-GCN", "DC-0"]


def test_project_has_no_put_or_delete(api_client, admin_user, project):
    client = _as(api_client, admin_user)
    assert (client.put(PROJECT, {}, format="json").status_code, client.delete(PROJECT).status_code) == (405, 405)
    assert Project.objects.count() == 1


# --- corrections: a new version, the old one kept ----------------------------------------------


def test_correction_keeps_both_versions(api_client, hna_staff, project):
    issue = LicenceEvent.objects.get()
    client = _as(api_client, hna_staff)
    body = {"reason": "Nhập nhầm vốn", "capital_vnd": 1_153_000_000_000}
    response = client.post(f"{EVENTS}{issue.pk}/corrections/", body, format="json", HTTP_IF_MATCH='"1"')
    assert (response.status_code, response["ETag"]) == (201, '"2"')
    assert (response.json()["version"], response.json()["reason"], response.json()["capital_vnd"]) == (
        2,
        "Nhập nhầm vốn",
        1_153_000_000_000,
    )
    assert [(e["version"], e["is_current"], e["capital_vnd"]) for e in client.get(EVENTS).json()] == [
        (2, True, 1_153_000_000_000)
    ]
    assert [(e["version"], e["is_current"], e["reason"]) for e in client.get(EVENTS, {"all": 1}).json()] == [
        (2, True, "Nhập nhầm vốn"),
        (1, False, ""),
    ]


def test_voiding_an_adjustment_keeps_it_listed_with_all(api_client, hna_staff, project):
    adjustment = _adjust(project, hna_staff)
    client = _as(api_client, hna_staff)
    body = {"reason": "Nhập trùng", "voided": True}
    assert client.post(f"{EVENTS}{adjustment.pk}/corrections/", body, format="json").json()["voided"] is True
    assert [e["label"] for e in client.get(EVENTS).json()] == ["Cấp mới"]
    assert [(e["label"], e["version"], e["voided"]) for e in client.get(EVENTS, {"all": "1"}).json()] == [
        ("Cấp mới", 1, False),
        # A voided event is out of the live ledger, so it has no adjustment number any more.
        ("Điều chỉnh", 2, True),
        ("Điều chỉnh lần 1", 1, False),
    ]
    assert Project.objects.get().capital_vnd == 1_152_500_000_000


def test_correction_needs_a_reason_and_a_change(api_client, hna_staff, project):
    url = f"{EVENTS}{LicenceEvent.objects.get().pk}/corrections/"
    client = _as(api_client, hna_staff)
    assert client.post(url, {"note": "x"}, format="json").json() == {"reason": ["Cần ghi lý do đính chính."]}
    assert client.post(url, {"reason": "Kiểm tra"}, format="json").json() == {
        "non_field_errors": ["Bản đính chính không khác gì bản hiện hành."]
    }
    assert LicenceEvent.objects.count() == 1


def test_events_are_never_put_patched_or_deleted(api_client, admin_user, project):
    url = f"{EVENTS}{LicenceEvent.objects.get().pk}/"
    client = _as(api_client, admin_user)
    assert client.get(url).json()["certificate_no"] == "5421000001-GCN"
    answers = [client.put(url, {}), client.patch(url, {}), client.delete(url)]
    assert [(a.status_code, a.json()["detail"]) for a in answers] == [
        (405, "Phương thức “PUT” không được chấp nhận."),
        (405, "Phương thức “PATCH” không được chấp nhận."),
        (405, "Phương thức “DELETE” không được chấp nhận."),
    ]
    assert LicenceEvent.objects.get().certificate_no == "5421000001-GCN"


def test_an_event_of_another_project_is_not_found_here(api_client, hna_staff, hna_zone, project):
    other = make_project(hna_zone, "5421000002")
    event = other.events.get()
    response = _as(api_client, hna_staff).get(f"{EVENTS}{event.pk}/")
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy sự kiện cấp phép này."})


# --- cursor pagination --------------------------------------------------------------------------


def test_cursor_pagination_next_and_previous_links(api_client, hna_staff, hna_zone):
    for number, day in enumerate([D(2019, 1, 10), D(2020, 5, 4), D(2021, 7, 1)], start=1):
        make_project(hna_zone, f"542100000{number}", event_date=day)
    client = _as(api_client, hna_staff)
    first = client.get(PROJECTS, {"page_size": 2}).json()
    assert ([r["code"] for r in first["results"]], first["previous"]) == (["5421000003", "5421000002"], None)
    second = client.get(first["next"]).json()
    assert ([r["code"] for r in second["results"]], second["next"]) == (["5421000001"], None)
    back = client.get(second["previous"]).json()
    assert ([r["code"] for r in back["results"]], back["previous"], back["next"] == first["next"]) == (
        ["5421000003", "5421000002"],
        None,
        True,
    )


def test_a_cursor_belongs_to_its_sort(api_client, hna_staff, hna_zone):
    make_project(hna_zone, "5421000001")
    make_project(hna_zone, "5421000002")
    client = _as(api_client, hna_staff)
    cursor = client.get(PROJECTS, {"page_size": 1}).json()["next"].split("cursor=")[1]
    response = client.get(PROJECTS, {"page_size": 1, "sort": "code", "cursor": cursor})
    assert (response.status_code, response.json()) == (404, {"detail": "Con trỏ phân trang không hợp lệ"})
    assert client.get(PROJECTS, {"cursor": "không-phải-con-trỏ"}).status_code == 404


def _page(queryset, url):
    paginator = KeysetCursorPagination()
    rows = paginator.paginate_queryset(queryset, Request(APIRequestFactory().get(url)))
    return [row.pk for row in rows], paginator.get_next_link(), paginator.get_previous_link()


def test_keyset_pages_step_over_nulls_both_ways(db):
    # The open-ended newest rate has no valid_to: NULL sorts last whichever way the pages are read.
    queryset = ExchangeRate.objects.order_by("-valid_to")
    rates = sorted(ExchangeRate.objects.all(), key=lambda r: (r.valid_to is None, -(r.valid_to or D.min).toordinal()))
    forward, url = [], "/x/?page_size=4"
    while url:
        pks, url, previous = _page(queryset, url)
        forward.append(pks)
    backward, url = [], previous
    while url:
        pks, _next, url = _page(queryset, url)
        backward.insert(0, pks)
    assert ([pk for page in forward for pk in page], len(forward)) == ([r.pk for r in rates], 7)
    assert (backward, rates[-1].valid_to) == (forward[:-1], None)


# --- enterprise reports -------------------------------------------------------------------------


def _figures(**overrides):
    return {
        "revenue_vnd": 125_000_000_000,
        "export_usd": 4_500_000.5,
        "employees": 820,
        "employees_foreign": 12,
        **overrides,
    }


def test_report_create_read_and_etag(api_client, hna_staff, project):
    client = _as(api_client, hna_staff)
    created = client.post(REPORTS, {"project": CODE, "year": 2023, "quarter": 2, **_figures()}, format="json")
    report = EnterpriseReport.objects.get()
    assert (created.status_code, created["ETag"]) == (201, '"1"')
    assert created.json() == {
        "id": report.pk,
        "project": CODE,
        "board": "HNA",
        "year": 2023,
        "quarter": 2,
        "period": "2023-Q2",
        "revenue_vnd": 125_000_000_000,
        "production_value_vnd": None,
        "export_usd": 4_500_000.5,
        "import_usd": None,
        "budget_vnd": None,
        "employees": 820,
        "employees_foreign": 12,
        "implemented_capital_vnd": None,
        "implemented_capital_usd": None,
        "version": 1,
        "updated_by": "hna.staff",
        "updated_at": created.json()["updated_at"],
        "url": f"http://testserver{REPORTS}{report.pk}/",
    }
    assert AuditRecord.objects.filter(model="investment.enterprisereport").get().source == "api"


def test_report_post_never_overwrites_a_quarter(api_client, hna_staff, project):
    enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=project, year=2023, quarter=2, employees=800
    )
    response = _as(api_client, hna_staff).post(REPORTS, {"project": CODE, "year": 2023, "quarter": 2}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {"quarter": ["Dự án 5421000001 đã có báo cáo quý 2023-Q2; hãy sửa báo cáo đó."]},
    )
    assert EnterpriseReport.objects.get().employees == 800


def test_report_outside_the_project_life_is_refused(api_client, hna_staff, project):
    response = _as(api_client, hna_staff).post(REPORTS, {"project": CODE, "year": 2018, "quarter": 4}, format="json")
    assert response.json() == {"quarter": ["Dự án được cấp mới ngày 15/03/2019, sau quý 2018-Q4."]}
    assert not EnterpriseReport.objects.exists()


def test_report_patch_put_and_stale_if_match(api_client, hna_staff, project):
    report, _ = enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=project, year=2023, quarter=2, **_figures()
    )
    client, url = _as(api_client, hna_staff), f"{REPORTS}{report.pk}/"
    patched = client.patch(url, {"employees": 830, "year": 2020}, format="json", HTTP_IF_MATCH='"1"')
    assert (patched["ETag"], patched.json()["employees"], patched.json()["year"]) == ('"2"', 830, 2023)
    stale = client.put(url, {"employees": 900}, format="json", HTTP_IF_MATCH='"1"')
    assert (stale.status_code, stale.json()["changed"], stale.json()["current"]["employees"]) == (
        412,
        {"employees": [820, 830]},
        830,
    )
    put = client.put(url, {"employees": 900}, format="json", HTTP_IF_MATCH='"2"')
    assert (put.json()["employees"], put.json()["revenue_vnd"], put.json()["employees_foreign"], put["ETag"]) == (
        900,
        None,
        None,
        '"3"',
    )


def test_report_foreign_workers_within_total(api_client, hna_staff, project):
    body = {"project": CODE, "year": 2023, "quarter": 2, "employees": 10, "employees_foreign": 11}
    response = _as(api_client, hna_staff).post(REPORTS, body, format="json")
    assert response.json() == {"employees_foreign": ["Lao động nước ngoài không được lớn hơn tổng số lao động."]}


def test_report_scope_and_read_only_users(api_client, hna_staff, tbh_staff, hna_leader, project):
    report, _ = enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=project, year=2023, quarter=2, employees=8
    )
    url = f"{REPORTS}{report.pk}/"
    assert _as(api_client, tbh_staff).get(url).json() == {"detail": "Không tìm thấy báo cáo này."}
    refused = api_client.post(REPORTS, {"project": CODE, "year": 2023, "quarter": 3}, format="json")
    assert refused.json() == {
        "project": ["Dự án “5421000001” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho dự án này."]
    }
    leader = _as(api_client, hna_leader)
    assert leader.patch(url, {"employees": 9}, format="json").json() == {
        "detail": "Bạn chỉ được xem, không được sửa báo cáo của Ban quản lý này."
    }
    assert leader.post(REPORTS, {"project": CODE, "year": 2023, "quarter": 3}, format="json").status_code == 403
    assert (EnterpriseReport.objects.get().employees, EnterpriseReport.objects.count()) == (8, 1)


def test_report_filters(api_client, hna_staff, project):
    for year, quarter in [(2022, 4), (2023, 1), (2023, 2)]:
        enterprise_report_services.enterprise_report_save(
            user=hna_staff, project=project, year=year, quarter=quarter, employees=5
        )
    client = _as(api_client, hna_staff)
    assert [r["period"] for r in client.get(REPORTS).json()["results"]] == ["2023-Q2", "2023-Q1", "2022-Q4"]
    assert [r["period"] for r in client.get(REPORTS, {"year": 2023, "quarter": 1}).json()["results"]] == ["2023-Q1"]
    assert client.get(REPORTS, {"board": "TBH"}).json()["results"] == []


# --- exchange rates -----------------------------------------------------------------------------


def test_exchange_rates_are_read_only_reference_data(api_client, tbh_staff):
    client = _as(api_client, tbh_staff)
    newest = client.get(RATES, {"page_size": 2}).json()["results"]
    assert [(r["valid_from"], r["valid_to"], r["vnd_per_usd"]) for r in newest] == [
        ("2026-01-01", None, 26150.0),
        ("2025-01-01", "2025-12-31", 25300.0),
    ]
    rate = ExchangeRate.objects.get(valid_from=D(2019, 1, 1))
    assert client.get(f"{RATES}{rate.pk}/").json()["vnd_per_usd"] == 23050.0
    assert client.post(RATES, {"valid_from": "2030-01-01", "vnd_per_usd": 1}).status_code == 405
    assert client.get(f"{RATES}999999/").json() == {"detail": "Không tìm thấy tỷ giá này."}


# --- the OpenAPI schema ------------------------------------------------------------------------


def test_schema_generates_without_warnings_and_documents_the_cursor(client, hna_staff, tmp_path):
    client.force_login(hna_staff)  # the schema is for signed-in users
    # --fail-on-warn raises on any drf-spectacular warning (an unguessable filter, a hashed enum name).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/projects/"]["get"]
    assert [p["name"] for p in listing["parameters"]] == [
        "board", "country", "cursor", "issued_from", "issued_to", "kind", "page_size", "q", "sort", "status", "zone",
    ]  # fmt: skip
    assert schema["components"]["schemas"]["ProjectKindEnum"]["enum"] == ["fdi", "ddi"]
    # Events are read and appended, never replaced: their detail path has GET only.
    assert sorted(schema["paths"]["/api/v1/projects/{project_code}/events/{id}/"]) == ["get"]


# --- query counts: one row or fifty, the same number of queries --------------------------------


@pytest.mark.parametrize("rows", [1, 50])
def test_project_list_query_count_does_not_grow(api_client, hna_staff, hna_zone, rows, django_assert_num_queries):
    for number in range(rows):
        make_project(hna_zone, f"54210{number:05d}", investors=[{"name": f"NĐT {number}", "country": "JP"}])
    client = _with_token(api_client, hna_staff)
    # token + user, the page (zone, board, main investor joined; scope a subquery), the investors
    with django_assert_num_queries(3):
        response = client.get(PROJECTS, {"page_size": 50})
    assert [len(p["investors"]) for p in response.json()["results"]] == [1] * rows


@pytest.mark.parametrize("rows", [1, 50])
def test_ledger_query_count_does_not_grow(api_client, hna_staff, project, rows, django_assert_num_queries):
    for number in range(1, rows):
        _adjust(
            project,
            hna_staff,
            f"DC-{number}",
            D(2019, 3, 15) + datetime.timedelta(days=number),
            1_152_500_000_000 + number,
            "50000000",
        )
    client = _with_token(api_client, hna_staff)
    # token + user, the project (with its investors), its events
    with django_assert_num_queries(4):
        response = client.get(EVENTS)
    assert len(response.json()) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_report_list_query_count_does_not_grow(api_client, hna_staff, hna_zone, rows, django_assert_num_queries):
    project = make_project(hna_zone, event_date=D(2005, 1, 10))
    for index in range(rows):
        year, quarter = 2005 + index // 4, index % 4 + 1
        enterprise_report_services.enterprise_report_save(
            user=hna_staff, project=project, year=year, quarter=quarter, employees=index
        )
    client = _with_token(api_client, hna_staff)
    with django_assert_num_queries(2):
        response = client.get(REPORTS)
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_exchange_rate_list_query_count_does_not_grow(api_client, tbh_staff, rows, django_assert_num_queries):
    ExchangeRate.objects.all().delete()
    ExchangeRate.objects.bulk_create(
        ExchangeRate(valid_from=D(1950 + n, 1, 1), valid_to=D(1950 + n, 12, 31), vnd_per_usd=20000 + n)
        for n in range(rows)
    )
    client = _with_token(api_client, tbh_staff)
    with django_assert_num_queries(2):
        response = client.get(RATES)
    assert len(response.json()["results"]) == rows


# --- amounts as text, and numbers that are not amounts (core.amounts) ------------------------------


def test_amounts_may_be_sent_as_vietnamese_or_plain_strings(api_client, hna_staff, hna_zone):
    client = _as(api_client, hna_staff)
    payload = _register_payload(capital_vnd="2.305.000.000.000", capital_usd="100.000.000,50", land_area_ha="12,5")
    assert client.post(PROJECTS, payload, format="json").status_code == 201
    event = LicenceEvent.objects.get(project__code=CODE)
    assert (event.capital_vnd, event.capital_usd, event.land_area_ha) == (
        2_305_000_000_000, Decimal("100000000.50"), Decimal("12.50"),
    )  # fmt: skip


@pytest.mark.parametrize(("number", "shown"), [('"NaN"', "NaN"), ('"Infinity"', "Infinity")])
def test_nan_and_infinity_strings_are_a_400_naming_the_field_and_nothing_is_stored(
    api_client, hna_staff, project, number, shown
):
    client = _as(api_client, hna_staff)
    body = '{"kind": "adjust", "certificate_no": "DC-9", "event_date": "2020-01-01", "capital_vnd": ' + number + "}"
    response = client.post(EVENTS, body, content_type="application/json")
    assert (response.status_code, response.json(), LicenceEvent.objects.count()) == (
        400, {"capital_vnd": [f"Vốn đầu tư (đồng): không hiểu '{shown}'. Hãy viết 1.234.567 hoặc 1234567."]}, 1,
    )  # fmt: skip


@pytest.mark.parametrize("number", ["1e400", "-1e400"])
def test_a_number_beyond_any_amount_is_refused_by_the_parser_and_nothing_is_stored(
    api_client, hna_staff, project, number
):
    # kcn_portal.core.parsers refuses a JSON number that overflows to infinity before any field is read.
    client = _as(api_client, hna_staff)
    body = '{"kind": "adjust", "certificate_no": "DC-9", "event_date": "2020-01-01", "capital_vnd": ' + number + "}"
    response = client.post(EVENTS, body, content_type="application/json")
    message = f"Số “{number}” trong dữ liệu JSON không được nhận: NaN, Infinity và số vượt quá giới hạn."
    assert (response.status_code, response.json(), LicenceEvent.objects.count()) == (400, {"detail": message}, 1)


def test_bare_nan_in_the_json_body_is_refused_by_the_parser(api_client, hna_staff, project):
    # NaN and Infinity literals are not JSON: DRF's strict parser answers 400 before any field is read.
    client = _as(api_client, hna_staff)
    body = '{"kind": "adjust", "certificate_no": "DC-9", "event_date": "2020-01-01", "capital_vnd": NaN}'
    response = client.post(EVENTS, body, content_type="application/json")
    assert (response.status_code, LicenceEvent.objects.count()) == (400, 1)


def test_report_figures_accept_strings_and_refuse_ambiguous_ones(api_client, hna_staff, project):
    client = _as(api_client, hna_staff)
    body = {"project": CODE, "year": 2019, "quarter": 2, "revenue_vnd": "1.234.567.890", "export_usd": "1,5"}
    assert client.post(REPORTS, {**body, "employees": "1,234"}, format="json").json() == {
        "employees": ["Lao động cuối quý: không hiểu '1,234'. Hãy viết 1.234 hoặc 1234."]
    }
    assert client.post(REPORTS, body, format="json").status_code == 201
    report = EnterpriseReport.objects.get()
    assert (report.revenue_vnd, report.export_usd) == (1_234_567_890, Decimal("1.50"))
