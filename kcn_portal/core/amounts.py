"""Amounts as Vietnamese people type them: the one parser, the units and the field specs of every record.

Forms (`core.forms.AmountField`), the API (`core.specs.SerializerAmountField`) and the workbook
importer (`core.workbook`) all read typed amounts with `parse()`, and the forms and API take each field's
unit, label, hard bounds and usual range from its `AmountSpec`: one per field of a record, in the record's
field spec (kcn_portal.core.specs; investment/specs.py, zones/specs.py), not one per layer.

What `parse()` reads (decided once, tested in tests/core/test_amounts.py):

- the Vietnamese form: "." groups thousands, "," marks decimals — "1.234.567,89", "245.000.000.000",
  "1,5", "1234,5";
- the plain form: "1234567.89", "245000000000";
- a single "." followed by exactly three digits groups thousands ("1.234" is 1234: no field of the portal
  has three decimals, so no other reading could be meant); followed by one, two or four and more digits it
  is a decimal point ("1.5", "1234.56");
- several "." must each be followed by exactly three digits, the first group one to three digits;
- spaces (ordinary, no-break, narrow no-break) may group thousands like "." ("1 234 567"), nowhere else;
- a leading "-" (or "−") is read; each field then refuses what its bounds refuse.

Refused, never guessed: the English form with "," grouping ("1,234,567", "1,234.5"), a single "," followed
by exactly three digits and no "." ("1,234": a thousand to an English reader, 1,234 to a Vietnamese one),
mixed or misplaced separators ("1.234,5.6", "1.23.456", ".5", "5,"), letters, exponents ("1e400"),
"NaN", "Infinity", "+5". A unit without decimals (đồng, people) accepts zero decimals ("1.500,00").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .templatetags.kcn_format import format_number  # the one number formatter of the pages

SPACES = "\u0020\u00a0\u202f"
VIETNAMESE = re.compile(r"^(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<fraction>\d+))?$")
PLAIN = re.compile(r"^(?P<whole>\d+)(?:\.(?P<fraction>\d+))?$")
ENGLISH_THOUSANDS = re.compile(r"^\d{1,3},\d{3}$")
MAX_DIGITS = 30  # more digits than any column holds: refused before any arithmetic


class AmountError(ValueError):
    """Text that is not an amount in a form `parse()` reads (`ambiguous` when two readings exist)."""

    def __init__(self, text: str, *, ambiguous: bool = False):
        super().__init__(text)
        self.text = text
        self.ambiguous = ambiguous


def parse(text: str) -> Decimal | None:
    """The amount typed in `text` as an exact Decimal; None when blank. Raises AmountError."""
    raw = (text or "").strip(SPACES + "\t\r\n")
    if not raw:
        return None
    sign = ""
    if raw[0] in "-\u2212":
        sign, raw = "-", raw[1:].lstrip(SPACES)
    if re.search(f"[{SPACES}]", raw):
        # Spaces group thousands exactly as dots do; mixed with dots they are refused below.
        if "." in raw or not re.fullmatch(rf"\d{{1,3}}(?:[{SPACES}]\d{{3}})+(?:,\d+)?", raw):
            raise AmountError(text)
        raw = re.sub(f"[{SPACES}]", ".", raw)
    if ENGLISH_THOUSANDS.match(raw):
        raise AmountError(text, ambiguous=True)
    if raw.count(".") == 1 and "," not in raw and not re.search(r"\.\d{3}$", raw):
        match = PLAIN.match(raw)  # "1234.56", "1.5": a decimal point
    else:
        match = VIETNAMESE.match(raw)  # "1.234.567,89", "1.234", "1234,5", "42"
    if match is None:
        raise AmountError(text, ambiguous="," in raw and "." in raw)
    whole = match["whole"].replace(".", "")
    fraction = match["fraction"] or ""
    if len(whole) + len(fraction) > MAX_DIGITS:
        raise AmountError(text)
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else sign + whole)


def decimals_of(number: Decimal) -> int:
    """How many decimals `number` really has (trailing zeros do not count): 1.50 → 1, 1500 → 0."""
    exponent = number.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


@dataclass(frozen=True)
class Unit:
    """A kind of amount: its name after a number, how many decimals it takes, how to write it."""

    code: str
    suffix: object  # lazy text: "đồng", "USD", "ha", "người"
    decimals: int
    example: object  # lazy text: "1.234.567 hoặc 1234567"


VND = Unit("vnd", _("đồng"), 0, _("1.234.567 hoặc 1234567"))
USD = Unit("usd", "USD", 2, _("1.234.567,89 hoặc 1234567.89"))
HECTARE = Unit("ha", "ha", 2, _("1.234,56 hoặc 1234.56"))
PEOPLE = Unit("people", _("người"), 0, _("1.234 hoặc 1234"))

# Hard bounds of the columns (BigIntegerField, DecimalField(18, 2), DecimalField(12, 2), PositiveIntegerField).
BIGINT_MAX = 2**63 - 1
USD_MAX = Decimal("9999999999999999.99")
AREA_MAX = Decimal("9999999999.99")
PEOPLE_MAX = 2_147_483_647
# A rough USD→VND rate used only to say when a VND amount is implausibly large (never to convert).
USD_IN_VND = 25_000
TRIEU = 10**6
TY = 10**9


@dataclass(frozen=True)
class AmountSpec:
    """One amount field of a record: unit, label, hard bounds (refused) and usual range (warned).

    `minimum`/`maximum` are refusals; a value outside `usual_min`–`usual_max` is accepted only once the
    user confirms it (pages), is accepted as sent (API) — zero is never "unusual". `noun` names what the
    field holds in the warning ("vốn đầu tư").
    """

    unit: Unit
    label: object
    noun: object
    minimum: Decimal | int | None = 0
    maximum: Decimal | int | None = None
    usual_min: Decimal | int | None = None
    usual_max: Decimal | int | None = None

    def unusual(self, value) -> str | None:
        """ "small" or "large" when `value` is outside the usual range (zero and None never are)."""
        if value is None or value == 0:
            return None
        if self.usual_min is not None and value < self.usual_min:
            return "small"
        if self.usual_max is not None and value > self.usual_max:
            return "large"
        return None


# Constructors of the usual specs (the apps write their records' amounts with them, in their specs.py).
def vnd_amount(label, noun, *, minimum=0, usual_min=TRIEU, usual_max=10 * TY * USD_IN_VND) -> AmountSpec:
    """Whole đồng in a BigIntegerField; usual from a million đồng to ten billion USD's worth."""
    return AmountSpec(VND, label, noun, minimum, BIGINT_MAX, usual_min, usual_max)


