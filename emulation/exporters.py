"""Excel workbooks of the emulation app: a round's score sheet and the year's award statistics.

Reports for people (DOMAIN.md §5 "Emulation", §8), written like reports.exporters: Vietnamese headers,
numbers as numbers (no formulas) with formats Excel and LibreOffice show in the reader's locale
(1.234,50 under Vietnamese), text through kcn_portal.core.xlsx.safe_cell so that formula-looking
names stay text. The workbooks are small (a bloc has about a dozen members, a year a few hundred
decisions), so they are built in memory: that allows merged, two-level headers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kcn_portal.core import xlsx
from zones import access as zones_access

from . import selectors, services
from .enums import AwardKind, AwardLevel, RecipientKind, RoundKind, RoundStatus
from .models import AwardDecision, AwardTitle, Recipient, ScoringRound

POINTS_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TITLE_FONT = Font(bold=True, size=13)
NOTE_FONT = Font(italic=True, color="595959")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP = Alignment(wrap_text=True, vertical="top")
ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _cell(ws, value, *, font=None, fill=None, alignment=None, number_format=None):
    """A formula-safe cell (kcn_portal.core.xlsx.safe_cell) with optional styling."""
    cell = xlsx.safe_cell(ws, value, number_format=number_format)
    if number_format:
        cell.number_format = number_format  # also on an empty cell: a figure typed in later shows alike
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _header(ws, value):
    return _cell(ws, value, font=BOLD, fill=HEADER_FILL, alignment=HEADER_ALIGN)


def _widths(ws, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _points_text(value: Decimal) -> str:
    """Points in Vietnamese writing for a header: 12,5 ; 10."""
    return f"{value.normalize():f}".replace(".", ",")


def _local(moment):
    # Excel has no time zones: the wall-clock time in Việt Nam, to the minute.
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0) if moment else None


def _new_workbook(title: str, subject: str) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.subject = subject
    wb.properties.creator = "KCN Portal"
    wb.properties.language = "vi-VN"
    return wb


def _landscape(ws) -> None:
    """A4 landscape, one page wide (the bloc files its results on paper too)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# --- the score sheet of a round ---------------------------------------------------------------------


def score_sheet_name(scoring_round: ScoringRound) -> str:
    """The download name, ASCII only: bang-diem-DBSH-2025-year-end.xlsx."""
    bloc_year = scoring_round.bloc_year
    return f"bang-diem-{bloc_year.bloc.code}-{bloc_year.year}-{scoring_round.kind.replace('_', '-')}.xlsx"


def _frozen(scoring_round: ScoringRound) -> bool:
    return scoring_round.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED)


def _score_cover(wb, scoring_round: ScoringRound, members: int) -> None:
    bloc_year = scoring_round.bloc_year
    ws = wb.create_sheet(title=_("Thông tin"))
    _widths(ws, [26, 90])
    ws.append([_cell(ws, _("Bảng tổng hợp điểm thi đua"), font=TITLE_FONT)])
    ws.append([])
    board = lambda b: f"{b.code} — {b.name}" if b else ""  # noqa: E731
    note = (
        _("Xếp hạng đã chốt khi khóa chấm (tổng điểm = điểm thẩm định + điểm thưởng − điểm trừ).")
        if _frozen(scoring_round)
        else _("Đợt chấm chưa khóa: tổng điểm và xếp hạng tạm tính theo điểm thẩm định hiện có.")
    )
    rows = [
        (_("Khối thi đua"), f"{bloc_year.bloc.code} — {bloc_year.bloc.name}", None),
        (_("Bộ quản lý"), bloc_year.bloc.ministry, None),
        (_("Năm"), bloc_year.year, None),
        (_("Đợt chấm"), str(RoundKind(scoring_round.kind).label), None),
        (_("Trạng thái"), str(RoundStatus(scoring_round.status).label), None),
        (_("Mở từ ngày"), scoring_round.opens_on, DATE_FORMAT),
        (_("Hạn chấm"), scoring_round.closes_on, DATE_FORMAT),
        (_("Khóa chấm lúc"), _local(scoring_round.closed_at), DATETIME_FORMAT),
        (_("Công bố lúc"), _local(scoring_round.published_at), DATETIME_FORMAT),
        (_("Khối trưởng"), board(bloc_year.leader), None),
        (_("Khối phó"), board(bloc_year.deputy), None),
        (_("Số thành viên"), members, None),
        (_("Ghi chú"), note, None),
    ]
    for label, value, number_format in rows:
        ws.append([_cell(ws, label, font=BOLD), _cell(ws, value, alignment=WRAP, number_format=number_format)])


