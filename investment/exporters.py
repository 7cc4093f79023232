"""Excel export of a filtered project list (the "Xuất Excel" button of the project list page).

Not the data-exchange workbook (DOMAIN.md §6, kcn_portal.core.workbook): this is a report for
people, with Vietnamese headers and units, written by kcn_portal.core.xlsx so formula-looking
text stays text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.utils.translation import gettext as _
from django_countries import countries

from kcn_portal.core import xlsx

from .enums import ProjectKind, ProjectStatus
from .models import Project

VND_FORMAT = "#,##0"
USD_FORMAT = "#,##0.00"
AREA_FORMAT = "#,##0.00"


def _columns() -> list[tuple[str, int]]:
    # (header, width); translated when the export runs, so headers follow the user's language.
    return [
        (_("Mã số dự án"), 14),
        (_("Tên dự án"), 48),
        (_("Ban quản lý"), 10),
        (_("Mã khu"), 12),
        (_("Tên khu"), 28),
        (_("Nhà đầu tư chính"), 36),
        (_("Mã quốc gia"), 8),
        (_("Quốc gia/vùng lãnh thổ"), 18),
        (_("Loại dự án"), 10),
        (_("Ngành VSIC"), 10),
        (_("Tình trạng"), 14),
        (_("Ngày cấp mới"), 12),
        (_("Ngày chấm dứt"), 12),
        (_("Vốn đăng ký (đồng)"), 22),
        (_("Vốn đăng ký (USD)"), 18),
        (_("Số tiền quy đổi theo tỷ giá"), 26),
        (_("Diện tích đất (ha)"), 12),
    ]


def derived_note(project: Project) -> str:
    """Which amount of the current capital was derived with the exchange rate, in words."""
    if project.capital_usd_derived:
        return _("USD quy đổi từ VND")
    if project.capital_vnd_derived:
        return _("VND quy đổi từ USD")
    return _("Không")


def write_project_list(projects: Iterable[Project], out: IO[bytes]) -> int:
    """Write the projects (project_list rows, already filtered and ordered) to `out` as .xlsx.

    Streams through a write-only workbook, so memory does not grow with the row count.
    Returns the number of rows written.
    """
    wb = xlsx.new_workbook()
    columns = _columns()
    ws = xlsx.add_sheet(wb, _("Dự án"), [title for title, _w in columns], [width for _t, width in columns])
    kinds, statuses = dict(ProjectKind.choices), dict(ProjectStatus.choices)
    count = 0
    for p in projects:
        values = [
            (p.code, None),
            (p.name, None),
            (p.zone.board.code, None),
            (p.zone.code, None),
            (p.zone.name, None),
            (p.investor_name or "", None),
            (p.investor_country or "", None),
            (countries.name(p.investor_country) if p.investor_country else "", None),
            (p.kind.upper() if p.kind in kinds else p.kind, None),
            (p.sector, None),
            (str(statuses.get(p.status, p.status)), None),
            (p.issued_on, None),
            (p.terminated_on, None),
            (p.capital_vnd, VND_FORMAT),
            (p.capital_usd, USD_FORMAT),
            (derived_note(p), None),
            (p.land_area_ha, AREA_FORMAT),
        ]
        ws.append([xlsx.safe_cell(ws, value, number_format=fmt) for value, fmt in values])
        count += 1
    xlsx.save_workbook(wb, out)
    return count