def usd_amount(label, noun, *, minimum=Decimal("0"), usual_min=Decimal("40"), usual_max=10 * TY) -> AmountSpec:
    """USD with cents in a DecimalField(18, 2); usual from 40 USD to ten billion."""
    return AmountSpec(USD, label, noun, minimum, USD_MAX, usual_min, usual_max)


def area_amount(label, noun, usual_max) -> AmountSpec:
    """Hectares with two decimals in a DecimalField(12, 2), never negative."""
    return AmountSpec(HECTARE, label, noun, Decimal("0"), AREA_MAX, None, usual_max)


def people_amount(label, noun, usual_max) -> AmountSpec:
    """Whole people in a PositiveIntegerField."""
    return AmountSpec(PEOPLE, label, noun, 0, PEOPLE_MAX, None, usual_max)


def check(spec: AmountSpec, value: Decimal, label=None, text=None) -> int | Decimal:
    """`value` in the spec's unit (int when it takes no decimals), or AmountRefused with the message."""
    label = label or spec.label
    text = text if text is not None else format_number(value, decimals_of(value))
    refused = {"spec": spec, "label": label, "text": text}
    if decimals_of(value) > spec.unit.decimals:
        if spec.unit.decimals == 0:
            message = _("%(label)s: '%(text)s' có phần lẻ, số %(unit)s phải là số nguyên. Hãy viết %(example)s.")
        else:
            message = _("%(label)s: '%(text)s' có quá %(places)s chữ số thập phân. Hãy viết %(example)s.")
        raise AmountRefused(message, code="decimals", **refused)
    if spec.minimum is not None and value < spec.minimum:
        message = _("%(label)s: phải lớn hơn 0.") if spec.minimum > 0 else _("%(label)s: không được là số âm.")
        raise AmountRefused(message, code="min_value", **refused)
    if spec.maximum is not None and value > spec.maximum:
        raise AmountRefused(_("%(label)s: số quá lớn."), code="max_value", **refused)
    if spec.unit.decimals == 0:
        return int(value)
    return value.quantize(Decimal(1).scaleb(-spec.unit.decimals))


