"""Demo reports for `seed_demo`: the boards' 2025 plans and the built reports of the demo years.

Plans are set a little above each board's 2024 result (what a board would aim for); reports are
built for every year 2018–2025, the halves and quarters of 2024–2025 and Thái Bình's published
January–November 2019, so the report pages have history to chart. Idempotent like every seed step:
an unchanged plan writes nothing and a rebuild of the same records makes no new version.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kcn_portal import periods
from kcn_portal.core.enums import AuditSource
from zones.models import Board

from . import rollup, services

PLAN_YEAR = 2025
# Indicator: the growth the plan asks for over last year's result.
PLAN_GROWTH = {
    "new_projects": Decimal("1.10"),
    "new_and_added_capital_fdi_usd": Decimal("1.15"),
    "new_and_added_capital_ddi_vnd": Decimal("1.10"),
    "valid_projects": Decimal("1.05"),
    "production_value_vnd": Decimal("1.12"),
    "export_usd": Decimal("1.12"),
    "budget_vnd": Decimal("1.08"),
    "occupancy_pct": Decimal("1.03"),
}
DEMO_PERIODS = [
    *(str(year) for year in range(2018, 2026)),
    "2019-YTD11",
    *(f"{year}-H{half}" for year in (2024, 2025) for half in (1, 2)),
    *(f"{year}-Q{quarter}" for year in (2024, 2025) for quarter in (1, 2, 3, 4)),
]


def seed_plans(tally) -> None:
    """Each demo board's 2025 targets, from its 2024 figures."""
    boards = list(Board.objects.order_by("code"))
    last_year = rollup.board_values(periods.parse(str(PLAN_YEAR - 1)), [board.pk for board in boards])
    for board in boards:
        for code, growth in PLAN_GROWTH.items():
            base = last_year[board.pk][code]
            if not base:
                continue
            places = Decimal("1") if isinstance(base, int) else Decimal("0.01")
            value = (Decimal(base) * growth).quantize(places, rounding=ROUND_HALF_UP)
            _plan, outcome = services.plan_set(
                user=None, board=board, year=PLAN_YEAR, indicator=code, value=value, source=AuditSource.COMMAND
            )
            tally.add(created=outcome == services.CREATED, changed=outcome == services.UPDATED)


def seed_reports(tally) -> None:
    """Build every scope's report of the demo periods (a version only where a number changed)."""
    for code in DEMO_PERIODS:
        for built in services.report_build(period=periods.parse(code)):
            tally.add(created=built.created)
