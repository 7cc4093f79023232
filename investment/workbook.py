"""The `licences` and `enterprise_reports` sheets of the data-exchange workbook (DOMAIN.md §6).

Both sheets can hold thousands of rows in any order, so rows are not written one by one:
import_row converts each row and keeps it (DEFERRED), and finish() hands them to the bulk
writers of investment.services.bulk, which validate them with the ledger's rules, write them all in a
fixed number of queries, and report errors by row and column. Rows are matched by their natural keys
(project code + event + certificate number; project code + period), so re-importing a file
changes nothing. Export writes exactly what an import reads back: export → import into an
empty database → export gives identical sheets. Found and registered by kcn_portal.core.workbook.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kcn_portal.core.workbook import (
    DATE,
    DECIMAL,
    DEFERRED,
    INTEGER,
    Column,
    ImportContext,
    Row,
    SheetHandler,
    register,
)

from . import ledger
from .enums import EventKind
from .models import REPORT_FIGURES
from .quarters import QUARTER_CODE
from .selectors import enterprise_reports as enterprise_report_selectors
from .selectors import licences as licence_selectors
from .services import bulk

# Optional columns: when the header lacks one, stored events keep their value for it.
KEPT_WHEN_ABSENT = ("land_area_ha", "note")


@dataclass
class _Pending:
    """The rows of one sheet kept for finish(), and where the sheet's errors start in the result."""

    first_error: int
    rows: list = field(default_factory=list)
    keys: dict[int, tuple] = field(default_factory=dict)  # row number -> natural key
    absent: tuple[str, ...] = ()


def _pending(ctx: ImportContext, handler: SheetHandler, row: Row, kept: tuple[str, ...] = ()) -> _Pending:
    if handler.name not in ctx.cache:
        # Columns are the same on every row; a missing optional one is missing on the first.
        absent = tuple(key for key in kept if key not in row.values)
        ctx.cache[handler.name] = _Pending(first_error=row.first_error, absent=absent)
    return ctx.cache[handler.name]


def _finish_errors(ctx: ImportContext, handler: SheetHandler, pending: _Pending) -> bool:
    """List the sheet's errors by row, then left to right, and remember the refused rows' keys.

    Returns whether the sheet had any error.
    """
    errors = ctx.result.errors
    mine = errors[pending.first_error :]
    order = {column.key: index for index, column in enumerate(handler.columns)}
    mine.sort(key=lambda error: (error.row or 0, order.get(error.column, -1)))
    errors[pending.first_error :] = mine
    failed = ctx.failed.setdefault(handler.name, set())
    for error in mine:
        if error.row in pending.keys:
            failed.add(pending.keys[error.row])
    return bool(mine)


