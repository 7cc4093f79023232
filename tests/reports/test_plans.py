"""Annual plans: the plan_set service, the plan_list selector and the `plans` sheet of the workbook."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kcn_portal.core.models import AuditRecord
from kcn_portal.core.workbook import RowError, export_workbook, import_workbook
from reports.models import Plan
from reports.selectors import plans as plan_selectors
from reports.services.plans import plan_set
from tests.fixtures.workbooks import PLANS_HEADER, build_workbook, read_sheets

pytestmark = pytest.mark.django_db


def set_plan(user, board, value="40", indicator="new_projects", year=2025):
    return plan_set(user=user, board=board, year=year, indicator=indicator, value=Decimal(value))


def test_a_leader_sets_a_plan_audited(hna, hna_leader):
    plan, outcome = set_plan(hna_leader, hna)
    assert (outcome, plan.value, plan.updated_by) == ("created", Decimal("40"), hna_leader)
    record = AuditRecord.objects.get()
    assert (record.model, record.action, record.actor, record.board, record.changes["value"]) == (
        "reports.plan",
        "create",
        hna_leader,
        hna,
        [None, "40"],
    )


def test_an_equal_value_changes_nothing_and_a_new_one_is_an_update(hna, hna_leader):
    set_plan(hna_leader, hna, "40")
    assert set_plan(hna_leader, hna, "40.00")[1] == "unchanged"
    assert set_plan(hna_leader, hna, "45")[1] == "updated"
    created = {
        "board": [None, hna.pk],
        "indicator": [None, "new_projects"],
        "value": [None, "40"],
        "year": [None, 2025],
    }
    assert list(AuditRecord.objects.order_by("pk").values_list("action", "changes")) == [
        ("create", created),
        ("update", {"value": ["40", "45"]}),
    ]


def test_staff_may_not_set_plans(hna, hna_staff):
    with pytest.raises(PermissionDenied, match=r"^Chỉ lãnh đạo Ban được đặt kế hoạch năm\.$"):
        set_plan(hna_staff, hna)
    assert Plan.objects.count() == 0


def test_the_indicator_must_be_in_the_catalogue(hna):
    with pytest.raises(ValidationError) as exc:
        set_plan(None, hna, indicator="profit_vnd")
    assert exc.value.message_dict == {"indicator": ["Không có chỉ tiêu mã 'profit_vnd' trong danh mục."]}


def test_plan_list_is_scoped_to_readable_boards(hna, tbh, hna_staff):
    set_plan(None, hna)
    set_plan(None, tbh, "7")
    assert [p.board.code for p in plan_selectors.plan_list(user=hna_staff)] == ["HNA"]
    assert [p.board.code for p in plan_selectors.plan_list(user=None, boards=["TBH"])] == ["TBH"]


# --- the plans sheet ---------------------------------------------------------------------------

ROWS = [PLANS_HEADER, ("HNA", 2025, "new_projects", 40), ("HNA", 2025, "export_usd", "1250000000.5")]


def import_plans(tmp_path, rows, user=None):
    return import_workbook(build_workbook(tmp_path / "p.xlsx", {"plans": rows}), user=user)


def test_a_leader_imports_plans_and_reimport_changes_nothing(tmp_path, hna, hna_leader):
    result = import_plans(tmp_path, ROWS, hna_leader)
    assert (result.errors, vars(result.sheets["plans"])) == ([], {"created": 2, "updated": 0, "unchanged": 0})
    assert Plan.objects.get(indicator="export_usd").value == Decimal("1250000000.50")
    assert vars(import_plans(tmp_path, ROWS, hna_leader).sheets["plans"]) == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }


def test_plan_rows_are_refused_with_exact_errors(tmp_path, hna, tbh, hna_staff):
    rows = [
        PLANS_HEADER,
        ("HNA", 2025, "new_projects", 40),
        ("TBH", 2025, "new_projects", 1),
        ("HNA", 1999, "nope", "x"),
    ]
    result = import_plans(tmp_path, rows, hna_staff)
    assert result.errors == [
        RowError("plans", 2, "board_code", "Chỉ lãnh đạo Ban được đặt kế hoạch năm."),
        RowError("plans", 3, "board_code", "Không có Ban quản lý mã 'TBH'."),
        RowError("plans", 4, "value", "Phải là một số, ví dụ 1.234.567,89 hoặc 1234567.89, không phải 'x'."),
    ]
    assert Plan.objects.count() == 0


def test_plan_values_are_validated_by_the_model(tmp_path, hna):
    result = import_plans(tmp_path, [PLANS_HEADER, ("HNA", 1999, "nope", 5), ("HNA", 2025, "new_projects", None)])
    assert [str(error) for error in result.errors] == [
        "plans!2 year: Giá trị phải lớn hơn hoặc bằng 2000.",
        "plans!2 indicator: Không có chỉ tiêu mã 'nope' trong danh mục.",
        "plans!3 value: Trường này không thể để trống.",
    ]


def test_export_writes_the_plans_of_readable_boards(tmp_path, hna, tbh, hna_leader):
    set_plan(None, hna, "1250000000.5", "export_usd")
    set_plan(None, hna, "40")
    set_plan(None, tbh, "7")
    export_workbook(tmp_path / "out.xlsx", user=hna_leader)
    assert read_sheets(tmp_path / "out.xlsx")["plans"] == [
        PLANS_HEADER,
        ("HNA", 2025, "export_usd", 1250000000.5),
        ("HNA", 2025, "new_projects", 40),
    ]
