"""The one amount parser (kcn_portal.core.amounts) and the form fields built on it (core.forms)."""

import datetime
from decimal import Decimal

import pytest

from investment.specs import ENTERPRISE_REPORT_AMOUNTS as ENTERPRISE_REPORT
from investment.specs import LICENCE_EVENT_AMOUNTS as LICENCE_EVENT
from kcn_portal.core import amounts
from kcn_portal.core.amounts import AmountError, AmountRefused
from kcn_portal.core.forms import AmountField, DateField, PlausibleAmountsForm
from zones.specs import ZONE_AMOUNTS as ZONE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567,89", Decimal("1234567.89")),
        ("245.000.000.000", Decimal("245000000000")),
        ("1,5", Decimal("1.5")),
        ("1234,5", Decimal("1234.5")),
        ("1234567.89", Decimal("1234567.89")),
        ("245000000000", Decimal("245000000000")),
        ("1.234", Decimal("1234")),  # a single dot and three digits groups thousands
        ("1.23", Decimal("1.23")),  # one or two digits: a decimal point
        ("1.5", Decimal("1.5")),
        ("1.2345", Decimal("1.2345")),
        ("1 234 567", Decimal("1234567")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("  -1.234 ", Decimal("-1234")),
        ("\u22125", Decimal("-5")),
        ("007", Decimal("7")),
        ("", None),
        ("   ", None),
    ],
)
def test_parse_reads_the_vietnamese_and_the_plain_forms_exactly(text, expected):
    assert amounts.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [
        ("1,234", True),  # a thousand to an English reader, 1,234 to a Vietnamese one
        ("1,234.5", True),
        ("1.234,5.6", True),
        ("1,234,567", False),
        ("1.23.456", False),
        ("1234.567", False),  # three digits after the dot group thousands, so the first group is too long
        ("1 234.5", False),
        ("12 34", False),
        (".5", False),
        ("5,", False),
        ("+5", False),
        ("NaN", False),
        ("Infinity", False),
        ("1e400", False),
        ("1" * 31, False),
    ],
)
def test_parse_refuses_what_it_cannot_read_without_guessing(text, ambiguous):
    with pytest.raises(AmountError) as caught:
        amounts.parse(text)
    assert (caught.value.text, caught.value.ambiguous) == (text, ambiguous)


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        (LICENCE_EVENT["capital_vnd"], "245.000.000.000", 245_000_000_000),
        (LICENCE_EVENT["capital_vnd"], "1.500,00", 1500),  # zero decimals are no decimals
        (LICENCE_EVENT["capital_vnd"], 2_305_000_000_000, 2_305_000_000_000),
        (LICENCE_EVENT["capital_usd"], "10.500.000,50", Decimal("10500000.50")),
        (LICENCE_EVENT["capital_usd"], "1,5", Decimal("1.50")),
        (LICENCE_EVENT["capital_usd"], 0.1, Decimal("0.10")),  # a JSON float, without its binary noise
        (LICENCE_EVENT["land_area_ha"], "12,5", Decimal("12.50")),
        (ENTERPRISE_REPORT["employees"], "1.200", 1200),
        (ZONE["natural_area_ha"], Decimal("320.00"), Decimal("320.00")),
        (ENTERPRISE_REPORT["revenue_vnd"], " ", None),
    ],
)
def test_read_gives_the_units_type_and_precision(spec, value, expected):
    result = amounts.read(spec, value)
    assert (result, type(result)) == (expected, type(expected))


VND_HOW = " Hãy viết 1.234.567 hoặc 1234567."
USD_HOW = " Hãy viết 1.234.567,89 hoặc 1234567.89."


@pytest.mark.parametrize(
    ("spec", "value", "message"),
    [
        ("capital_vnd", "1,234,567", "Vốn đầu tư (đồng): không hiểu '1,234,567'." + VND_HOW),
        ("capital_vnd", "1,5", "Vốn đầu tư (đồng): '1,5' có phần lẻ, số đồng phải là số nguyên." + VND_HOW),
        ("capital_usd", "1,234", "Vốn đầu tư (USD): không hiểu '1,234'." + USD_HOW),
        ("capital_usd", "0,125", "Vốn đầu tư (USD): không hiểu '0,125'." + USD_HOW),
        ("capital_usd", "1,2345", "Vốn đầu tư (USD): '1,2345' có quá 2 chữ số thập phân." + USD_HOW),
        ("capital_vnd", "0", "Vốn đầu tư (đồng): phải lớn hơn 0."),
        ("capital_vnd", float("nan"), "Vốn đầu tư (đồng): không hiểu 'NaN'." + VND_HOW),
        ("capital_usd", float("inf"), "Vốn đầu tư (USD): không hiểu 'Infinity'." + USD_HOW),
        ("capital_vnd", 10**19, "Vốn đầu tư (đồng): số quá lớn."),
        ("capital_vnd", True, "Vốn đầu tư (đồng): không hiểu 'True'." + VND_HOW),
        ("land_area_ha", "-1", "Diện tích đất (ha): không được là số âm."),
    ],
)  # fmt: skip
def test_read_refuses_with_a_message_naming_the_field_and_the_way_to_write_it(spec, value, message):
    with pytest.raises(AmountRefused) as caught:
        amounts.read(LICENCE_EVENT[spec], value)
    assert str(caught.value) == message


