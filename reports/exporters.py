"""The Excel summary of one report snapshot (the report page's download, `manage.py report --format xlsx`).

A report for people, not the data-exchange workbook: a cover sheet, one sheet per indicator group
with the snapshot's figures (and, for a bloc or the nation, a table of the member boards with a
"Tổng cộng" row equal to the snapshot), a native bar chart, and the licence events counted in the
period. For a quarter, half or year the cover says who approved (a board) or how many members
approved (a bloc, the nation), and the members' table ends with each member's approval. Streamed
through a write-only workbook: the detail sheet may hold tens of thousands of rows.
What the reader sees is what the report page shows them: a bloc's figures and members' table to
every reader of the bloc, but the records behind them (the detail sheet) only of the boards the
reader may read, as the drill-down page (`boards`, see reports.services.downloads.visible_boards).
Numbers are written as numbers (no formulas) with formats Excel and LibreOffice show in the
reader's locale (1.234.567,89 under Vietnamese); text goes through kcn_portal.core.xlsx.safe_cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import IO
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference

from investment.enums import ProjectKind
from kcn_portal import periods
from kcn_portal.core import xlsx
from kcn_portal.core.xlsx import (
    BOLD,
    COVER_LABEL,
    COVER_VALUE,
    DECIMAL_FORMAT,
    INTEGER_FORMAT,
    NOTE_FONT,
    TITLE_FONT,
    TOTAL_FILL,
    WRAP,
    header_cells,
    print_landscape,
    set_widths,
    styled_cell,
)
from kcn_portal.indicators import ATTRACTION, COUNT, HA, PCT, PEOPLE, USD, VND, by_group
from zones.models import Board

from . import presentation, scopes
from .engine import sources
from .models import ReportSnapshot
from .selectors import approval as approval_selectors
from .selectors import deadlines

PCT_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
UNIT_FORMATS = {
    COUNT: INTEGER_FORMAT,
    PEOPLE: INTEGER_FORMAT,
    VND: INTEGER_FORMAT,
    USD: DECIMAL_FORMAT,
    HA: DECIMAL_FORMAT,
    PCT: PCT_FORMAT,
}
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")

# The indicator table of a group sheet: title (row 1), subtitle (2), header (3), indicators from row 4.
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
FIELDS = ("value", "previous", "growth_pct", "plan", "plan_pct")
# The bars of the attraction sheet's chart: this period against the same period last year.
CHART_CODES = ("new_projects", "new_projects_fdi", "new_projects_ddi")
PROGRESS_EVERY = 2000  # detail rows between two progress reports (one iterator chunk)


def file_name(snapshot: ReportSnapshot) -> str:
    """The download name of a snapshot's workbook, ASCII only: bao-cao-board-HNA-2019-v1.xlsx."""
    return f"bao-cao-{snapshot.scope.replace(':', '-')}-{snapshot.period}-v{snapshot.version}.xlsx"


