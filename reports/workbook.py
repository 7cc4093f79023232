"""The `plans` sheet of the data-exchange workbook (DOMAIN.md §6): a board's annual targets.

Rows are matched by (board, year, indicator) and written through reports.services.plans.plan_set,
which leaves an equal value untouched, so re-importing a file changes nothing. Found and
registered by kcn_portal.core.workbook.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kcn_portal.core.workbook import DECIMAL, INTEGER, UNCHANGED, Column, ImportContext, Row, SheetHandler, register
from zones import selectors as zone_selectors

from .models import Plan
from .selectors import plans as plan_selectors
from .services import plans as plan_services


class PlansSheet(SheetHandler):
    name = "plans"
    order = 50
    label = _l("Kế hoạch năm")
    columns = (
        Column("board_code", field="board", width=12, title=_l("Mã Ban quản lý")),
        Column("year", kind=INTEGER, width=8, title=_l("Năm")),
        Column("indicator", width=36, title=_l("Chỉ tiêu")),
        Column("value", kind=DECIMAL, width=20, title=_l("Giá trị kế hoạch")),
    )
    key_columns = ("board_code", "year", "indicator")
    example = {"board_code": "VD", "year": 2021, "indicator": "new_projects", "value": Decimal("5")}

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        if "plans.boards" not in ctx.cache:
            # Built on the sheet's first row, so it sees the boards this file created.
            ctx.cache["plans.boards"] = zone_selectors.board_index(user=ctx.user)
        code = row.values.get("board_code")
        board = ctx.cache["plans.boards"].get(code)
        if board is None:
            if not code:
                ctx.row_error(row, "board_code", _("Cần nhập mã Ban quản lý."))
            elif not ctx.failed_key("boards", code):
                ctx.row_error(row, "board_code", _("Không có Ban quản lý mã '%(code)s'.") % {"code": code})
            return None
        if row.invalid:
            return None  # an unreadable year or value: already reported, nothing to check it against
        if "plans.stored" not in ctx.cache:
            # The values before the file, for the preview's before → after (one query).
            ctx.cache["plans.stored"] = {
                (plan.board_id, plan.year, plan.indicator): plan.value
                for plan in Plan.objects.filter(board__in=list(ctx.cache["plans.boards"].values()))
            }
        key = (board.pk, row.values.get("year"), (row.values.get("indicator") or "").strip())
        try:
            plan, outcome = plan_services.plan_set(
                user=ctx.user,
                board=board,
                year=row.values.get("year"),
                indicator=row.values.get("indicator") or "",
                value=row.values.get("value"),
                source=ctx.source,
            )
        except PermissionDenied as exc:
            ctx.row_error(row, "board_code", str(exc))
            return None
        except ValidationError as exc:
            self.report_exception(exc, row, ctx)
            return None
        if outcome != UNCHANGED:
            before = ctx.cache["plans.stored"].get(key)
            ctx.change(
                self.name, row.number, outcome, (code, plan.year, plan.indicator), [("value", before, plan.value)]
            )
        return outcome

    def export_rows(self, *, user, boards):
        for plan in plan_selectors.plan_list(user=user, boards=boards):
            yield {"board_code": plan.board.code, "year": plan.year, "indicator": plan.indicator, "value": plan.value}


register(PlansSheet())
