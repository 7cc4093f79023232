"""Quarters as the enterprise reports count them (DOMAIN.md §4: YYYY-QN): codes, date ranges, neighbours.

Pure functions, shared by the services (a report's quarter inside the project's life), the selectors
(projects expected to report a quarter), the forms and pages (the `period` of a URL) and reports.deadlines.
"""

from __future__ import annotations

import re

from django.utils import timezone

from kcn_portal.periods import quarter_range  # noqa: F401 (the one definition; quarters' users find it here too)

from .specs import ENTERPRISE_REPORT

QUARTER_CODE = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_quarter(code: str) -> tuple[int, int] | None:
    """(year, quarter) of a code like "2019-Q3", or None when it is not a quarter the portal keeps."""
    match = QUARTER_CODE.match(code or "")
    if not match:
        return None
    year, quarter = int(match.group(1)), int(match.group(2))
    # The years an enterprise report may have (investment.specs).
    return (year, quarter) if ENTERPRISE_REPORT["year"].within(year) else None


def quarter_code(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def shift_quarter(year: int, quarter: int, by: int) -> tuple[int, int]:
    """The quarter `by` quarters later (earlier when negative)."""
    index = year * 4 + quarter - 1 + by
    return index // 4, index % 4 + 1


def current_quarter(today=None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1
