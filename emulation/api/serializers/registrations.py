"""JSON shapes of a bloc year's registrations: every member's status, one registration, the PUT body."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emulation.api.serializers.fields import LIST_MESSAGES, CodeField, board_field, enum_of, text_field
from emulation.enums import SubmissionStatus
from emulation.models import AwardTitle, CovenantTarget, Registration


class TitleRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AwardTitle
        fields = ["code", "name"]
        read_only_fields = fields


class RegistrationSummarySerializer(serializers.ModelSerializer):
    """What a member registered, in the list (only for those who may open it)."""

    titles = TitleRefSerializer(many=True, read_only=True)
    target_count = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["titles", "target_count", "version"]
        read_only_fields = fields

    def get_target_count(self, registration) -> int:
        return len(registration.targets.all())  # prefetched by selectors.registrations.registrations


class RegistrationRowSerializer(serializers.Serializer):
    """One member of the year in the bloc's order: whether and when it registered (the whole bloc sees
    that), and what it registered when the user may open it (`readable`; else `registration` is null)."""

    board = serializers.CharField(source="board.code")
    board_name = serializers.CharField(source="board.name")
    status = enum_of("RegistrationStatus", SubmissionStatus.choices)(allow_null=True)
    status_name = serializers.CharField(source="status_label")
    submitted_at = serializers.DateTimeField(allow_null=True)
    readable = serializers.BooleanField(source="can_open")
    registration = RegistrationSummarySerializer(allow_null=True)


class CovenantTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = CovenantTarget
        fields = ["order", "description", "indicator", "target_value"]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    """A member's registration: titles aimed for and covenant targets (values as numbers, like amounts)."""

    board = board_field()
    board_name = serializers.CharField(source="board.name", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    titles = TitleRefSerializer(many=True, read_only=True)
    targets = CovenantTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = ["board", "board_name", "status", "status_name", "submitted_at", "note", "titles", "targets",
                  "version"]  # fmt: skip
        read_only_fields = fields


class TargetInputSerializer(serializers.Serializer):
    """One covenant target: free text, or an indicator code of the reports catalogue with its value.
    The code and the value are checked by the service (its messages name the row)."""

    description = text_field(max_length=500, allow_blank=True, default="")
    indicator = text_field(
        max_length=60, allow_blank=True, default="", help_text=_("Mã chỉ tiêu báo cáo, ví dụ new_projects.")
    )
    target_value = text_field(
        required=False, allow_null=True, allow_blank=True, help_text=_('Giá trị cam kết, ví dụ "12" hoặc "1250.5".')
    )


class RegistrationSaveSerializer(serializers.Serializer):
    """The whole registration (PUT): titles by code and every target row; a row left out is removed."""

    titles = CodeField(
        many=True,
        queryset=AwardTitle.objects.filter(active=True),
        error_messages={
            "does_not_exist": _("Không có danh hiệu đang dùng nào mã “{value}”."),
            "invalid": _("Mã danh hiệu không hợp lệ."),
            **LIST_MESSAGES,
        },
    )
    targets = TargetInputSerializer(many=True, error_messages=LIST_MESSAGES)
    note = text_field(allow_blank=True, default="")
