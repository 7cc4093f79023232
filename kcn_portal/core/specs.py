"""Field specs: the rules of a record's fields written once, read by every layer that takes the record in.

A `FieldSpec` names a field's kind (text, date, amount, choice, number), its limits (required, max_length,
the choices, the bounds — an amount's are its `core.amounts.AmountSpec` —, no date after today) and the
Vietnamese message of each rule. A `RecordSpec` holds a record's field specs and the messages of the rules
that involve several fields. The apps write one per record (investment/specs.py, zones/specs.py); then

- the model takes its `max_length`, its validators (`model_validators()`) and, through
  `RecordSpec.clean_fields`, the messages of the rules that `Model.clean_fields` would word otherwise;
- forms take `form_field()`, serializers `serializer_field()`: the same limits with the same messages;
- bulk importers call `check(value)`: plain comparisons, no form per row, the same messages.

One rule, one message. Where a layer's tests pin the framework's own wording for a rule (Django's "Trường
này là bắt buộc." on a page, DRF's on the API), `layers={FORM: {"required": FRAMEWORK}}` says so in the spec
rather than in the layer. Amounts are read by the pages and the API with `core.amounts` (its messages name
the field and show how to write the amount); the model and the importers apply the same bounds as Django
validators (`model_validators()` plus the columns' own ranges).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import amounts
from .forms import AmountField, DateField

TEXT, DATE, AMOUNT, CHOICE, NUMBER = "text", "date", "amount", "choice", "number"
MODEL, FORM, API, IMPORT = "model", "form", "api", "import"
FRAMEWORK = None  # in `layers`: this layer keeps Django's or DRF's own message for the rule


def _formatted(message, params: dict) -> str:
    return str(message) % params


formatted = lazy(_formatted, str)  # a message with its parameters, translated when shown


def _either(values) -> str:
    values = [str(value) for value in values]
    if len(values) < 2:
        return "".join(values)
    return str(_("%(items)s hoặc %(last)s") % {"items": ", ".join(values[:-1]), "last": values[-1]})


either = lazy(_either, str)  # "issue, adjust hoặc terminate": the allowed values as a sentence says them


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record: its kind, its limits and the message of each rule.

    Message codes: "required", "max_length", "invalid_choice" (`%(value)s` the value given, `%(choices)s`
    the allowed ones), "future" (`%(date)s`), "min_value" and "decimals" (amounts, model and import), and
    for any message `%(limit)s` (max_length). A rule without a message keeps the framework's wording.
    """

    kind: str
    label: object = None
    required: bool = False
    max_length: int | None = None
    choices: object = None  # a TextChoices class or an iterable of (value, label)
    amount: amounts.AmountSpec | None = None
    minimum: int | None = None  # NUMBER bounds
    maximum: int | None = None
    not_after_today: bool = False
    messages: Mapping = field(default_factory=dict)
    layers: Mapping = field(default_factory=dict)

    # --- messages ---------------------------------------------------------------------------------

    def message(self, code: str, layer: str = MODEL):
        """The rule's message for `layer` (None: the framework's own)."""
        overrides = self.layers.get(layer, {})
        return overrides[code] if code in overrides else self.messages.get(code)

    def text(self, code: str, layer: str = MODEL, **params):
        """The rule's message with its parameters (lazy: translated when shown); None when the framework words it."""
        message = self.message(code, layer)
        if message is None:
            return None
        return formatted(message, {"limit": self.max_length, "choices": either(tuple(self.values())), **params})

    def values(self) -> list[str]:
        """The allowed values of a choice, in order (read once: a country list is long)."""
        return self._values

    @cached_property
    def _values(self) -> list[str]:
        if self.choices is None:
            return []
        return [value for value, _label in getattr(self.choices, "choices", self.choices)]

    @cached_property
    def _allowed(self) -> frozenset[str]:
        return frozenset(self._values)

    # --- the model and the importers ------------------------------------------------------------------

    def model_validators(self) -> list:
        """The model field's validators: an amount's or a number's bounds (the spec's message, else Django's)."""
        if self.kind == AMOUNT and self.amount.minimum is not None:
            message = self.message("min_value")
            return [MinValueValidator(self.amount.minimum, **({"message": message} if message else {}))]
        if self.kind == NUMBER:
            return [MinValueValidator(self.minimum), MaxValueValidator(self.maximum)]
        return []

    def within(self, value) -> bool:
        """Whether a NUMBER is inside its bounds."""
        return self.minimum <= value <= self.maximum

    def check(self, value, *, layer: str = IMPORT, today: datetime.date | None = None, validate=None) -> list[str]:
        """The messages of the rules `value` breaks (those with a message for `layer`); no query.

        `today` turns on the "not after today" rule of a date; `validate` checks an amount in the model's
        terms (the model field's `run_validators`: `model_validators()` and the column's range).
        """
        errors = []

        def refuse(code, **params):
            text = self.text(code, layer, value=value, **params)
            if text is not None:
                errors.append(str(text))

        if value is None or value == "":
            if self.required:
                # An empty required choice is not one of the choices, unless the spec words it otherwise.
                refuse("required" if self.kind != CHOICE or self.message("required", layer) else "invalid_choice")
            return errors
        if self.kind in (TEXT, CHOICE) and self.max_length is not None and len(value) > self.max_length:
            refuse("max_length")
        if self.kind == CHOICE and value not in self._allowed:
            refuse("invalid_choice")
        if self.kind == DATE and today is not None and self.not_after_today and value > today:
            refuse("future", date=value.strftime("%d/%m/%Y"))
        if self.kind == AMOUNT:
            errors += self._check_amount(value, layer, validate)
        return errors

    def _check_amount(self, value, layer, validate) -> list[str]:
        decimals = self.message("decimals", layer)
        if decimals is not None and amounts.decimals_of(value) > self.amount.unit.decimals:
            # Worded by the spec (the column's validator would say it in Django's words). A positive amount
            # (minimum above 0) is refused only at or below 0 here: 0.005 is refused for its decimals alone.
            minimum = self.amount.minimum
            below = minimum is not None and (value <= 0 if minimum > 0 else value < minimum)
            return [str(self.text("min_value", layer))] * below + [str(self.text("decimals", layer))]
        if validate is None:
            return []
        try:
            validate(value)
        except ValidationError as exc:
            return exc.messages
        return []

    def future_validator(self, value) -> None:
        """A form validator: no date after today."""
        if value and value > timezone.localdate():
            raise ValidationError(self.text("future", FORM, date=value.strftime("%d/%m/%Y")), code="future")

    # --- forms ----------------------------------------------------------------------------------------

    def form_field(self, **kwargs) -> forms.Field:
        """The form field of this spec; `kwargs` (label, required, widget, help_text, choices…) adapt it to a form."""
        required = kwargs.pop("required", self.required)
        label = kwargs.pop("label", self.label)
        messages = self._messages(FORM, {"required": "required"})
        if self.kind == AMOUNT:
            return AmountField(self.amount, required=required, label=label, **kwargs)
        if self.kind == DATE:
            validators = [self.future_validator] if self.not_after_today else []
            return DateField(label=label, required=required, validators=validators, error_messages=messages, **kwargs)
        if self.kind == CHOICE:
            choices = kwargs.pop("choices", getattr(self.choices, "choices", self.choices))
            messages.update(self._choice_messages(FORM, choices, value="%(value)s"))
            return forms.ChoiceField(label=label, required=required, choices=choices, error_messages=messages, **kwargs)
        field = forms.CharField(
            label=label, required=required, max_length=self.max_length, error_messages=messages, **kwargs
        )
        return self._worded_length(field, FORM)

    def _worded_length(self, field, layer):
        # Django adds its own MaxLengthValidator; the spec's replaces it when the spec words the rule.
        text = self.text("max_length", layer)
        if self.max_length is not None and text is not None:
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.validators.append(MaxLengthValidator(self.max_length, message=text))
        return field

    def _messages(self, layer: str, codes: dict, **params) -> dict:
        """{framework code: message} for the rules the spec words ({framework code: spec code} in `codes`)."""
        out = {}
        for framework_code, code in codes.items():
            text = self.text(code, layer, **params)
            if text is not None:
                out[framework_code] = text
        return out

    def _choice_messages(self, layer: str, choices, value: str) -> dict:
        # The value is left as a placeholder for the framework to fill; the choices are the field's own.
        allowed = either(tuple(choice for choice, _label in choices))
        return self._messages(layer, {"invalid_choice": "invalid_choice"}, value=value, choices=allowed)

    # --- the API --------------------------------------------------------------------------------------

    def serializer_field(self, **kwargs) -> serializers.Field:
        """The DRF field of this spec; `kwargs` (required, allow_blank, choices, default…) adapt it to a serializer."""
        required = kwargs.pop("required", self.required)
        if self.kind == AMOUNT:
            return amount_field(self.amount, required=required, **kwargs)
        messages = self._messages(API, {"required": "required", "blank": "required"})
        if self.kind == DATE:
            return serializers.DateField(required=required, error_messages=messages, **kwargs)
        # A text or choice that is optional everywhere accepts "" (nothing stated).
        kwargs.setdefault("allow_blank", not (self.required or required))
        if self.kind == CHOICE:
            field_class = kwargs.pop("field_class", serializers.ChoiceField)
            choices = kwargs.pop("choices", getattr(self.choices, "choices", self.choices))
            messages.update(self._choice_messages(API, choices, value="{input}"))
            return field_class(choices=choices, required=required, error_messages=messages, **kwargs)
        max_length = self.text("max_length", API)
        if max_length is not None:
            messages["max_length"] = max_length
        return serializers.CharField(max_length=self.max_length, required=required, error_messages=messages, **kwargs)