class _Context:
    """What every sheet of one workbook needs: the snapshot, its scope and period, the member boards, and
    the boards whose records the reader may see (`visible`: their codes, None for every board)."""

    def __init__(self, snapshot: ReportSnapshot, visible: Collection[str] | None = None):
        self.snapshot = snapshot
        self.visible = None if visible is None else frozenset(visible)
        kind, _colon, code = snapshot.scope.partition(":")
        self.scope = scopes.Scope(kind, code)
        self.period = periods.parse(snapshot.period)
        codes = list(snapshot.members) or ([code] if kind == scopes.BOARD else [])
        self.boards = {board.code: board for board in Board.objects.filter(code__in=codes).order_by("code")}
        self.members = [code for code in codes if code in self.boards] if kind != scopes.BOARD else []
        if kind == scopes.BOARD:
            board = self.boards.get(code)
            self.scope_label = board.name if board else code
        else:
            self.scope_label = str(self.scope.label)
        # The members' (or the board's) approvals of a quarter, half or year, in one query; None for other periods.
        self.approvals = approval_selectors.member_approvals(self.period.code, codes) if self.marks else None

    @property
    def marks(self) -> bool:
        """Whether the workbook shows approvals: only for the periods a board approves."""
        return self.period.kind in deadlines.DEADLINE_KINDS

    def approval_text(self, code: str) -> str:
        """A member's approval cell: "Đã phê duyệt 05/03/2020" or "Chưa phê duyệt"."""
        approval = self.approvals.get(code)
        if approval is None:
            return _("Chưa phê duyệt")
        return _("Đã phê duyệt %(date)s") % {"date": presentation.local_day(approval.approved_at)}

    def approval_summary(self) -> str:
        """The cover's line: the board's approval, or "x/y Ban đã phê duyệt" (and final when all did)."""
        if self.scope.kind == scopes.BOARD:
            return presentation.board_approval_text(self.approvals.get(self.scope.code))
        approved = sum(1 for code in self.members if code in self.approvals)
        text = _("%(approved)s/%(total)s Ban đã phê duyệt") % {"approved": approved, "total": len(self.members)}
        if self.members and approved == len(self.members):
            text = _("%(text)s — tổng hợp chính thức") % {"text": text}
        return text

    @property
    def scope_text(self) -> str:
        return f"{self.snapshot.scope} — {self.scope_label}"

    @property
    def subtitle(self) -> str:
        return _("%(scope)s · %(period)s (%(start)s – %(end)s) · phiên bản %(version)s") % {
            "scope": self.scope_text,
            "period": self.period.label,
            "start": self.period.start.strftime("%d/%m/%Y"),
            "end": self.period.end.strftime("%d/%m/%Y"),
            "version": self.snapshot.version,
        }

    def board_ids(self) -> list[int]:
        """The boards whose records the detail sheet lists: the scope's, of those the reader may read."""
        codes = list(self.boards) if self.scope.kind == scopes.BOARD else self.members
        return [self.boards[code].pk for code in codes if self.visible is None or code in self.visible]

    @property
    def partial(self) -> bool:
        """Whether the detail sheet leaves out members the reader may not read (the page's "partial")."""
        codes = list(self.boards) if self.scope.kind == scopes.BOARD else self.members
        return self.visible is not None and any(code not in self.visible for code in codes)

    def listed_text(self) -> str:
        """The cover's line of a partial detail sheet: whose records it lists."""
        listed = [code for code in self.members if code in self.visible]
        return _("Chỉ liệt kê sự kiện của các Ban bạn được xem: %(boards)s.") % {
            "boards": ", ".join(listed) if listed else _("không Ban nào")
        }


COVER_LINE = 95  # characters of the cover's value column (width 100) per printed line


def _cover(wb, ctx: _Context) -> None:
    """The "Thông tin" sheet: what the report is, which version, the exchange-rate rule, the members."""
    ws = wb.create_sheet(title=_("Thông tin"))
    set_widths(ws, [26, 100])
    print_landscape(ws)  # the first page a ministry files: one page wide, like the figures' sheets
    snapshot = ctx.snapshot
    # To the minute, as shown: Excel has no time zones, so the wall-clock time in Việt Nam.
    generated = timezone.localtime(snapshot.generated_at, LOCAL_TIME).replace(tzinfo=None, second=0, microsecond=0)
    ws.append([styled_cell(ws, _("Báo cáo tổng hợp chỉ tiêu các KCN, KKT"), TITLE_FONT)])
    ws.append([])
    rows = [
        (_("Phạm vi"), ctx.scope_text, None),
        (_("Kỳ báo cáo"), f"{snapshot.period} — {ctx.period.label}", None),
        (_("Từ ngày"), snapshot.start, DATE_FORMAT),
        (_("Đến ngày"), snapshot.end, DATE_FORMAT),
        (_("Phiên bản"), snapshot.version, None),
        (_("Tính lúc"), generated, DATETIME_FORMAT),
        (_("Quy tắc tỷ giá"), snapshot.rate_rule, None),
        (_("Ghi chú"), _("Ô để trống: số liệu không có (không phải số 0)."), None),
    ]
    if ctx.marks:
        rows.append((_("Phê duyệt"), ctx.approval_summary(), None))
    if ctx.partial:
        rows.append((_("Chi tiết sự kiện"), ctx.listed_text(), None))
    for row, (label, value, number_format) in enumerate(rows, start=3):
        # A long value wraps in its 100-character column; a write-only sheet cannot size the row by itself.
        lines = math.ceil(len(str(value)) / COVER_LINE) if isinstance(value, str) else 1
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
        shown = styled_cell(ws, value, alignment=COVER_VALUE, number_format=number_format)
        ws.append([styled_cell(ws, label, BOLD, alignment=COVER_LABEL), shown])
    if ctx.members:
        ws.append([])
        label = _("Các Ban thành viên (%(count)s)") % {"count": len(ctx.members)}
        for index, code in enumerate(ctx.members):
            first = styled_cell(ws, label if index == 0 else None, BOLD)
            ws.append([first, xlsx.safe_cell(ws, f"{code} — {ctx.boards[code].name}")])