def _criteria_sheet(wb, groups) -> None:
    """The table's criteria in full (the score sheet's headers carry only their numbers)."""
    columns = [(_("Nhóm"), 40), (_("Số hiệu"), 9), (_("Tiêu chí"), 70), (_("Điểm chuẩn"), 12)]
    ws = xlsx.add_sheet(wb, _("Tiêu chí"), [t for t, _w in columns], [w for _t, w in columns])
    for group in groups:
        for criterion in group.criteria.all():
            ws.append([
                _cell(ws, f"{group.order}. {group.name}", alignment=WRAP),
                _cell(ws, criterion.code),
                _cell(ws, criterion.name, alignment=WRAP),
                _cell(ws, criterion.max_points, number_format=POINTS_FORMAT),
            ])  # fmt: skip


@dataclass(frozen=True)
class _Column:
    """One pair of score columns (self, reviewed): a criterion or a group's subtotal."""

    criterion_ids: tuple[int, ...]
    label: str
    subtotal: bool


def _score_columns(groups) -> list[tuple[object, list[_Column]]]:
    layout = []
    for group in groups:
        criteria = list(group.criteria.all())
        columns = [
            _Column((c.pk,), _("%(code)s (%(max)s điểm)") % {"code": c.code, "max": _points_text(c.max_points)}, False)
            for c in criteria
        ]
        group_max = sum((c.max_points for c in criteria), Decimal("0"))
        columns.append(
            _Column(
                tuple(c.pk for c in criteria),
                _("Cộng nhóm %(n)s (%(max)s điểm)") % {"n": group.order, "max": _points_text(group_max)},
                True,
            )
        )
        layout.append((group, columns))
    return layout


def score_sheet(scoring_round: ScoringRound, out: IO[bytes]) -> None:
    """Write "Bảng tổng hợp điểm thi đua" of a round to `out`: a cover, the scores, the criteria.

    One row per member (rank order once the round is closed, else the bloc's member order), per
    criterion the self and reviewed points, group subtotals, bonus, penalty, total, rank and tie note:
    the frozen RankingEntry rows of a closed round, else services.ranking_preview. Reads only.
    """
    bloc_year = scoring_round.bloc_year
    table = selectors.table_of(bloc_year)
    groups = list(table.groups.all()) if table else []
    members = selectors.members(bloc_year)
    if _frozen(scoring_round):
        figures = {entry.board_id: entry for entry in scoring_round.ranking.all()}
    else:
        figures = {card.board_id: card for card in services.ranking_preview(scoring_round)} if table else {}
    cards = {
        card.board_id: card
        for card in selectors.scorecards(user=None, scoring_round=scoring_round).prefetch_related("scores")
    }
    if _frozen(scoring_round):
        members.sort(key=lambda b: (figures[b.pk].rank, b.code) if b.pk in figures else (10**6, b.code))

    title = _("Bảng tổng hợp điểm thi đua")
    wb = _new_workbook(f"{title} {bloc_year.bloc.code} {bloc_year.year}", f"{bloc_year.bloc.name} – {bloc_year.year}")
    _score_cover(wb, scoring_round, len(members))
    ws = wb.create_sheet(title=_("Bảng điểm"))
    _landscape(ws)
    layout = _score_columns(groups)
    lead = [_("STT"), _("Mã Ban"), _("Ban quản lý")]
    tail = [_("Tổng tự chấm"), _("Tổng thẩm định"), _("Điểm thưởng"), _("Điểm trừ"), _("Tổng điểm"),
            _("Xếp hạng"), _("Ghi chú xếp hạng")]  # fmt: skip
    # Three header rows: group, criterion (number and max points), then "Tự chấm" / "Thẩm định".
    rows = [
        [_header(ws, text) for text in lead],
        [_header(ws, None) for _t in lead],
        [_header(ws, None) for _t in lead],
    ]
    merges = []
    column = len(lead) + 1
    for group, columns in layout:
        span = 2 * len(columns)
        rows[0] += [_header(ws, f"{group.order}. {group.name}")] + [_header(ws, None) for _i in range(span - 1)]
        merges.append((1, column, 1, column + span - 1))
        for item in columns:
            rows[1] += [_header(ws, item.label), _header(ws, None)]
            merges.append((2, column, 2, column + 1))
            rows[2] += [_header(ws, _("Tự chấm")), _header(ws, _("Thẩm định"))]
            column += 2
    for text in tail:
        rows[0].append(_header(ws, text))
        rows[1].append(_header(ws, None))
        rows[2].append(_header(ws, None))
    for row in rows:
        ws.append(row)
    for index in [*range(1, len(lead) + 1), *range(column, column + len(tail))]:
        merges.append((1, index, 3, index))
    for top, left, bottom, right in merges:
        if (top, left) != (bottom, right):
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)

    for number, board in enumerate(members, start=1):
        card = cards.get(board.pk)
        lines = {line.criterion_id: line for line in card.scores.all()} if card else {}
        row = [_cell(ws, number), _cell(ws, board.code), _cell(ws, board.name)]
        for _group, columns in layout:
            for item in columns:
                found = [lines[pk] for pk in item.criterion_ids if pk in lines]
                own = [line.self_points for line in found if line.self_points is not None]
                reviewed = [line.reviewed_points for line in found if line.reviewed_points is not None]
                if item.subtotal:  # a subtotal of what is there; blank when nothing is
                    pair = (sum(own) if own else None, sum(reviewed) if reviewed else None)
                else:
                    pair = (own[0] if own else None, reviewed[0] if reviewed else None)
                style = {"font": BOLD, "fill": GROUP_FILL} if item.subtotal else {}
                row += [_cell(ws, value, number_format=POINTS_FORMAT, **style) for value in pair]
        figure = figures.get(board.pk)
        values = (
            (figure.self_points, figure.reviewed_points, figure.bonus, figure.penalty, figure.total)
            if figure
            else (None,) * 5
        )
        row += [_cell(ws, value, number_format=POINTS_FORMAT) for value in values[:4]]
        row.append(_cell(ws, values[4], number_format=POINTS_FORMAT, font=BOLD))
        row.append(_cell(ws, figure.rank if figure else None, font=BOLD))
        row.append(_cell(ws, figure.tie_note if figure else "", alignment=WRAP))
        ws.append(row)
    ws.freeze_panes = "D4"
    ws.print_title_rows = "1:3"
    _widths(ws, [5, 8, 40] + [11] * (column - len(lead) - 1) + [11, 11, 10, 10, 11, 9, 40])
    ws.row_dimensions[1].height = 45
    ws.row_dimensions[2].height = 30
    _criteria_sheet(wb, groups)
    wb.save(out)


