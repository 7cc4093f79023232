"""Fields shared by the emulation serializers: points and boards on output, and on input fields whose refusals
are Vietnamese sentences of their own (the same since the API was written; several differ from the wording
locale/vi gives DRF's messages, and the tests pin them)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def points_field(**kwargs) -> serializers.DecimalField:
    # The project sends amounts as numbers (COERCE_DECIMAL_TO_STRING off); points are exact strings.
    return serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=True, read_only=True, **kwargs)


def board_field(source: str | None = None) -> serializers.SlugRelatedField:
    kwargs = {"source": source} if source else {}
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


# Input fields answer in Vietnamese: DRF's own catalogue translates little more than "required".
NOT_NULL = _("Trường này không được để null.")
LIST_MESSAGES = {"not_a_list": _("Cần một danh sách."), "null": NOT_NULL}


def text_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        error_messages={
            "blank": _("Trường này không được để trống."),
            "null": NOT_NULL,
            "invalid": _("Cần một chuỗi ký tự."),
            "max_length": _("Tối đa {max_length} ký tự."),
        },
        **kwargs,
    )


def date_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(
        error_messages={
            "invalid": _("Ngày không hợp lệ; ghi theo dạng YYYY-MM-DD, ví dụ 2025-03-01."),
            "null": NOT_NULL,
        },
        **kwargs,
    )


def year_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": _("Năm phải là số nguyên, ví dụ 2025."),
            "min_value": _("Năm không được trước {min_value}."),
            "max_value": _("Năm không được sau {max_value}."),
            "null": NOT_NULL,
        },
        **kwargs,
    )


class VietnameseChoiceField(serializers.ChoiceField):
    """A choice refused in Vietnamese, naming the values accepted."""

    def fail(self, key, **kwargs):
        if key == "invalid_choice":
            message = gettext("“%(input)s” không hợp lệ; chỉ nhận: %(values)s.") % {
                "input": kwargs["input"], "values": ", ".join(self.choice_strings_to_values)}  # fmt: skip
            raise serializers.ValidationError(message, code=key)
        if key == "null":
            raise serializers.ValidationError(str(NOT_NULL), code=key)
        super().fail(key, **kwargs)


def enum_of(component: str, choices) -> type[serializers.ChoiceField]:
    """A ChoiceField whose schema refers to the enum of the read shape `component` (e.g. "MovementKindEnum").
    Shared by two components, one enum would get a hashed name and a drf-spectacular warning."""

    @extend_schema_field({"$ref": f"#/components/schemas/{component}Enum"})
    class EnumField(VietnameseChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return EnumField


class CodeField(serializers.SlugRelatedField):
    """An object named by its code on input. `context_key` names the queryset the view puts in the
    serializer's context (the boards this user may name); the declared queryset serves the schema."""

    def __init__(self, *, context_key: str | None = None, **kwargs):
        self.context_key = context_key
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        if self.context_key is not None and self.context_key in self.context:
            return self.context[self.context_key]
        return super().get_queryset()