def _indicator_row(ws, indicator, item: dict) -> list:
    number_format = UNIT_FORMATS[indicator.unit]
    formats = (number_format, number_format, PCT_FORMAT, number_format, PCT_FORMAT)
    cells = [
        xlsx.safe_cell(ws, indicator.code),
        styled_cell(ws, str(indicator.name), alignment=WRAP),
        xlsx.safe_cell(ws, indicator.unit_label),
    ]
    cells += [_number(ws, item.get(field), fmt) for field, fmt in zip(FIELDS, formats, strict=True)]
    return cells


def _number(ws, value, number_format: str, font=None, fill=None):
    """A figure's cell, formatted for its unit even when empty (a figure typed in later shows alike)."""
    cell = styled_cell(ws, value, font, fill)
    cell.number_format = number_format
    return cell


def _members_table(ws, ctx: _Context, indicators: list, first_row: int) -> tuple[int, int]:
    """One row per member board with this period's values, then "Tổng cộng" (the snapshot's values).

    Returns the row numbers of the first and the last member row.
    """
    snapshot = ctx.snapshot
    ws.append([])
    ws.append([styled_cell(ws, _("Số liệu kỳ này theo từng Ban"), BOLD)])
    titles = [_("Mã Ban"), _("Ban quản lý")]
    titles += [f"{indicator.name} ({indicator.unit_label})" for indicator in indicators]
    if ctx.marks:
        titles.append(_("Phê duyệt"))  # last: the figures keep their columns
    ws.append(header_cells(ws, titles))
    ws.append([None, None, *(styled_cell(ws, indicator.code, NOTE_FONT) for indicator in indicators)])
    members_from = first_row + 4
    for code in ctx.members:
        values = snapshot.member_values.get(code, {})
        row = [xlsx.safe_cell(ws, code), xlsx.safe_cell(ws, ctx.boards[code].name)]
        row += [_number(ws, values.get(indicator.code), UNIT_FORMATS[indicator.unit]) for indicator in indicators]
        if ctx.marks:
            row.append(xlsx.safe_cell(ws, ctx.approval_text(code)))
        ws.append(row)
    # Numbers, not SUM formulas: a reader without recalculation sees them, and a ratio is not a sum.
    total = [styled_cell(ws, _("Tổng cộng"), BOLD, TOTAL_FILL), styled_cell(ws, ctx.scope_label, BOLD, TOTAL_FILL)]
    total += [
        _number(
            ws, snapshot.indicators.get(indicator.code, {}).get("value"), UNIT_FORMATS[indicator.unit], BOLD, TOTAL_FILL
        )
        for indicator in indicators
    ]
    ws.append(total)
    return members_from, members_from + len(ctx.members) - 1


def _chart(title: str, y_title: str) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.numFmt = INTEGER_FORMAT
    chart.y_axis.majorGridlines = None
    chart.width, chart.height = 16, 7.5
    return chart


def _add_charts(ws, ctx: _Context, rows: dict[str, int], members: tuple[int, int] | None) -> None:
    """The attraction sheet's charts: new projects this period vs last year; for a bloc, new projects per board."""
    # The catalogue starts with new_projects and its two parts, right under the header row, so
    # columns D (this period) and E (same period last year) of those rows take their titles from it.
    last = max(rows[code] for code in CHART_CODES)
    chart = _chart(_("Dự án cấp mới: kỳ này và cùng kỳ năm trước"), _("dự án"))
    chart.add_data(Reference(ws, min_col=4, max_col=5, min_row=HEADER_ROW, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=HEADER_ROW + 1, max_row=last))
    ws.add_chart(chart, "J3")
    if members and members[1] >= members[0]:
        per_board = _chart(_("Dự án cấp mới theo Ban"), _("dự án"))
        per_board.legend = None
        column = 3  # new_projects is the first indicator of the group, after board code and name
        per_board.add_data(Reference(ws, min_col=column, min_row=members[0], max_row=members[1]))
        per_board.set_categories(Reference(ws, min_col=1, min_row=members[0], max_row=members[1]))
        ws.add_chart(per_board, "N3")  # beside the first chart: columns J–M are 24 characters wide


def _group_sheet(wb, ctx: _Context, group: str, label: str, indicators: list) -> None:
    ws = wb.create_sheet(title=_sheet_title(label))
    if ctx.members:
        # The members' table puts a figure (up to quadrillions of đồng for the nation) in every column from C.
        set_widths(ws, [34, 60] + [24] * max(6, len(indicators)) + ([24] if ctx.marks else []))
    else:
        set_widths(ws, [34, 60, 10, 24, 24, 14, 24, 14])
    print_landscape(ws)
    ws.append([styled_cell(ws, label, TITLE_FONT)])
    ws.append([styled_cell(ws, ctx.subtitle, NOTE_FONT)])
    titles = [
        _("Mã chỉ tiêu"),
        _("Chỉ tiêu"),
        _("Đơn vị"),
        _("Kỳ này"),
        _("Cùng kỳ năm trước"),
        _("Tăng/giảm (%)"),
        _("Kế hoạch năm"),
        _("Đạt (% kế hoạch)"),
    ]
    ws.append(header_cells(ws, titles))
    rows = {}
    for offset, indicator in enumerate(indicators):
        rows[indicator.code] = FIRST_ROW + offset
        ws.append(_indicator_row(ws, indicator, ctx.snapshot.indicators.get(indicator.code, {})))
    members = None
    if ctx.members:
        members = _members_table(ws, ctx, indicators, FIRST_ROW + len(indicators))
    if group == ATTRACTION:
        _add_charts(ws, ctx, rows, members)