# --- award statistics of a year ----------------------------------------------------------------------


COLLECTIVE = (RecipientKind.BOARD, RecipientKind.UNIT)


def award_statistics_name(year: int) -> str:
    return f"thong-ke-khen-thuong-{year}.xlsx"


def _decisions(user, year: int) -> list[AwardDecision]:
    """The year's decisions naming a recipient of a board the user reads, with only those recipients."""
    boards = zones_access.readable_boards(user)
    recipients = Recipient.objects.filter(board__in=boards).select_related("board").order_by("board__code", "name")
    return list(
        AwardDecision.objects.filter(year=year, recipients__board__in=boards)
        .distinct()
        .select_related("title", "movement")
        .prefetch_related(Prefetch("recipients", queryset=recipients))
        .order_by("date", "number", "pk")
    )


@dataclass
class _Counts:
    decisions: int = 0
    collective: int = 0
    individual: int = 0

    @property
    def total(self) -> int:
        return self.collective + self.individual

    def add(self, other: _Counts) -> None:
        self.decisions += other.decisions
        self.collective += other.collective
        self.individual += other.individual


def _stat_row(ws, number, label, level, counts: _Counts, *, font=None, fill=None) -> list:
    cells = [_cell(ws, number, font=font, fill=fill), _cell(ws, label, font=font, fill=fill, alignment=WRAP),
             _cell(ws, level, font=font, fill=fill)]  # fmt: skip
    for value in (counts.decisions, counts.collective, counts.individual, counts.total):
        cells.append(_cell(ws, value, number_format=COUNT_FORMAT, font=font, fill=fill))
    return cells


