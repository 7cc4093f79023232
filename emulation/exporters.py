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

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kcn_portal.core import xlsx
from kcn_portal.core.xlsx import (
    BOLD,
    COVER_LABEL,
    COVER_VALUE,
    DECIMAL_FORMAT,
    HEADER_FILL,
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
from zones import access as zones_access

from .enums import AwardKind, AwardLevel, RecipientKind, RoundKind, RoundStatus
from .models import AwardDecision, AwardTitle, ScoringRound
from .selectors import awards as awards_selectors
from .selectors import scoring as scoring_selectors
from .selectors import years as years_selectors

ROMAN = ("I", "II", "III", "IV", "V", "VI")


def _cell(ws, value, *, font=None, fill=None, alignment=None, number_format=None):
    """core.xlsx.styled_cell (a formula-safe, styled cell), keeping the number format on an empty cell too."""
    cell = styled_cell(ws, value, font, fill, alignment, number_format)
    if number_format:
        cell.number_format = number_format  # a figure typed in later shows alike
    return cell


def _points_text(value: Decimal) -> str:
    """Points in Vietnamese writing for a header: 12,5 ; 10."""
    return f"{value.normalize():f}".replace(".", ",")


def _new_workbook(title: str, subject: str) -> Workbook:
    """An empty workbook held in memory (merged headers need it) with Vietnamese document properties."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.subject = subject
    wb.properties.creator = "KCN Portal"
    wb.properties.language = "vi-VN"
    return wb


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
    set_widths(ws, [26, 90])
    print_landscape(ws)  # one page wide, as the score sheet itself
    ws.append([_cell(ws, _("Bảng tổng hợp điểm thi đua"), font=TITLE_FONT)])
    ws.append([])
    board = lambda b: f"{b.code} — {b.name}" if b else ""  # noqa: E731
    note = (
        _("Xếp hạng đã chốt khi khóa chấm (tổng điểm = điểm thẩm định + điểm thưởng − điểm trừ).")
        if _frozen(scoring_round)
        else _("Đợt chấm chưa khóa: tổng điểm và xếp hạng tạm tính theo điểm thẩm định hiện có.")
    )
    rows = [
        (_("Khối thi đua"), f"{bloc_year.bloc.code} — {bloc_year.bloc.name}"),
        (_("Bộ quản lý"), bloc_year.bloc.ministry),
        (_("Năm"), bloc_year.year),
        (_("Đợt chấm"), str(RoundKind(scoring_round.kind).label)),
        (_("Trạng thái"), str(RoundStatus(scoring_round.status).label)),
        (_("Mở từ ngày"), scoring_round.opens_on),
        (_("Hạn chấm"), scoring_round.closes_on),
        # safe_cell writes dates as dd/mm/yyyy and moments as Việt Nam wall-clock time.
        (_("Khóa chấm lúc"), scoring_round.closed_at),
        (_("Công bố lúc"), scoring_round.published_at),
        (_("Khối trưởng"), board(bloc_year.leader)),
        (_("Khối phó"), board(bloc_year.deputy)),
        (_("Số thành viên"), members),
        (_("Ghi chú"), note),
    ]
    for label, value in rows:
        ws.append([_cell(ws, label, font=BOLD, alignment=COVER_LABEL), _cell(ws, value, alignment=COVER_VALUE)])


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
                _cell(ws, criterion.max_points, number_format=DECIMAL_FORMAT),
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
    the frozen RankingEntry rows of a closed round, else scoring_selectors.ranking_preview. Reads only.
    """
    bloc_year = scoring_round.bloc_year
    table = scoring_selectors.table_of(bloc_year)
    groups = list(table.groups.all()) if table else []
    members = years_selectors.members(bloc_year)
    cards = {
        card.board_id: card for card in scoring_selectors.scorecards_with_lines(user=None, scoring_round=scoring_round)
    }
    if _frozen(scoring_round):
        figures = {entry.board_id: entry for entry in scoring_round.ranking.all()}
        members.sort(key=lambda b: (figures[b.pk].rank, b.code) if b.pk in figures else (10**6, b.code))
    else:
        figures = {card.board_id: card for card in scoring_selectors.ranking_preview(scoring_round)} if table else {}

    title = _("Bảng tổng hợp điểm thi đua")
    wb = _new_workbook(f"{title} {bloc_year.bloc.code} {bloc_year.year}", f"{bloc_year.bloc.name} – {bloc_year.year}")
    _score_cover(wb, scoring_round, len(members))
    ws = wb.create_sheet(title=_("Bảng điểm"))
    print_landscape(ws)
    layout = _score_columns(groups)
    lead = [_("STT"), _("Mã Ban"), _("Ban quản lý")]
    tail = [_("Tổng tự chấm"), _("Tổng thẩm định"), _("Điểm thưởng"), _("Điểm trừ"), _("Tổng điểm"),
            _("Xếp hạng"), _("Ghi chú xếp hạng")]  # fmt: skip
    # Three header rows: group, criterion (number and max points), then "Tự chấm" / "Thẩm định"; a merged
    # cell's text sits in its first cell. The lead and tail columns span the three rows.
    rows = [list(lead), [None] * len(lead), [None] * len(lead)]
    merges = [(1, index, 3, index) for index in range(1, len(lead) + 1)]
    column = len(lead) + 1
    for group, columns in layout:
        span = 2 * len(columns)
        rows[0] += [f"{group.order}. {group.name}"] + [None] * (span - 1)
        merges.append((1, column, 1, column + span - 1))
        for item in columns:
            rows[1] += [item.label, None]
            rows[2] += [_("Tự chấm"), _("Thẩm định")]
            merges.append((2, column, 2, column + 1))
            column += 2
    merges += [(1, index, 3, index) for index in range(column, column + len(tail))]
    rows[0] += tail
    rows[1] += [None] * len(tail)
    rows[2] += [None] * len(tail)
    for row in rows:
        ws.append(header_cells(ws, row))
    for top, left, bottom, right in merges:
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
                style = {"font": BOLD, "fill": TOTAL_FILL} if item.subtotal else {}
                row += [_cell(ws, value, number_format=DECIMAL_FORMAT, **style) for value in pair]
        figure = figures.get(board.pk)
        values = (
            (figure.self_points, figure.reviewed_points, figure.bonus, figure.penalty, figure.total)
            if figure
            else (None,) * 5
        )
        row += [_cell(ws, value, number_format=DECIMAL_FORMAT) for value in values[:4]]
        row.append(_cell(ws, values[4], number_format=DECIMAL_FORMAT, font=BOLD))
        row.append(_cell(ws, figure.rank if figure else None, font=BOLD))
        row.append(_cell(ws, figure.tie_note if figure else "", alignment=WRAP))
        ws.append(row)
    ws.freeze_panes = "D4"
    ws.print_title_rows = "1:3"
    set_widths(ws, [5, 8, 40] + [11] * (column - len(lead) - 1) + [11, 11, 10, 10, 11, 9, 40])
    ws.row_dimensions[1].height = 45
    ws.row_dimensions[2].height = 30
    _criteria_sheet(wb, groups)
    wb.save(out)


# --- award statistics of a year ----------------------------------------------------------------------


COLLECTIVE = (RecipientKind.BOARD, RecipientKind.UNIT)


def award_statistics_name(year: int) -> str:
    """The download name, ASCII only: thong-ke-khen-thuong-2024.xlsx."""
    return f"thong-ke-khen-thuong-{year}.xlsx"


def _split(decision: AwardDecision) -> tuple[int, int]:
    """(collective, individual) among a decision's prefetched recipients, the user's boards' only."""
    recipients = decision.recipients.all()
    collective = sum(r.kind in COLLECTIVE for r in recipients)
    return collective, len(recipients) - collective


@dataclass
class _Counts:
    """Decisions and recipients (lượt) of one title, a kind or the year."""

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
        cells.append(_cell(ws, value, number_format=INTEGER_FORMAT, font=font, fill=fill))
    return cells


def award_statistics(year: int, out: IO[bytes], *, user) -> None:
    """Write "Thống kê khen thưởng năm …" to `out`: counts per title and form, then every decision.

    Counts the decisions whose year of achievement is `year` and their recipients in the boards the
    user reads (zones.access.readable_boards; the ministry and administrators: all). A recipient
    counts once per decision (lượt). Titles of the catalogue with no decision show zeros. Reads only.
    """
    decisions = list(awards_selectors.award_decisions_of_year(user=user, year=year))
    counts: dict[int, _Counts] = defaultdict(_Counts)
    for decision in decisions:
        counts[decision.title_id].add(_Counts(1, *_split(decision)))
    kinds, levels = list(AwardKind.values), list(AwardLevel.values)
    titles = sorted(
        (t for t in AwardTitle.objects.all() if t.active or t.pk in counts),
        key=lambda t: (kinds.index(t.kind), levels.index(t.level), t.order, t.code),
    )
    heading = _("Thống kê khen thưởng năm %(year)s") % {"year": year}
    wb = _new_workbook(heading, _("Khen thưởng theo năm thành tích %(year)s") % {"year": year})
    ws = wb.create_sheet(title=_("Thống kê"))
    set_widths(ws, [7, 48, 16, 14, 14, 14, 14])
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
    ws.append(header_cells(ws, headers))
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
        ws.append(_stat_row(ws, None, label, None, subtotal, font=BOLD, fill=TOTAL_FILL))
        grand.add(subtotal)
    ws.append(_stat_row(ws, None, _("Tổng cộng"), None, grand, font=BOLD, fill=HEADER_FILL))
    _decision_sheet(wb, decisions)
    wb.save(out)


def _decision_sheet(wb, decisions: list[AwardDecision]) -> None:
    """Every counted decision with the recipients of the user's boards."""
    columns = [
        (_("STT"), 6), (_("Số quyết định"), 16), (_("Ngày"), 12), (_("Cơ quan, người ký"), 36),
        (_("Danh hiệu, hình thức"), 32), (_("Phong trào"), 36), (_("Người, tập thể được khen"), 70),
        (_("Tập thể"), 9), (_("Cá nhân"), 9), (_("Ghi chú"), 30),
    ]  # fmt: skip
    ws = xlsx.add_sheet(wb, _("Quyết định"), [t for t, _w in columns], [w for _t, w in columns])
    for number, decision in enumerate(decisions, start=1):
        names = "; ".join(f"{r.name} ({r.board.code})" for r in decision.recipients.all())
        collective, individual = _split(decision)
        ws.append([
            _cell(ws, number), _cell(ws, decision.number), _cell(ws, decision.date),
            _cell(ws, decision.issuer, alignment=WRAP), _cell(ws, decision.title.name, alignment=WRAP),
            _cell(ws, decision.movement.name if decision.movement else "", alignment=WRAP),
            _cell(ws, names, alignment=WRAP), _cell(ws, collective, number_format=INTEGER_FORMAT),
            _cell(ws, individual, number_format=INTEGER_FORMAT),
            _cell(ws, decision.note, alignment=WRAP),
        ])  # fmt: skip
