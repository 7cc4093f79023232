"""Period codes of DOMAIN.md §4: ranges, same period last year, quarters covered, refusals."""

import datetime

import pytest

from kcn_portal.periods import HALF, MONTH, QUARTER, YEAR, PeriodError, of_day, parse

D = datetime.date


@pytest.mark.parametrize(
    ("code", "start", "end", "previous", "quarters", "whole"),
    [
        ("2019", D(2019, 1, 1), D(2019, 12, 31), "2018", [1, 2, 3, 4], True),
        ("2019-H1", D(2019, 1, 1), D(2019, 6, 30), "2018-H1", [1, 2], True),
        ("2019-H2", D(2019, 7, 1), D(2019, 12, 31), "2018-H2", [3, 4], True),
        ("2019-Q3", D(2019, 7, 1), D(2019, 9, 30), "2018-Q3", [3], True),
        ("2020-M02", D(2020, 2, 1), D(2020, 2, 29), "2019-M02", [], False),
        ("2019-M07", D(2019, 7, 1), D(2019, 7, 31), "2018-M07", [], False),
        ("2019-YTD11", D(2019, 1, 1), D(2019, 11, 30), "2018-YTD11", [1, 2, 3], False),
        ("2019-YTD9", D(2019, 1, 1), D(2019, 9, 30), "2018-YTD9", [1, 2, 3], True),
    ],
)
def test_codes(code, start, end, previous, quarters, whole):
    period = parse(code)
    assert (period.code, period.start, period.end, period.previous_year().code) == (code, start, end, previous)
    assert (period.quarters(), period.covers_whole_quarters) == ([(period.year, q) for q in quarters], whole)


def test_lower_case_and_spaces_are_accepted():
    assert parse(" 2019-q4 ").code == "2019-Q4"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2019-Q5", "Mã kỳ '2019-Q5' không hợp lệ: số sau Q phải từ 1 đến 4."),
        ("2019-M13", "Mã kỳ '2019-M13' không hợp lệ: số sau M phải từ 1 đến 12."),
        ("2019-H0", "Mã kỳ '2019-H0' không hợp lệ: số sau H phải từ 1 đến 2."),
        ("2019-YTD0", "Mã kỳ '2019-YTD0' không hợp lệ: số sau YTD phải từ 1 đến 12."),
        ("2019-M7", "Mã kỳ '2019-M7' không hợp lệ: dùng 2019, 2019-H1, 2019-Q3, 2019-M07 hoặc 2019-YTD11."),
        ("19-Q1", "Mã kỳ '19-Q1' không hợp lệ: dùng 2019, 2019-H1, 2019-Q3, 2019-M07 hoặc 2019-YTD11."),
        ("", "Mã kỳ '' không hợp lệ: dùng 2019, 2019-H1, 2019-Q3, 2019-M07 hoặc 2019-YTD11."),
        ("1899", "Năm 1899 nằm ngoài khoảng 1990–2100."),
    ],
)
def test_invalid_codes_are_refused_with_a_message(code, message):
    with pytest.raises(PeriodError) as exc:
        parse(code)
    assert str(exc.value) == message


def test_periods_order_and_contain():
    q3 = parse("2019-Q3")
    assert (q3.contains(D(2019, 9, 30)), q3.contains(D(2019, 10, 1))) == (True, False)
    assert sorted([parse("2019-Q2"), parse("2018-Q4"), parse("2019-Q1")]) == [
        parse("2018-Q4"),
        parse("2019-Q1"),
        parse("2019-Q2"),
    ]


def test_the_period_of_a_day_and_its_neighbours_across_years():
    day, kinds = D(2025, 1, 10), (YEAR, HALF, QUARTER, MONTH)
    assert [of_day(kind, day).code for kind in kinds] == ["2025", "2025-H1", "2025-Q1", "2025-M01"]
    assert [of_day(kind, day).shifted(-1).code for kind in kinds] == [
        "2024", "2024-H2", "2024-Q4", "2024-M12"]  # fmt: skip
    assert [parse(code).shifted(by).code for code, by in [("2024-Q4", 1), ("2025-M03", -14), ("2025-H2", 3)]] == [
        "2025-Q1", "2024-M01", "2027-H1"]  # fmt: skip