def award_statistics(year: int, out: IO[bytes], *, user) -> None:
    """Write "Thống kê khen thưởng năm …" to `out`: counts per title and form, then every decision.

    Counts the decisions whose year of achievement is `year` and their recipients in the boards the
    user reads (zones.access.readable_boards; the ministry and administrators: all). A recipient
    counts once per decision (lượt). Titles of the catalogue with no decision show zeros. Reads only.
    """
    decisions = _decisions(user, year)
    counts: dict[int, _Counts] = defaultdict(_Counts)
    for decision in decisions:
        item = counts[decision.title_id]
        item.decisions += 1
        for recipient in decision.recipients.all():
            if recipient.kind in COLLECTIVE:
                item.collective += 1
            else:
                item.individual += 1
    kinds, levels = list(AwardKind.values), list(AwardLevel.values)
    titles = sorted(
        (t for t in AwardTitle.objects.all() if t.active or t.pk in counts),
        key=lambda t: (kinds.index(t.kind), levels.index(t.level), t.order, t.code),
    )
    heading = _("Thống kê khen thưởng năm %(year)s") % {"year": year}
    wb = _new_workbook(heading, _("Khen thưởng theo năm thành tích %(year)s") % {"year": year})
    ws = wb.create_sheet(title=_("Thống kê"))
    _widths(ws, [7, 48, 16, 14, 14, 14, 14])
    ws.append([_cell(ws, heading, font=TITLE_FONT)])
    scope = (
        _("Mọi Ban quản lý")
        if zones_access.reads_everything(user)
        else ", ".join(zones_access.readable_boards(user).order_by("code").values_list("code", flat=True))
    )
    ws.append([_cell(ws, _("Phạm vi: %(scope)s. Tính theo năm thành tích; tập thể gồm Ban và đơn vị thuộc Ban.")
                     % {"scope": scope}, font=NOTE_FONT)])  # fmt: skip
    headers = [_("STT"), _("Danh hiệu, hình thức khen thưởng"), _("Cấp"), _("Số quyết định"),
               _("Tập thể"), _("Cá nhân"), _("Tổng số")]  # fmt: skip
    ws.append([_header(ws, text) for text in headers])
    ws.freeze_panes = "A4"
    grand = _Counts()
    level_labels = dict(AwardLevel.choices)
    for index, kind in enumerate(AwardKind):
        of_kind = [t for t in titles if t.kind == kind]
        if not of_kind:
            continue
        ws.append([_cell(ws, ROMAN[index], font=BOLD), _cell(ws, str(kind.label), font=BOLD)])
        subtotal = _Counts()
        for number, title in enumerate(of_kind, start=1):
            item = counts.get(title.pk, _Counts())
            subtotal.add(item)
            ws.append(_stat_row(ws, number, title.name, str(level_labels[title.level]), item))
        label = _("Cộng %(kind)s") % {"kind": str(kind.label).lower()}
        ws.append(_stat_row(ws, None, label, None, subtotal, font=BOLD, fill=GROUP_FILL))
        grand.add(subtotal)
    ws.append(_stat_row(ws, None, _("Tổng cộng"), None, grand, font=BOLD, fill=HEADER_FILL))
    _decision_sheet(wb, decisions)
    wb.save(out)


def _decision_sheet(wb, decisions: list[AwardDecision]) -> None:
    columns = [
        (_("STT"), 6), (_("Số quyết định"), 16), (_("Ngày"), 12), (_("Cơ quan, người ký"), 36),
        (_("Danh hiệu, hình thức"), 32), (_("Phong trào"), 36), (_("Người, tập thể được khen"), 70),
        (_("Tập thể"), 9), (_("Cá nhân"), 9), (_("Ghi chú"), 30),
    ]  # fmt: skip
    ws = xlsx.add_sheet(wb, _("Quyết định"), [t for t, _w in columns], [w for _t, w in columns])
    for number, decision in enumerate(decisions, start=1):
        recipients = list(decision.recipients.all())
        names = "; ".join(f"{r.name} ({r.board.code})" for r in recipients)
        collective = sum(r.kind in COLLECTIVE for r in recipients)
        ws.append([
            _cell(ws, number), _cell(ws, decision.number), _cell(ws, decision.date, number_format=DATE_FORMAT),
            _cell(ws, decision.issuer, alignment=WRAP), _cell(ws, decision.title.name, alignment=WRAP),
            _cell(ws, decision.movement.name if decision.movement else "", alignment=WRAP),
            _cell(ws, names, alignment=WRAP), _cell(ws, collective, number_format=COUNT_FORMAT),
            _cell(ws, len(recipients) - collective, number_format=COUNT_FORMAT),
            _cell(ws, decision.note, alignment=WRAP),
        ])  # fmt: skip
