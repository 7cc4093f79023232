"""Period codes (DOMAIN.md §4) → date ranges; pure Python, used in URLs, commands, files and reports.

    2019        the year                        2019-H1, 2019-H2   half years
    2019-Q1…Q4  quarters                        2019-M07           one month
    2019-YTD11  January through November (11 tháng)

"Same period last year" of any code is the same code one year earlier. A period "covers whole
quarters" when it starts and ends on quarter boundaries; enterprise stocks and flows (which
come from quarterly reports) exist only for such periods.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

YEAR, HALF, QUARTER, MONTH, YTD = "year", "half", "quarter", "month", "ytd"
_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:H(?P<half>\d)|Q(?P<quarter>\d)|M(?P<month>\d{2})|YTD(?P<ytd>\d{1,2})))?$"
)
MIN_YEAR, MAX_YEAR = 1990, 2100


class PeriodError(ValueError):
    """A code that is not one of DOMAIN.md §4's; the message says what is expected (Vietnamese first)."""


@dataclass(frozen=True, order=True)
class Period:
    """One period: its code, kind, year, the number within the year (half, quarter, month, months to date)."""

    year: int
    kind: str
    number: int = 0

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        prefix = {HALF: "H", QUARTER: "Q", MONTH: "M", YTD: "YTD"}[self.kind]
        number = f"{self.number:02d}" if self.kind == MONTH else str(self.number)
        return f"{self.year}-{prefix}{number}"

    def __str__(self) -> str:
        return self.code

    @property
    def first_month(self) -> int:
        return {YEAR: 1, HALF: 6 * self.number - 5, QUARTER: 3 * self.number - 2, MONTH: self.number, YTD: 1}[self.kind]

    @property
    def last_month(self) -> int:
        return {YEAR: 12, HALF: 6 * self.number, QUARTER: 3 * self.number, MONTH: self.number, YTD: self.number}[
            self.kind
        ]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def label(self) -> str:
        """The period in words, as on the boards' paper reports: "Năm 2019", "Quý 3 năm 2019", "11 tháng năm 2019"."""
        values = {"year": self.year, "n": self.number}
        if self.kind == HALF:
            text = _("6 tháng đầu năm %(year)s") if self.number == 1 else _("6 tháng cuối năm %(year)s")
        else:
            text = {
                YEAR: _("Năm %(year)s"),
                QUARTER: _("Quý %(n)s năm %(year)s"),
                MONTH: _("Tháng %(n)s năm %(year)s"),
                YTD: _("%(n)s tháng năm %(year)s"),
            }[self.kind]
        return text % values

    @property
    def short_label(self) -> str:
        """The period as buttons, messages and breadcrumbs show it: "Quý 3/2026", "Tháng 7/2026", "Năm 2026",
        "6 tháng đầu năm 2026", "11 tháng năm 2026" (never the code "2026-Q3")."""
        if self.kind == QUARTER:
            return _("Quý %(n)s/%(year)s") % {"n": self.number, "year": self.year}
        if self.kind == MONTH:
            return _("Tháng %(n)s/%(year)s") % {"n": self.number, "year": self.year}
        return self.label

    def previous_year(self) -> Period:
        """The same period one year earlier (cùng kỳ năm trước)."""
        return Period(self.year - 1, self.kind, self.number)

    @property
    def covers_whole_quarters(self) -> bool:
        return self.first_month % 3 == 1 and self.last_month % 3 == 0

    def quarters(self) -> list[tuple[int, int]]:
        """(year, quarter) of every quarter lying wholly inside the period, in order."""
        first = (self.first_month + 2) // 3 + (0 if self.first_month % 3 == 1 else 1)
        last = self.last_month // 3
        return [(self.year, quarter) for quarter in range(first, last + 1)]

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, by: int) -> Period:
        """The period of the same kind `by` periods later (earlier when negative): 2025-Q1 − 1 = 2024-Q4.

        Years, halves, quarters and months only (months to date have no "next").
        """
        per_year = _PER_YEAR[self.kind]
        if per_year == 1:
            return Period(self.year + by, YEAR)
        index = self.year * per_year + self.number - 1 + by
        return Period(index // per_year, self.kind, index % per_year + 1)


_PER_YEAR = {YEAR: 1, HALF: 2, QUARTER: 4, MONTH: 12}


def quarter_range(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a quarter: (2019, 3) → (1 July 2019, 30 September 2019)."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - datetime.timedelta(1)
    return start, end


def of_day(kind: str, day: datetime.date) -> Period:
    """The year, half, quarter or month that contains `day`."""
    if kind == YEAR:
        return Period(day.year, YEAR)
    return Period(day.year, kind, (day.month - 1) // (12 // _PER_YEAR[kind]) + 1)


def parse(code: str) -> Period:
    """The Period of a code; raises PeriodError with a message naming the accepted forms."""
    text = (code or "").strip().upper()
    match = _PATTERN.match(text)
    if not match:
        raise PeriodError(
            _("Mã kỳ '%(code)s' không hợp lệ: dùng 2019, 2019-H1, 2019-Q3, 2019-M07 hoặc 2019-YTD11.") % {"code": code}
        )
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            _("Năm %(year)s nằm ngoài khoảng %(min)s–%(max)s.") % {"year": year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    for kind, group, limit in ((HALF, "half", 2), (QUARTER, "quarter", 4), (MONTH, "month", 12), (YTD, "ytd", 12)):
        if match[group] is not None:
            number = int(match[group])
            if not 1 <= number <= limit:
                raise PeriodError(
                    _("Mã kỳ '%(code)s' không hợp lệ: số sau %(prefix)s phải từ 1 đến %(limit)s.")
                    % {"code": code, "prefix": {HALF: "H", QUARTER: "Q", MONTH: "M", YTD: "YTD"}[kind], "limit": limit}
                )
            return Period(year, kind, number)
    return Period(year, YEAR)


def label_of(code) -> str:
    """The short label of a period or a period code ("2026-Q3" → "Quý 3/2026"); text that is no code unchanged."""
    if isinstance(code, Period):
        return code.short_label
    try:
        return parse(str(code)).short_label
    except PeriodError:
        return "" if code is None else str(code)
