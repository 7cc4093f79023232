"""Project pages: list (filters, derived amounts, queries), detail (ledger, chart), forms, conflicts, access."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investment.models import ExchangeRate, LicenceEvent, Project
from investment.services import enterprise_reports as enterprise_report_services
from investment.services import licences as licence_services
from investment.services import projects as project_services
from kcn_portal.core.models import AuditRecord
from tests.factories import ZoneFactory, make_project

D = datetime.date
CODE = "5421000001"


def text_of(html, pattern):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(pattern, html, re.S).group(1))).strip()


def codes(response):
    return re.findall(r'data-project="(\d+)"', response.content.decode())


def errors(response):
    return re.findall(r'<div class="invalid-feedback d-block">(.*?)</div>', response.content.decode())


def banner(response):
    items = re.findall(r"<li data-conflict-field>(.*?)</li>", response.content.decode())
    return [re.sub(r"<[^>]+>", "", item) for item in items]


def state(project):
    """Everything a page could change: the project row, its events and its investors."""
    return (
        list(Project.objects.filter(pk=project.pk).values()),
        list(LicenceEvent.objects.filter(project=project).values()),
        list(project.shares.values()),
    )


@pytest.fixture
def project(hna_zone, hna_staff):
    return make_project(hna_zone, CODE, user=hna_staff, land_area_ha=Decimal("12.5"), planned_employees=800)


def adjust(project, user, no, day, vnd, usd, **more):
    project.refresh_from_db()
    return licence_services.licence_adjust(
        user=user, project=project, certificate_no=no, event_date=day, capital_vnd=vnd, capital_usd=usd, **more
    )


@pytest.fixture
def history(project, hna_staff):
    """Issue 15/03/2019, two adjustments and a termination."""
    adjust(project, hna_staff, "DC-1", D(2020, 6, 1), 1_200_000_000_000, Decimal("52000000"), changes_note="Tăng vốn")
    adjust(project, hna_staff, "DC-2", D(2021, 1, 5), 1_100_000_000_000, Decimal("47500000.50"))
    project.refresh_from_db()
    licence_services.licence_terminate(
        user=hna_staff,
        project=project,
        certificate_no="QĐ-99",
        event_date=D(2023, 2, 1),
        termination_ground="board",
        termination_case="điểm b khoản 2 Điều 48",
    )
    project.refresh_from_db()
    return project


@pytest.fixture
def tbh_project(tbh_zone, tbh_staff):
    return make_project(tbh_zone, "5421000009", user=tbh_staff)


# --- the list ----------------------------------------------------------------------------------


def test_list_row_shows_every_column(client, hna_leader, project):
    client.force_login(hna_leader)
    html = client.get("/projects/").content.decode()
    assert text_of(html, rf'<tr data-project="{CODE}">(.*?)</tr>') == (
        f"{CODE} Dự án {CODE} HNA-DV1 Hanwha Aero Engines (Hàn Quốc) FDI Còn hiệu lực 15/03/2019 "
        "1.152.500.000.000 50.000.000,00"
    )
    assert "Tìm thấy 1 dự án." in html


def test_list_marks_a_derived_amount(client, hna_staff, hna_zone):
    # The 2019 rate of the catalogue (investment migration 0002) is 23.050 đồng per USD.
    assert ExchangeRate.objects.get(valid_from=D(2019, 1, 1)).vnd_per_usd == Decimal("23050")
    make_project(hna_zone, "5421000002", user=hna_staff, capital_usd=None, capital_vnd=2_305_000_000)
    client.force_login(hna_staff)
    html = client.get("/projects/").content.decode()
    assert text_of(html, r"<td [^>]*data-usd>(.*?)</td>") == "≈ 100.000,00"
    assert '<span class="text-muted" title="Quy đổi theo tỷ giá" data-derived>≈</span>' in html
    assert text_of(html, r"<td [^>]*data-vnd>(.*?)</td>") == "2.305.000.000"
    assert "≈ Quy đổi theo tỷ giá USD/VND" in html


@pytest.fixture
def many(hna, hna_zone, hna_staff, tbh_project):
    other = ZoneFactory(code="HNA-CS", name="KCN Châu Sơn", board=hna)
    make_project(hna_zone, "5421000001", user=hna_staff, event_date=D(2019, 3, 15))
    make_project(
        other, "5421000002", user=hna_staff, kind="ddi", event_date=D(2021, 7, 1), project_name="Nhà máy thép",
        investors=[{"name": "Công ty Hòa Phát", "country": "VN", "share_pct": Decimal("100")}],
    )  # fmt: skip
    third = make_project(
        hna_zone, "5421000003", user=hna_staff, event_date=D(2015, 1, 10),
        investors=[{"name": "Nitto Denko", "country": "JP", "share_pct": Decimal("100")}],
    )  # fmt: skip
    licence_services.licence_terminate(
        user=hna_staff, project=third, certificate_no="QĐ-1", event_date=D(2020, 1, 1), termination_ground="investor"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["5421000002", "5421000001", "5421000003"]),
        ("zone=HNA-CS", ["5421000002"]),
        ("kind=ddi", ["5421000002"]),
        ("status=terminated", ["5421000003"]),
        ("issued_from=2016-01-01&issued_to=2020-12-31", ["5421000001"]),
        ("country=JP", ["5421000003"]),
        ("q=hòa phát", ["5421000002"]),
        ("q=thép", ["5421000002"]),
        ("q=0003", ["5421000003"]),
        ("sort=code", ["5421000001", "5421000002", "5421000003"]),
        ("sort=-code", ["5421000003", "5421000002", "5421000001"]),
        ("board=TBH", []),
    ],
)
def test_list_filters_within_scope(client, hna_staff, many, query, expected):
    client.force_login(hna_staff)
    assert codes(client.get(f"/projects/?{query}")) == expected


def test_list_zone_filter_offers_readable_zones_only(client, hna_staff, many):
    client.force_login(hna_staff)
    html = client.get("/projects/").content.decode()
    select = re.search(r'<select name="zone".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)"', select) == ["", "HNA-CS", "HNA-DV1"]


def test_list_paginates_and_export_link_keeps_the_filter(client, hna_staff, hna_zone):
    for i in range(30):
        make_project(hna_zone, f"54210000{i:02d}", user=hna_staff)
    client.force_login(hna_staff)
    first = client.get("/projects/?kind=fdi&sort=code")
    assert codes(first)[:2] == ["5421000000", "5421000001"] and len(codes(first)) == 25
    html = client.get("/projects/?kind=fdi&sort=code&page=2").content.decode()
    assert len(codes(client.get("/projects/?kind=fdi&sort=code&page=2"))) == 5
    assert 'href="/projects/export.xlsx?kind=fdi&amp;sort=code" data-export>Xuất Excel</a>' in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_query_count_is_constant(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    make_project(hna_zone, "5421000100", user=hna_staff)
    one = count_queries(client, "/projects/")
    for i in range(29):
        make_project(hna_zone, f"54210000{i:02d}", user=hna_staff)
    assert count_queries(client, "/projects/") == one


# --- the detail page ---------------------------------------------------------------------------


def ledger_rows(html):
    """(label, certificate, date, capital, change) of each event, as the ledger table reads."""
    rows = []
    for body in re.findall(r"<tbody [^>]*data-event=.*?</tbody>", html, re.S):
        label = text_of(body, r"data-label>(.*?)</span>")
        cells = [text_of(body, rf"data-{name}>(.*?)</") for name in ("certificate", "date")]
        change = re.search(r"data-change-vnd>(.*?)</div>", body)
        rows.append((label, *cells, change and change.group(1).strip()))
    return rows


def test_detail_shows_the_ledger_with_capital_changes(client, hna_leader, history):
    client.force_login(hna_leader)
    html = client.get(f"/projects/{CODE}/").content.decode()
    assert ledger_rows(html) == [
        ("Cấp mới", f"{CODE}-GCN", "15/03/2019", None),
        ("Điều chỉnh lần 1", "DC-1", "01/06/2020", "+47.500.000.000 đồng"),
        ("Điều chỉnh lần 2", "DC-2", "05/01/2021", "−100.000.000.000 đồng"),
        ("Chấm dứt", "QĐ-99", "01/02/2023", None),
    ]
    assert re.findall(r"data-change-usd>(.*?)</div>", html) == ["+2.000.000 USD", "−4.499.999,5 USD"]
    assert text_of(html, r"data-termination>(.*?)</td>") == (
        "Căn cứ: Ban Quản lý chấm dứt (khoản 2 Điều 48); trường hợp: điểm b khoản 2 Điều 48"
    )
    assert text_of(html, r"data-changes-note>(.*?)</div>") == "Nội dung điều chỉnh: Tăng vốn"


def test_detail_header_shows_the_current_state(client, hna_leader, history):
    client.force_login(hna_leader)
    html = client.get(f"/projects/{CODE}/").content.decode()
    figures = {
        k: text_of(html, rf'data-figure="{k}">(.*?)</div>') for k in ("capital_vnd", "capital_usd", "land", "dates")
    }
    assert figures == {
        "capital_vnd": "1.100.000.000.000",
        "capital_usd": "47.500.000,50",
        "land": "12,5 ha",
        "dates": "15/03/2019 – 01/02/2023",
    }
    assert text_of(html, r"data-status>(.*?)</span>") == "Đã chấm dứt"
    assert text_of(html, r"<tr data-investor>(.*?)</tr>") == "Hanwha Aero Engines Hàn Quốc 100,00 %"
    assert text_of(html, r'data-field="zone">(.*?)</dd>') == "HNA-DV1 – KCN Đồng Văn I"


def test_detail_chart_is_a_step_line_through_each_certificate(client, hna_leader, history):
    client.force_login(hna_leader)
    html = client.get(f"/projects/{CODE}/").content.decode()
    points = re.findall(r"<g data-chart-point>\s*<title>(.*?)</title>", html)
    assert points == [
        "Cấp mới 15/03/2019: 1.152.500.000.000 đồng",
        "Điều chỉnh lần 1 01/06/2020: 1.200.000.000.000 đồng",
        "Điều chỉnh lần 2 05/01/2021: 1.100.000.000.000 đồng",
    ]
    path = re.search(r'<path d="([^"]+)"[^>]*data-chart-line', html).group(1)
    assert re.fullmatch(r"M[\d.]+ [\d.]+( H[\d.]+ V[\d.]+){2} H[\d.]+", path)
    assert re.findall(r'<tspan font-weight="600">(.*?)</tspan>', html) == ["1.152,5", "1.200", "1.100"]
    assert "Chấm dứt 01/02/2023" in html and "data-chart-terminated" in html


def test_detail_shows_a_correction_and_a_voided_event(client, hna_staff, project):
    event = adjust(project, hna_staff, "DC-1", D(2020, 6, 1), 1_200_000_000_000, Decimal("52000000"))
    licence_services.licence_correct(user=hna_staff, event=event, reason="Sai vốn", capital_vnd=1_250_000_000_000)
    wrong = adjust(project, hna_staff, "DC-X", D(2021, 6, 1), 1_300_000_000_000, Decimal("56000000"))
    licence_services.licence_correct(user=hna_staff, event=wrong, reason="Nhập nhầm dự án", voided=True)
    client.force_login(hna_staff)
    html = client.get(f"/projects/{CODE}/").content.decode()
    corrected, voided = re.findall(r"<tr class=\"small\" data-correction>(.*?)</tr>", html, re.S)
    assert text_of(corrected, "(.*)").startswith("Đính chính – phiên bản 2 (hna.staff, ")
    assert text_of(corrected, r"data-reason>(.*?)</span>") == "Sai vốn"
    assert text_of(corrected, r"data-changed>(.*?)</li>") == "Vốn đầu tư (đồng): 1.200.000.000.000 → 1.250.000.000.000"
    assert text_of(voided, r"data-reason>(.*?)</span>") == "Nhập nhầm dự án"
    body = re.search(r"<tbody [^>]*data-voided>.*?</tbody>", html, re.S).group(0)
    assert text_of(body, r"data-label>(.*?)</span>") == "Điều chỉnh"
    assert 'text-decoration-line-through" data-label>' in body and "Đã hủy" in body
    assert "data-correct>" not in body  # a voided event is not corrected again
    assert ledger_rows(html)[1][3] == "+97.500.000.000 đồng"  # the correction's capital counts


def test_detail_buttons_only_for_writers(client, hna_staff, hna_leader, project):
    event = project.events.get()
    client.force_login(hna_staff)
    html = client.get(f"/projects/{CODE}/").content.decode()
    assert re.findall(r'href="([^"]+)" data-action="(\w+)"', html) == [
        (f"/projects/{CODE}/adjust/", "adjust"),
        (f"/projects/{CODE}/terminate/", "terminate"),
        (f"/projects/{CODE}/edit/", "edit"),
    ]
    assert f'href="/events/{event.pk}/correct/" data-correct>Đính chính</a>' in html
    client.force_login(hna_leader)
    html = client.get(f"/projects/{CODE}/").content.decode()
    assert "data-action" not in html and "data-correct>" not in html


def test_detail_lists_enterprise_reports(client, hna_staff, project):
    enterprise_report_services.enterprise_report_save(
        user=hna_staff, project=project, year=2024, quarter=2, revenue_vnd=450_000_000_000, employees=1200,
        employees_foreign=35, export_usd=Decimal("15500000"),
    )  # fmt: skip
    client.force_login(hna_staff)
    html = client.get(f"/projects/{CODE}/").content.decode()
    assert text_of(html, r'<tr data-report="2024-Q2">(.*?)</tr>') == (
        "Quý 2/2024 450.000.000.000 – 15.500.000,00 – – 1.200 (35 nước ngoài) –"
    )


# --- the forms -----------------------------------------------------------------------------------


def register_data(zone, **changes):
    data = {
        "zone": zone.pk, "code": "5421000777", "kind": "fdi", "sector": "C2610",
        "investors-TOTAL_FORMS": "3", "investors-INITIAL_FORMS": "0",
        "investors-MIN_NUM_FORMS": "1", "investors-MAX_NUM_FORMS": "10",
        "investors-0-name": "Samsung Display", "investors-0-country": "KR", "investors-0-share_pct": "80",
        "investors-1-name": "Công ty Sao Việt", "investors-1-country": "VN", "investors-1-share_pct": "20",
        "certificate_no": "1234/GCN", "event_date": "2020-02-03", "project_name": "Nhà máy màn hình",
        "capital_vnd": "2300000000000", "capital_usd": "100000000", "land_area_ha": "20.5",
        "planned_employees": "3000", "note": "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_register_creates_the_project_and_its_first_certificate(client, hna_staff, hna_zone):
    client.force_login(hna_staff)
    response = client.post("/projects/new/", register_data(hna_zone))
    assert response["Location"] == "/projects/5421000777/"
    project = Project.objects.get(code="5421000777")
    assert (project.name, project.capital_vnd, project.land_area_ha, project.sector) == (
        "Nhà máy màn hình", 2_300_000_000_000, Decimal("20.50"), "C2610",
    )  # fmt: skip
    assert [(s.investor.name, s.share_pct) for s in project.shares.all()] == [
        ("Samsung Display", Decimal("80.00")),
        ("Công ty Sao Việt", Decimal("20.00")),
    ]
    html = client.get(response["Location"]).content.decode()
    assert "Đã đăng ký dự án 5421000777 – Nhà máy màn hình, giấy chứng nhận cấp mới số 1234/GCN." in html


def test_register_offers_only_zones_of_writable_boards(client, hna_staff, hna_zone, tbh_zone):
    client.force_login(hna_staff)
    html = client.get("/projects/new/").content.decode()
    select = re.search(r'<select name="zone".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', select) == [str(hna_zone.pk)]
    response = client.post("/projects/new/", register_data(tbh_zone))
    assert errors(response) == [
        "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"capital_vnd": "1500.5"},
            [
                "Vốn đầu tư (đồng): &#x27;1500.5&#x27; có phần lẻ, số đồng phải là số nguyên. "
                "Hãy viết 1.234.567 hoặc 1234567."
            ],
        ),
        (
            {"capital_usd": "10.1234"},
            ["Vốn đầu tư (USD): &#x27;10.1234&#x27; có quá 2 chữ số thập phân. Hãy viết 1.234.567,89 hoặc 1234567.89."],
        ),
        ({"capital_vnd": "0"}, ["Vốn đầu tư (đồng): phải lớn hơn 0."]),
        ({"capital_usd": "-5"}, ["Vốn đầu tư (USD): phải lớn hơn 0."]),
        ({"event_date": "2999-01-01"}, ["Ngày 01/01/2999 ở tương lai."]),
        ({"code": "12AB"}, ["Mã số dự án phải gồm đúng 10 chữ số (đang là &#x27;12AB&#x27;)."]),
        ({"capital_vnd": "", "capital_usd": ""}, ["Cần nhập vốn đầu tư (VND hoặc USD)."]),
        (
            {"kind": "ddi"},
            ["Nhà đầu tư nước ngoài nắm 80 % vốn nên dự án là FDI (vốn nước ngoài) (Điều 23 Luật Đầu tư 2020)."],
        ),
    ],
)
def test_register_validation_messages(client, hna_staff, hna_zone, changes, expected):
    client.force_login(hna_staff)
    response = client.post("/projects/new/", register_data(hna_zone, **changes))
    assert errors(response) == expected
    assert not Project.objects.exists()


def adjust_data(project, **changes):
    data = {
        "certificate_no": "DC-1", "event_date": "2020-06-01", "project_name": project.name,
        "capital_vnd": "1200000000000", "capital_usd": "52000000", "land_area_ha": "12.5",
        "planned_employees": "800", "changes_note": "Tăng vốn", "note": "", "version": project.version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_adjust_form_is_prefilled_and_shows_the_change(client, hna_staff, project):
    client.force_login(hna_staff)
    html = client.get(f"/projects/{CODE}/adjust/").content.decode()
    values = dict(re.findall(r'<input type="\w+" name="(\w+)"[^>]*?\s+value="([^"]*)"', html))
    assert {k: values[k] for k in ("version", "project_name", "capital_vnd", "capital_usd", "land_area_ha")} == {
        "version": "1",
        "project_name": f"Dự án {CODE}",
        "capital_vnd": "1152500000000",
        "capital_usd": "50000000.00",
        "land_area_ha": "12.50",
    }
    assert values["planned_employees"] == "800"
    assert re.findall(r"data-current-text>(.*?)</span>", html) == ["1.152.500.000.000 đồng", "50.000.000,00 USD"]
    assert re.findall(r'data-change-for="\w+">(.*?)</span>', html) == ["0", "0"]
    assert 'data-current="1152500000000" data-decimals="0"' in html and "/static/js/licence-form.js" in html


def test_adjust_form_shows_the_typed_change_after_an_error(client, hna_staff, project):
    client.force_login(hna_staff)
    data = adjust_data(project, capital_vnd="1100000000000", capital_usd="50000000.5", event_date="")
    html = client.post(f"/projects/{CODE}/adjust/", data).content.decode()
    assert re.findall(r'data-change-for="\w+">(.*?)</span>', html) == ["−52.500.000.000", "+0,5"]


def test_adjust_saves_and_says_what_changed(client, hna_staff, project):
    client.force_login(hna_staff)
    response = client.post(f"/projects/{CODE}/adjust/", adjust_data(project))
    assert response["Location"] == f"/projects/{CODE}/"
    event = project.events.get(kind="adjust")
    assert (event.adjust_no, event.capital_change_vnd, event.changes_note) == (1, 47_500_000_000, "Tăng vốn")
    assert (
        "Đã ghi nhận Điều chỉnh lần 1 (số DC-1): vốn đầu tư sau điều chỉnh 1.200.000.000.000 đồng "
        "(+47.500.000.000), 52.000.000 USD (+2.000.000)."
    ) in client.get(response["Location"]).content.decode()


def test_adjust_refused_by_the_ledger_shows_the_rule(client, hna_staff, project):
    client.force_login(hna_staff)
    response = client.post(f"/projects/{CODE}/adjust/", adjust_data(project, event_date="2018-01-01"))
    assert errors(response) == ["Ngày 01/01/2018 trước ngày cấp mới dự án (15/03/2019)."]
    response = client.post(f"/projects/{CODE}/adjust/", adjust_data(project, certificate_no=f"{CODE}-GCN"))
    assert errors(response) == [f"Số giấy chứng nhận/quyết định &#x27;{CODE}-GCN&#x27; đã có trong dự án (Cấp mới)."]
    assert project.events.count() == 1


def test_terminate_records_the_ground(client, hna_staff, project):
    client.force_login(hna_staff)
    data = {"certificate_no": "QĐ-5", "event_date": "2022-05-05", "termination_ground": "investor",
            "termination_case": "điểm a khoản 1", "note": "", "version": project.version}  # fmt: skip
    response = client.post(f"/projects/{CODE}/terminate/", data)
    project.refresh_from_db()
    assert (project.status, project.terminated_on) == ("terminated", D(2022, 5, 5))
    html = client.get(response["Location"]).content.decode()
    assert "Đã ghi nhận chấm dứt dự án theo quyết định số QĐ-5 ngày 05/05/2022." in html
    assert 'data-action="adjust"' not in html


def test_terminate_needs_a_ground(client, hna_staff, project):
    client.force_login(hna_staff)
    data = {"certificate_no": "QĐ-5", "event_date": "2022-05-05", "version": project.version}
    assert errors(client.post(f"/projects/{CODE}/terminate/", data)) == ["Trường này là bắt buộc."]


def correct_data(event, project, **changes):
    data = {
        "certificate_no": event.certificate_no, "event_date": event.event_date.isoformat(),
        "project_name": event.project_name, "capital_vnd": str(event.capital_vnd),
        "capital_usd": str(event.capital_usd), "land_area_ha": "", "planned_employees": "", "note": "",
        "reason": "Sai số trên giấy", "version": project.version,
    }  # fmt: skip
    data.update(changes)
    return data


def test_correct_appends_a_version_with_its_reason(client, hna_staff, project):
    event = project.events.get()
    client.force_login(hna_staff)
    html = client.get(f"/events/{event.pk}/correct/").content.decode()
    assert 'name="capital_vnd" value="1152500000000"' in html and 'name="voided"' not in html  # an issue is not voided
    response = client.post(f"/events/{event.pk}/correct/", correct_data(event, project, capital_vnd="1160000000000"))
    assert response["Location"] == f"/projects/{CODE}/"
    assert list(project.events.order_by("version").values_list("version", "is_current", "capital_vnd", "reason")) == [
        (1, False, 1_152_500_000_000, ""),
        (2, True, 1_160_000_000_000, "Sai số trên giấy"),
    ]


def test_correct_needs_a_reason_and_can_void(client, hna_staff, project):
    event = adjust(project, hna_staff, "DC-1", D(2020, 6, 1), 1_200_000_000_000, Decimal("52000000"))
    project.refresh_from_db()
    client.force_login(hna_staff)
    response = client.post(f"/events/{event.pk}/correct/", correct_data(event, project, reason=""))
    assert errors(response) == ["Trường này là bắt buộc."]
    data = correct_data(event, project, voided="on", reason="Nhập nhầm", certificate_no="")
    response = client.post(f"/events/{event.pk}/correct/", data)
    assert response["Location"] == f"/projects/{CODE}/"
    project.refresh_from_db()
    assert (project.capital_vnd, LicenceEvent.objects.get(is_current=True, voided=True).reason) == (
        1_152_500_000_000,
        "Nhập nhầm",
    )


def test_old_version_link_opens_the_current_version(client, hna_staff, project):
    event = project.events.get()
    new = licence_services.licence_correct(user=hna_staff, event=event, reason="x", capital_vnd=1_160_000_000_000)
    client.force_login(hna_staff)
    assert client.get(f"/events/{event.pk}/correct/")["Location"] == f"/events/{new.pk}/correct/"


def update_data(project, **changes):
    data = {
        "zone": project.zone_id, "kind": project.kind, "sector": "C2930", "version": project.version,
        "investors-TOTAL_FORMS": "2", "investors-INITIAL_FORMS": "1",
        "investors-MIN_NUM_FORMS": "1", "investors-MAX_NUM_FORMS": "10",
        "investors-0-name": "Hanwha Aero Engines", "investors-0-country": "KR", "investors-0-share_pct": "70",
        "investors-1-name": "Công ty Sao Việt", "investors-1-country": "VN", "investors-1-share_pct": "30",
    }  # fmt: skip
    data.update(changes)
    return data


def test_update_changes_sector_and_investors(client, hna_staff, hna, project):
    other = ZoneFactory(code="HNA-CS", board=hna)
    client.force_login(hna_staff)
    html = client.get(f"/projects/{CODE}/edit/").content.decode()
    assert 'name="investors-0-name" value="Hanwha Aero Engines"' in html
    response = client.post(f"/projects/{CODE}/edit/", update_data(project, zone=other.pk))
    assert response["Location"] == f"/projects/{CODE}/"
    project.refresh_from_db()
    assert (project.zone, project.sector, project.version) == (other, "C2930", 3)
    assert [(s.investor.name, s.share_pct) for s in project.shares.all()] == [
        ("Hanwha Aero Engines", Decimal("70.00")),
        ("Công ty Sao Việt", Decimal("30.00")),
    ]


def test_update_investor_error_rolls_back_the_zone_change(client, hna_staff, hna, project):
    other = ZoneFactory(code="HNA-CS", board=hna)
    before = state(project)
    client.force_login(hna_staff)
    data = update_data(project, zone=other.pk, **{"investors-1-share_pct": "50"})
    response = client.post(f"/projects/{CODE}/edit/", data)
    assert re.findall(r"data-form-errors>\s*<div>(.*?)</div>", response.content.decode()) == [
        "Tổng tỷ lệ góp vốn là 120 %, vượt quá 100 %."
    ]
    assert state(project) == before


# --- two people editing one project -----------------------------------------------------------------


def test_stale_adjustment_shows_what_changed_and_saves_nothing(client, hna_staff, admin_user, project):
    stale_version = project.version
    adjust(project, admin_user, "DC-A", D(2020, 1, 2), 1_300_000_000_000, Decimal("56000000"))
    project.refresh_from_db()
    before = state(project)
    client.force_login(hna_staff)
    data = adjust_data(project, version=stale_version, certificate_no="DC-B", capital_vnd="1400000000000")
    response = client.post(f"/projects/{CODE}/adjust/", data)
    html = response.content.decode()
    assert "Dự án này đã được người khác thay đổi trong lúc bạn nhập" in html
    assert banner(response) == [
        "Vốn đăng ký (đồng): 1.152.500.000.000 → 1.300.000.000.000",
        "Vốn đăng ký (USD): 50.000.000 → 56.000.000",
        f"Sổ cấp phép: 1 sự kiện; mới nhất: Cấp mới {CODE}-GCN ngày 15/03/2019 → "
        "2 sự kiện; mới nhất: Điều chỉnh lần 1 DC-A ngày 02/01/2020",
    ]
    assert 'value="1400000000000"' in html and 'value="DC-B"' in html  # what the user typed stays
    assert f'name="version" value="{project.version}"' in html
    assert state(project) == before


def test_stale_project_edit_names_the_investors(client, hna_staff, admin_user, project):
    stale = update_data(project)
    project_services.project_investors_set(
        user=admin_user, project=project, investors=[{"name": "Hanwha Vietnam", "country": "VN", "share_pct": None}]
    )
    project.refresh_from_db()
    before = state(project)
    client.force_login(hna_staff)
    response = client.post(f"/projects/{CODE}/edit/", stale)
    assert banner(response) == ["Nhà đầu tư: Hanwha Aero Engines (KR) 100.00% → Hanwha Vietnam (VN) ?%"]
    assert 'name="investors-1-name" value="Công ty Sao Việt"' in response.content.decode()
    assert state(project) == before


def test_correcting_an_event_someone_just_corrected_is_refused(client, hna_staff, admin_user, project):
    event = project.events.get()
    opened = correct_data(event, project, capital_vnd="1160000000000")
    licence_services.licence_correct(user=admin_user, event=event, reason="Sai ngày", event_date=D(2019, 3, 16))
    before = state(project)
    client.force_login(hna_staff)
    response = client.post(f"/events/{event.pk}/correct/", opened)
    assert banner(response) == [
        "Ngày cấp mới: 15/03/2019 → 16/03/2019",
        f"Sổ cấp phép: 1 sự kiện; mới nhất: Cấp mới {CODE}-GCN ngày 15/03/2019 → "
        f"1 sự kiện; mới nhất: Cấp mới {CODE}-GCN ngày 16/03/2019",
    ]
    assert 'value="1160000000000"' in response.content.decode()
    assert state(project) == before


# --- access ---------------------------------------------------------------------------------------------


def pages(project):
    event = project.events.get()
    return [
        f"/projects/{project.code}/",
        f"/projects/{project.code}/edit/",
        f"/projects/{project.code}/adjust/",
        f"/projects/{project.code}/terminate/",
        f"/events/{event.pk}/correct/",
    ]


def test_another_boards_staff_gets_404_everywhere_and_changes_nothing(client, hna_staff, tbh_project):
    before = state(tbh_project)
    audit = AuditRecord.objects.count()
    client.force_login(hna_staff)
    for url in pages(tbh_project):
        assert (url, client.get(url).status_code) == (url, 404)
        assert (url, client.post(url, {"reason": "x", "certificate_no": "X", "version": 1}).status_code) == (url, 404)
    assert codes(client.get("/projects/")) == []
    assert state(tbh_project) == before and AuditRecord.objects.count() == audit


@pytest.mark.parametrize("reader", ["hna_leader", "ministry_user"])
def test_readers_see_the_project_but_no_write_page(request, client, project, reader):
    client.force_login(request.getfixturevalue(reader))
    before = state(project)
    detail, *writes = pages(project)
    assert text_of(client.get(detail).content.decode(), r"data-project-name>(.*?)</h1>") == f"Dự án {CODE}"
    for url in writes:
        assert (url, client.get(url).status_code, client.post(url, {}).status_code) == (url, 404, 404)
    assert client.get("/projects/new/").status_code == 404
    assert state(project) == before


def test_anonymous_is_sent_to_login(client, project):
    for url in [*pages(project), "/projects/", "/projects/new/", "/projects/export.xlsx"]:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/login/?next={url}")