class LicencesSheet(SheetHandler):
    name = "licences"
    order = 30
    label = _l("Giấy chứng nhận đăng ký đầu tư")
    columns = (
        Column("project_code", width=14, title=_l("Mã số dự án")),
        Column("project_name", width=48, title=_l("Tên dự án")),
        Column("zone_code", width=14, title=_l("Mã khu")),
        Column("investor_name", width=40, title=_l("Tên nhà đầu tư")),
        Column("investor_country", width=10, title=_l("Quốc gia nhà đầu tư (ISO)")),
        Column("kind", width=8, title=_l("Loại dự án (fdi/ddi)")),
        Column("event", width=11, title=_l("Sự kiện (issue/adjust/terminate)")),
        Column("certificate_no", width=22, title=_l("Số giấy chứng nhận")),
        Column("event_date", kind=DATE, width=13, title=_l("Ngày cấp")),
        Column("capital_vnd", kind=INTEGER, width=22, title=_l("Vốn đầu tư (đồng)")),
        Column("capital_usd", kind=DECIMAL, width=18, title=_l("Vốn đầu tư (USD)")),
        Column("land_area_ha", kind=DECIMAL, required=False, width=12, title=_l("Diện tích đất (ha)")),
        Column("note", required=False, width=40, title=_l("Ghi chú")),
    )
    key_columns = ("project_code", "event", "certificate_no")
    example = {
        "project_code": "5499000001",
        "project_name": "Nhà máy linh kiện Ví Dụ",
        "zone_code": "VD-KCN1",
        "investor_name": "Công ty TNHH Ví Dụ",
        "investor_country": "KR",
        "kind": "fdi",
        "event": "issue",
        "certificate_no": "5499000001-GCN",
        "event_date": datetime.date(2021, 3, 15),
        "capital_vnd": 230_000_000_000,
        "capital_usd": Decimal("10000000"),
        "land_area_ha": Decimal("2.5"),
        "note": None,
    }

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        values = row.values
        pending = _pending(ctx, self, row, KEPT_WHEN_ABSENT)
        # A row whose cells could not all be read still goes to the bulk check (with those columns
        # marked invalid), so every other problem of the row is listed too; the import fails anyway.
        pending.rows.append(
            bulk.LicenceRow(
                number=row.number,
                project_code=values.get("project_code") or "",
                project_name=values.get("project_name") or "",
                zone_code=values.get("zone_code") or "",
                investor_name=" ".join((values.get("investor_name") or "").split()),
                investor_country=(values.get("investor_country") or "").upper(),
                kind=values.get("kind") or "",
                event=values.get("event") or "",
                certificate_no=values.get("certificate_no") or "",
                event_date=values.get("event_date"),
                capital_vnd=values.get("capital_vnd"),
                capital_usd=values.get("capital_usd"),
                land_area_ha=values.get("land_area_ha"),
                note=values.get("note") or "",
                invalid=set(row.invalid),
            )
        )
        pending.keys[row.number] = tuple(values.get(key) for key in self.key_columns)
        return DEFERRED

    def finish(self, ctx: ImportContext) -> dict[str, int] | None:
        pending = ctx.cache.get(self.name)
        if pending is None:
            return None
        if pending.absent:
            self._keep_stored(pending, ctx)

        def report(number, column, message):
            ctx.error(self.name, number, column, message)

        result = bulk.import_licences(
            pending.rows, user=ctx.user, source=ctx.source, report=report, changed=_recorder(ctx, self.name)
        )
        failed = _finish_errors(ctx, self, pending)
        # The enterprise_reports sheet must not call these projects unknown: they are, because
        # this sheet was refused, and its errors already say why.
        ctx.cache["licences.unwritten_codes"] = {row.project_code for row in pending.rows} if failed else set()
        ctx.cache["licences.unwritten_codes"] |= {key[0] for key in ctx.failed.get(self.name, ())}
        return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}

    def _keep_stored(self, pending: _Pending, ctx: ImportContext) -> None:
        """Give rows the stored values of the optional columns the file does not carry (one query)."""
        codes = {row.project_code for row in pending.rows}
        stored = {
            (event.project.code, event.kind, event.certificate_no.casefold()): event
            for event in licence_selectors.event_list(user=ctx.user).filter(project__code__in=codes)
        }
        for row in pending.rows:
            event = stored.get((row.project_code, row.event, row.certificate_no.casefold()))
            if event is not None:
                if "land_area_ha" in pending.absent:
                    row.land_area_ha = event.land_area_ha
                if "note" in pending.absent:
                    row.note = event.note

    def export_rows(self, *, user, boards):
        events = licence_selectors.event_list(user=user).select_related("project__zone", "investor")
        if boards is not None:
            events = events.filter(project__zone__board__code__in=boards)
        events = events.order_by("project__code", "event_date", "certificate_no")
        for _code, group in groupby(events.iterator(chunk_size=2000), key=lambda event: event.project.code):
            for event in ledger.ordered(group):
                yield self._export_row(event)

    @staticmethod
    def _export_row(event) -> dict:
        project = event.project
        investor = event.investor  # every writer names the certificate's investor on each event
        terminate = event.kind == EventKind.TERMINATE
        return {
            # Text, not a number: leading zeros of a code are significant.
            "project_code": project.code,
            "project_name": event.project_name,
            "zone_code": project.zone.code,
            "investor_name": investor.name if investor else None,
            "investor_country": investor.country.code if investor else None,
            "kind": project.kind,
            "event": event.kind,
            "certificate_no": event.certificate_no,
            "event_date": event.event_date,
            # A derived amount is left empty: the importer derives it again from the same catalogue.
            "capital_vnd": None if terminate or event.capital_vnd_derived else event.capital_vnd,
            "capital_usd": None if terminate or event.capital_usd_derived else event.capital_usd,
            "land_area_ha": event.land_area_ha,
            "note": event.note or None,
        }