class RecordSpec(Mapping):
    """The field specs of one record, by field name, and the messages of its rules across fields."""

    def __init__(self, fields: dict[str, FieldSpec], rules: dict | None = None):
        self.fields = dict(fields)
        self.rules = dict(rules or {})

    def __getitem__(self, name: str) -> FieldSpec:
        return self.fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def rule(self, code: str, **params):
        """The message of a rule across fields (lazy when it has no parameters)."""
        return formatted(self.rules[code], params) if params else self.rules[code]

    @property
    def amounts(self) -> dict[str, amounts.AmountSpec]:
        """{name: AmountSpec} of the record's amounts (unit, label, bounds, usual range)."""
        return {name: spec.amount for name, spec in self.fields.items() if spec.kind == AMOUNT}

    def clean_fields(self, instance, exclude, clean) -> None:
        """`Model.clean_fields` (`clean`) with the record's messages: a field whose rule the spec words and the
        value breaks is reported with the spec's message, the others are left to Django."""
        exclude = set(exclude or ())
        errors = {}
        for name, spec in self.fields.items():
            if name not in exclude and hasattr(instance, name):
                found = spec.check(getattr(instance, name), layer=MODEL)
                if found:
                    errors[name] = found
        try:
            clean(exclude=exclude | set(errors))
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)


# --- amounts in the API (read like the pages' amounts) ---------------------------------------------------


class SerializerAmountField(serializers.Field):
    """An amount of `spec`: a JSON number or a string typed the Vietnamese or the plain way (core.amounts).

    NaN, Infinity and numbers too large for the column (1e400 reads as Infinity) are a 400 naming the field.
    """

    def __init__(self, spec: amounts.AmountSpec, **kwargs):
        self.spec = spec
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            value = amounts.read(self.spec, data)
        except amounts.AmountRefused as exc:
            raise serializers.ValidationError(str(exc), code=exc.code) from None
        if value is None and not self.allow_null:
            self.fail("null")
        return value

    def to_representation(self, value):
        return value


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "example": "1.234.567"}], "nullable": True})
class WholeAmountField(SerializerAmountField):
    pass


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "example": "1.234.567,89"}], "nullable": True})
class DecimalAmountField(SerializerAmountField):
    pass


def amount_field(spec: amounts.AmountSpec, **kwargs) -> SerializerAmountField:
    """The API field of an amount: whole (đồng, people) or decimal (USD, hectares)."""
    return (WholeAmountField if spec.unit.decimals == 0 else DecimalAmountField)(spec, **kwargs)