def _sheet_title(label: str) -> str:
    # Excel refuses these characters in a sheet name and more than 31 characters.
    for char in "[]:*?/\\":
        label = label.replace(char, " ")
    return label[:31]


def _detail_sheet(wb, ctx: _Context, report: Callable[[int], None], start: int, end: int) -> int:
    """Every licence event of the period of the scope's boards the reader may read, streamed; returns the
    number of rows."""
    columns = [
        (_("Mã Ban"), 9),
        (_("Mã khu"), 12),
        (_("Mã số dự án"), 14),
        (_("Tên dự án"), 48),
        (_("FDI/DDI"), 8),
        (_("Loại sự kiện"), 18),
        (_("Số GCNĐKĐT / quyết định"), 22),
        (_("Ngày"), 12),
        (_("Vốn đầu tư (đồng)"), 22),
        (_("Vốn đầu tư (USD)"), 18),
        (_("Vốn tăng/giảm (đồng)"), 22),
        (_("Vốn tăng/giảm (USD)"), 18),
        (_("Số tiền quy đổi theo tỷ giá"), 22),
    ]
    ws = xlsx.add_sheet(wb, _("Chi tiết sự kiện"), [title for title, _w in columns], [width for _t, width in columns])
    print_landscape(ws)
    ws.print_title_rows = "1:1"
    events = (
        sources.events_in(ctx.period, ctx.board_ids())
        .select_related("project__zone__board")
        .order_by("project__zone__board__code", "event_date", "project__code", "pk")
    )
    total = events.count()
    kinds = {ProjectKind.FDI: "FDI", ProjectKind.DDI: "DDI"}
    count = 0
    for event in events.iterator(chunk_size=2000):
        project = event.project
        derived = []
        if event.capital_vnd_derived:
            derived.append(_("VND quy đổi từ USD"))
        if event.capital_usd_derived:
            derived.append(_("USD quy đổi từ VND"))
        values = [
            (project.zone.board.code, None),
            (project.zone.code, None),
            (project.code, None),
            (event.project_name or project.name, None),
            (kinds.get(project.kind, project.kind), None),
            (str(event.label), None),
            (event.certificate_no, None),
            (event.event_date, DATE_FORMAT),
            (event.capital_vnd, INTEGER_FORMAT),
            (event.capital_usd, DECIMAL_FORMAT),
            (event.capital_change_vnd, INTEGER_FORMAT),
            (event.capital_change_usd, DECIMAL_FORMAT),
            ("; ".join(derived), None),
        ]
        ws.append([xlsx.safe_cell(ws, value, number_format=fmt) for value, fmt in values])
        count += 1
        if count % PROGRESS_EVERY == 0 and total:
            report(start + (end - start) * count // total)
    return count


def summary_workbook(
    snapshot: ReportSnapshot,
    handle: IO[bytes],
    progress: Callable[[int], None] | None = None,
    *,
    boards: Collection[str] | None = None,
) -> int:
    """Write the Excel summary of a report snapshot to a binary file handle; returns the detail rows written.

    `progress(percent)` (optional) is called now and then while the sheets are written. `boards`: the
    codes of the boards whose records the detail sheet may list (the reader's, as the drill-down page;
    reports.services.downloads.visible_boards); None lists every member's (the system, the ministry). The
    figures and the members' table are the snapshot's whatever `boards` is, as on the report page.
    Side effects: reads the member boards and streams the period's licence events from the database;
    writes only to `handle`.
    """
    report = progress or (lambda percent: None)
    report(5)
    ctx = _Context(snapshot, boards)
    wb = xlsx.new_workbook()
    _cover(wb, ctx)
    groups = by_group()
    for index, (group, label, indicators) in enumerate(groups, start=1):
        _group_sheet(wb, ctx, group, label, indicators)
        report(5 + 15 * index // len(groups))
    rows = _detail_sheet(wb, ctx, report, 20, 90)
    report(90)
    xlsx.save_workbook(wb, handle)
    report(95)
    return rows