class AmountRefused(ValueError):
    """A parsed amount that the field refuses; `message % params` is the Vietnamese text."""

    def __init__(self, message, *, code, spec, label, text=""):
        super().__init__(code)
        self.message, self.code = message, code
        self.params = {
            "label": label,
            "unit": spec.unit.suffix,
            "text": text,
            "example": spec.unit.example,
            "places": spec.unit.decimals,
        }

    def __str__(self) -> str:
        return str(self.message) % self.params


def read(spec: AmountSpec, value, label=None) -> int | Decimal | None:
    """Text, an int, a Decimal or a (finite) float as the spec's amount; None when blank.

    Raises AmountRefused with the message naming the field and showing how to write it.
    """
    label = label or spec.label
    if value is None or isinstance(value, bool):
        if value is None:
            return None
        raise AmountRefused(NOT_UNDERSTOOD, code="invalid", spec=spec, label=label, text=str(value))
    if isinstance(value, str):
        try:
            number = parse(value)
        except AmountError as exc:
            raise AmountRefused(NOT_UNDERSTOOD, code="invalid", spec=spec, label=label, text=exc.text.strip()) from None
        if number is None:
            return None
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            # JSON's NaN, Infinity and 1e400 (which reads as Infinity) are no amount.
            shown = "NaN" if value != value else "Infinity" if value > 0 else "-Infinity"
            raise AmountRefused(NOT_UNDERSTOOD, code="invalid", spec=spec, label=label, text=shown)
        number = Decimal(repr(value))  # the shortest exact text of the float
    elif isinstance(value, (int, Decimal)):
        number = Decimal(value)
        if not number.is_finite():
            raise AmountRefused(NOT_UNDERSTOOD, code="invalid", spec=spec, label=label, text=str(value))
    else:
        raise AmountRefused(NOT_UNDERSTOOD, code="invalid", spec=spec, label=label, text=str(value))
    if number.adjusted() >= MAX_DIGITS:
        raise AmountRefused(_("%(label)s: số quá lớn."), code="max_value", spec=spec, label=label, text=str(value))
    shown = value.strip() if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    return check(spec, number, label, shown)


NOT_UNDERSTOOD = _("%(label)s: không hiểu '%(text)s'. Hãy viết %(example)s.")


def format_amount(value, unit: Unit) -> str:
    """1234567.5 → "1.234.567,5" (grouped, trailing zero decimals dropped), in the unit's precision."""
    return format_number(value, unit.decimals, trim=True)


def in_words(value, unit: Unit) -> str:
    """A short reading in tỷ / triệu: 245000000000 đồng → "245 tỷ đồng", 1500000 USD → "1,5 triệu USD"."""
    number = Decimal(value)
    for size, word in ((TY, _("tỷ")), (TRIEU, _("triệu"))):
        if abs(number) >= size:
            scaled = (number / size).quantize(Decimal("0.01"))
            return f"{format_number(scaled, 2, trim=True)} {word} {unit.suffix}"
    return f"{format_amount(number, unit)} {unit.suffix}"


def warning(spec: AmountSpec, value, label=None) -> str | None:
    """The plausibility warning for `value` (None when usual): names the field, the value and the range."""
    side = spec.unusual(value)
    if side is None:
        return None
    if side == "small":
        text = _(
            "%(label)s: %(value)s — rất nhỏ so với %(noun)s thường gặp (từ %(bound)s); kiểm tra lại hoặc đánh dấu "
            "“Tôi xác nhận số liệu này”."
        )
        bound = spec.usual_min
    else:
        text = _(
            "%(label)s: %(value)s — rất lớn so với %(noun)s thường gặp (đến %(bound)s); kiểm tra lại hoặc đánh dấu "
            "“Tôi xác nhận số liệu này”."
        )
        bound = spec.usual_max
    return str(text) % {
        "label": label or spec.label,
        "value": f"{format_amount(value, spec.unit)} {spec.unit.suffix}",
        "noun": spec.noun,
        "bound": in_words(bound, spec.unit),
    }
