"""The bulk ledger and report writers: a fixed number of queries, exact results, all or nothing."""

import datetime
import random
from decimal import Decimal

from investment.models import EnterpriseReport, Project
from investment.services.bulk import LicenceRow, ReportRow, import_licences, import_reports
from kcn_portal.core.models import AuditRecord


def licence_rows(count, zone):
    """`count` projects: an issue (USD left to derive), an adjustment, every fifth terminated; shuffled."""
    rows = []
    for i in range(count):
        code = f"54{i:08d}"
        base = {
            "project_code": code,
            "project_name": f"Dự án {i}",
            "zone_code": zone.code,
            "investor_name": f"Investor {i % 50}",
            "investor_country": "KR",
            "kind": "fdi",
        }
        day = datetime.timedelta(i % 300)
        rows.append(
            LicenceRow(
                0,
                event="issue",
                certificate_no=code,
                event_date=datetime.date(2015, 1, 1) + day,
                capital_vnd=10**11,
                **base,
            )
        )
        rows.append(
            LicenceRow(
                0,
                event="adjust",
                certificate_no=f"{code}-1",
                event_date=datetime.date(2019, 1, 1) + day,
                capital_vnd=2 * 10**11,
                capital_usd=Decimal("8000000"),
                **base,
            )
        )
        if i % 5 == 0:
            rows.append(
                LicenceRow(
                    0, event="terminate", certificate_no=f"QD-{code}", event_date=datetime.date(2021, 1, 1), **base
                )
            )
    random.Random(1).shuffle(rows)
    for number, row in enumerate(rows, start=2):
        row.number = number
    return rows  # fmt: skip


def test_licences_in_any_order_with_a_fixed_number_of_queries(hna_zone, hna_staff, django_assert_max_num_queries):
    errors = []
    rows = licence_rows(200, hna_zone)
    with django_assert_max_num_queries(40):
        result = import_licences(rows, user=hna_staff, report=lambda *error: errors.append(error))
    assert (errors, result.created, result.updated, result.unchanged, result.projects_created) == ([], 440, 0, 0, 200)
    project = Project.objects.get(code="5400000005")
    assert (project.status, project.capital_vnd, project.version) == ("terminated", 2 * 10**11, 1)
    adjust = project.events.get(kind="adjust")
    # The issue's USD was derived at the 2015 rate (21,698 đồng): 100 billion đồng = 4,608,719.70 USD.
    assert (adjust.adjust_no, adjust.capital_change_vnd, adjust.capital_change_usd) == (
        1,
        10**11,
        Decimal("8000000") - Decimal("4608719.70"),
    )
    assert AuditRecord.objects.count() == 640  # 440 events + 200 projects


def test_the_same_rows_again_change_nothing(hna_zone, hna_staff):
    rows = licence_rows(20, hna_zone)
    import_licences(rows, user=hna_staff, report=print)
    errors = []
    result = import_licences(rows, user=hna_staff, report=lambda *error: errors.append(error))
    assert (errors, result.created, result.updated, result.unchanged) == ([], 0, 0, 44)


def test_reports_all_or_nothing_then_create_and_update(hna_zone, hna_staff, django_assert_max_num_queries):
    import_licences(licence_rows(30, hna_zone), user=hna_staff, report=print)
    figures = {"revenue_vnd": 10**9, "employees": 100, "employees_foreign": 3}
    rows = [ReportRow(i + 2, f"54{i % 30:08d}", 2019 + i // 30, 2, dict(figures)) for i in range(60)]
    bad = [
        ReportRow(99, "5400000000", 2014, 1, {}),
        ReportRow(100, "5400000001", 2018, 1, {"employees": 1, "employees_foreign": 3}),
    ]
    errors = []
    with django_assert_max_num_queries(20):
        import_reports(rows + bad, user=hna_staff, report=lambda *error: errors.append(error))
    assert errors == [
        (99, "period", "Dự án được cấp mới ngày 01/01/2015, sau quý 2014-Q1."),
        (100, "employees_foreign", "Lao động nước ngoài không được lớn hơn tổng số lao động."),
    ]
    assert EnterpriseReport.objects.count() == 0
    assert import_reports(rows, user=hna_staff, report=errors.append).created == 60
    rows[0].figures["revenue_vnd"] = 2 * 10**9
    result = import_reports(rows, user=hna_staff, report=errors.append)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 59)
    assert EnterpriseReport.objects.get(project__code="5400000000", year=2019).version == 2


def test_field_limits_and_one_message_for_a_refused_issue(hna_zone, hna_staff):
    rows = licence_rows(2, hna_zone)
    issue = next(r for r in rows if r.event == "issue" and r.project_code == "5400000001")
    issue.capital_vnd = 10**20  # beyond the column's range
    adjust = next(r for r in rows if r.event == "adjust" and r.project_code == "5400000000")
    adjust.land_area_ha = Decimal("-1.5")
    errors = []
    import_licences(rows, user=hna_staff, report=lambda *error: errors.append(error))
    # The other rows of 5400000001 are not told "a new project needs its issue row": its issue row says why.
    assert sorted(errors) == [
        (issue.number, "capital_vnd", "Giá trị phải nhỏ hơn hoặc bằng 9223372036854775807."),
        (adjust.number, "land_area_ha", "Giá trị phải lớn hơn hoặc bằng 0."),
    ]
    assert Project.objects.count() == 0