class EnterpriseReportsSheet(SheetHandler):
    name = "enterprise_reports"
    order = 40
    label = _l("Báo cáo quý của doanh nghiệp")
    columns = (
        Column("project_code", width=14, title=_l("Mã số dự án")),
        Column("period", width=10, title=_l("Kỳ báo cáo (YYYY-QN)")),
        Column("revenue_vnd", kind=INTEGER, width=22, title=_l("Doanh thu (đồng)")),
        Column("production_value_vnd", kind=INTEGER, width=22, title=_l("Giá trị sản xuất (đồng)")),
        Column("export_usd", kind=DECIMAL, width=18, title=_l("Xuất khẩu (USD)")),
        Column("import_usd", kind=DECIMAL, width=18, title=_l("Nhập khẩu (USD)")),
        Column("budget_vnd", kind=INTEGER, width=20, title=_l("Nộp ngân sách (đồng)")),
        Column("employees", kind=INTEGER, width=11, title=_l("Số lao động")),
        Column("employees_foreign", kind=INTEGER, width=11, title=_l("Lao động nước ngoài")),
        Column("implemented_capital_vnd", kind=INTEGER, width=22, title=_l("Vốn thực hiện (đồng)")),
        Column("implemented_capital_usd", kind=DECIMAL, width=18, title=_l("Vốn thực hiện (USD)")),
    )
    key_columns = ("project_code", "period")
    example = {
        "project_code": "5499000001",
        "period": "2021-Q2",
        "revenue_vnd": 12_500_000_000,
        "production_value_vnd": 11_000_000_000,
        "export_usd": Decimal("450000"),
        "import_usd": Decimal("120000.50"),
        "budget_vnd": 350_000_000,
        "employees": 120,
        "employees_foreign": 4,
        "implemented_capital_vnd": 46_000_000_000,
        "implemented_capital_usd": None,
    }

    def import_row(self, row: Row, ctx: ImportContext) -> str | None:
        values = row.values
        pending = _pending(ctx, self, row)
        period = (values.get("period") or "").upper()
        match = QUARTER_CODE.match(period)
        if match is None and "period" not in row.invalid:
            ctx.row_error(
                row,
                "period",
                _("Kỳ báo cáo '%(value)s' không hợp lệ: cần dạng YYYY-QN, ví dụ 2019-Q3.") % {"value": period},
            )
            row.invalid.add("period")
        pending.rows.append(
            bulk.ReportRow(
                number=row.number,
                project_code=values.get("project_code") or "",
                year=int(match[1]) if match else None,
                quarter=int(match[2]) if match else None,
                figures={name: values[name] for name in REPORT_FIGURES if name in values},
                invalid=set(row.invalid),
            )
        )
        pending.keys[row.number] = tuple(values.get(key) for key in self.key_columns)
        return DEFERRED

    def finish(self, ctx: ImportContext) -> dict[str, int] | None:
        pending = ctx.cache.get(self.name)
        if pending is None:
            return None
        unwritten = ctx.cache.get("licences.unwritten_codes", set())
        codes = {row.number: row.project_code for row in pending.rows}

        def report(number, column, message):
            code = codes.get(number)
            # A project on a refused row of the licences sheet: that sheet's errors say why it is missing.
            if column == "project_code" and code in unwritten and message == _unknown_project(code):
                return
            ctx.error(self.name, number, column, message)

        result = bulk.import_reports(
            pending.rows, user=ctx.user, source=ctx.source, report=report, changed=_recorder(ctx, self.name)
        )
        _finish_errors(ctx, self, pending)
        return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}

    def export_rows(self, *, user, boards):
        reports = enterprise_report_selectors.report_list(user=user)
        if boards is not None:
            reports = reports.filter(project__zone__board__code__in=boards)
        for report in reports.order_by("project__code", "year", "quarter").iterator(chunk_size=2000):
            yield {
                "project_code": report.project.code,
                "period": report.period,
                **{name: getattr(report, name) for name in REPORT_FIGURES},
            }


def _recorder(ctx: ImportContext, sheet: str):
    """The bulk writers' `changed` callback: each added or changed row goes to the preview."""

    def changed(number, action, key, fields):
        ctx.change(sheet, number, action, key, fields)

    return changed


def _unknown_project(code: str) -> str:
    # The message investment.services.bulk.import_reports gives a project it cannot find.
    return _("Không có dự án mã số '%(code)s'.") % {"code": code}


register(LicencesSheet())
register(EnterpriseReportsSheet())