def test_words_and_warnings_name_the_value_and_the_usual_range():
    cases = ((245 * 10**9, amounts.VND), (1_500_000, amounts.USD), (245, amounts.VND))
    assert [amounts.in_words(v, u) for v, u in cases] == [
        "245 tỷ đồng", "1,5 triệu USD", "245 đồng",
    ]  # fmt: skip
    assert amounts.warning(LICENCE_EVENT["capital_vnd"], 245) == (
        "Vốn đầu tư (đồng): 245 đồng — rất nhỏ so với vốn đầu tư thường gặp (từ 1 triệu đồng); "
        "kiểm tra lại hoặc đánh dấu “Tôi xác nhận số liệu này”."
    )
    assert amounts.warning(LICENCE_EVENT["capital_usd"], Decimal("20000000000.00")).startswith(
        "Vốn đầu tư (USD): 20.000.000.000 USD — rất lớn so với vốn đầu tư thường gặp (đến 10 tỷ USD)"
    )
    assert [amounts.warning(ENTERPRISE_REPORT["revenue_vnd"], v) for v in (0, 1_000_000, None)] == [None, None, None]


class _Form(PlausibleAmountsForm):
    capital_vnd = AmountField(LICENCE_EVENT["capital_vnd"])
    day = DateField(label="Ngày cấp")


def test_amount_field_keeps_the_typed_text_when_it_refuses():
    form = _Form({"capital_vnd": "1,234,567", "day": "05/11/2026"})
    assert (form.is_valid(), form.errors["capital_vnd"], form["capital_vnd"].value()) == (
        False,
        ["Vốn đầu tư (đồng): không hiểu '1,234,567'. Hãy viết 1.234.567 hoặc 1234567."],
        "1,234,567",
    )
    assert 'value="1,234,567"' in str(form["capital_vnd"])
    assert 'inputmode="decimal"' in str(form["capital_vnd"]) and 'type="text"' in str(form["capital_vnd"])


def test_an_unusual_amount_needs_the_confirmation_then_is_kept_exactly():
    form = _Form({"capital_vnd": "245", "day": "5/11/2026"})
    warning = "Vốn đầu tư (đồng): 245 đồng — rất nhỏ so với vốn đầu tư thường gặp (từ 1 triệu đồng); "
    assert (form.is_valid(), form.errors["capital_vnd"][0].startswith(warning), len(form.amount_warnings)) == (
        False, True, 1,
    )  # fmt: skip
    confirmed = _Form({"capital_vnd": "245", "day": "5/11/2026", "confirm_amounts": "on"})
    assert (confirmed.is_valid(), confirmed.cleaned_data) == (
        True, {"capital_vnd": 245, "day": datetime.date(2026, 11, 5)},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/11/2026", datetime.date(2026, 11, 5)),
        ("5/11/2026", datetime.date(2026, 11, 5)),
        ("2026-11-05", datetime.date(2026, 11, 5)),
        ("31/02/2026", "Ngày cấp: ngày '31/02/2026' không có trong lịch. Hãy viết ngày/tháng/năm, ví dụ 05/11/2026."),
        ("05/13/2026", "Ngày cấp: ngày '05/13/2026' không có trong lịch. Hãy viết ngày/tháng/năm, ví dụ 05/11/2026."),
        ("mai", "Ngày cấp: không hiểu ngày 'mai'. Hãy viết ngày/tháng/năm, ví dụ 05/11/2026."),
    ],
)
def test_date_field_reads_day_first_and_iso_and_refuses_impossible_dates(text, expected):
    form = _Form({"capital_vnd": "", "day": text})
    form.is_valid()
    assert form.cleaned_data.get("day", form.errors.get("day", [None])[0]) == expected


def test_date_input_is_text_in_day_first_form():
    html = str(_Form(initial={"day": datetime.date(2026, 11, 5)})["day"])
    assert ('type="text"' in html, 'value="05/11/2026"' in html, 'placeholder="dd/mm/yyyy"' in html) == (True,) * 3
