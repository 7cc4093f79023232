"""JSON shapes of movements, files, award decisions, the titles catalogue, eligibility and the year-end
review's proposals, and the bodies that launch or change a movement and record a decision."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from emulation.api.serializers.fields import (
    LIST_MESSAGES,
    CodeField,
    VietnameseChoiceField,
    board_field,
    date_field,
    enum_of,
    text_field,
    year_field,
)
from emulation.enums import LaunchLevel, MovementKind, MovementStatus, RecipientKind
from emulation.models import (
    Attachment,
    AwardDecision,
    AwardTitle,
    Bloc,
    EligibilityRule,
    Movement,
    Proposal,
    Recipient,
)
from zones.models import Board


class ProposalSerializer(serializers.ModelSerializer):
    board = board_field()
    title = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)

    class Meta:
        model = Proposal
        fields = ["board", "title", "title_name"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "uploaded_at"]
        read_only_fields = fields


# --- movements and awards ---------------------------------------------------------------------------


class MovementSerializer(serializers.ModelSerializer):
    """A movement with who takes part and its files (one shape for the list and the detail)."""

    launched_by_board = board_field()
    blocs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    boards = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "launched_by_level",
            "launched_by",
            "launched_by_board",
            "starts_on",
            "ends_on",
            "decision_no",
            "decision_date",
            "content",
            "slogan",
            "blocs",
            "boards",
            "attachments",
            "version",
        ]
        read_only_fields = fields


class AwardDecisionSerializer(serializers.ModelSerializer):
    title = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)
    recipient_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AwardDecision
        fields = ["id", "number", "date", "issuer", "title", "title_name", "year", "movement", "recipient_count"]
        read_only_fields = fields


class RecipientSerializer(serializers.ModelSerializer):
    board = board_field()

    class Meta:
        model = Recipient
        fields = ["id", "kind", "board", "name", "position"]
        read_only_fields = fields


class AwardDecisionDetailSerializer(serializers.ModelSerializer):
    title = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title_name = serializers.CharField(source="title.name", read_only=True)
    recipients = RecipientSerializer(many=True, read_only=True)

    class Meta:
        model = AwardDecision
        fields = ["id", "number", "date", "issuer", "title", "title_name", "year", "movement", "note", "recipients"]
        read_only_fields = fields


class EligibilityRuleSerializer(serializers.ModelSerializer):
    required = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = EligibilityRule
        fields = ["order", "description", "required", "min_count", "window_years", "consecutive"]
        read_only_fields = fields


class AwardTitleSerializer(serializers.ModelSerializer):
    rules = EligibilityRuleSerializer(many=True, read_only=True)

    class Meta:
        model = AwardTitle
        fields = ["code", "name", "kind", "level", "awarded_to", "order", "active", "rules"]
        read_only_fields = fields


# --- writes of movements and award decisions ----------------------------------------------------------


class MovementWriteSerializer(serializers.Serializer):
    """A movement to launch (POST) or change (PATCH: what is left out stays). The launching board must be
    one the user may name (their own board for a board's staff); participants are any blocs and boards."""

    name = text_field(max_length=500)
    launched_by_level = VietnameseChoiceField(choices=LaunchLevel.choices)
    launched_by = text_field(max_length=255)
    launched_by_board = CodeField(
        context_key="launch_boards",
        queryset=Board.objects.all(),
        allow_null=True,
        required=False,
        error_messages={
            "does_not_exist": _(
                "Ban quản lý “{value}” không tồn tại hoặc bạn không được phát động phong trào cho Ban này."
            ),
            "invalid": _("Mã Ban quản lý không hợp lệ."),
        },
    )
    kind = enum_of("MovementKind", MovementKind.choices)(required=False)
    starts_on = date_field()
    ends_on = date_field(allow_null=True, required=False)
    decision_no = text_field(max_length=60, allow_blank=True, required=False)
    decision_date = date_field(allow_null=True, required=False)
    content = text_field(allow_blank=True, required=False)
    slogan = text_field(max_length=500, allow_blank=True, required=False)
    blocs = CodeField(
        many=True,
        queryset=Bloc.objects.all(),
        required=False,
        error_messages={
            "does_not_exist": _("Không có khối thi đua mã “{value}”."),
            "invalid": _("Mã khối không hợp lệ."),
            **LIST_MESSAGES,
        },
    )
    boards = CodeField(
        many=True,
        queryset=Board.objects.all(),
        required=False,
        error_messages={
            "does_not_exist": _("Không có Ban quản lý mã “{value}”."),
            "invalid": _("Mã Ban quản lý không hợp lệ."),
            **LIST_MESSAGES,
        },
    )


class MovementAdvanceSerializer(serializers.Serializer):
    status = enum_of("MovementStatus", MovementStatus.choices)(
        help_text=_("Trạng thái tiếp theo: reviewing, rồi awarded.")
    )


class RecipientInputSerializer(serializers.Serializer):
    """A person, unit or board named on a decision; found by board, kind and name, created when new."""

    kind = enum_of("RecipientKind", RecipientKind.choices)()
    board = CodeField(
        context_key="recipient_boards",
        queryset=Board.objects.all(),
        error_messages={
            "does_not_exist": _("Ban quản lý “{value}” không tồn tại hoặc bạn không được ghi khen thưởng cho Ban này."),
            "invalid": _("Mã Ban quản lý không hợp lệ."),
        },
    )
    name = text_field(max_length=255)
    position = text_field(max_length=255, allow_blank=True, default="")


class AwardDecisionWriteSerializer(serializers.Serializer):
    """An award decision with its recipients, all or nothing."""

    number = text_field(max_length=60)
    date = date_field()
    issuer = text_field(max_length=255)
    title = CodeField(
        queryset=AwardTitle.objects.filter(active=True),
        error_messages={
            "does_not_exist": _("Không có danh hiệu, hình thức đang dùng nào mã “{value}”."),
            "invalid": _("Mã danh hiệu không hợp lệ."),
        },
    )
    year = year_field(help_text=_("Năm thành tích."))
    movement = serializers.PrimaryKeyRelatedField(
        queryset=Movement.objects.all(),
        allow_null=True,
        default=None,
        error_messages={
            "does_not_exist": _("Không có phong trào thi đua id {pk_value}."),
            "incorrect_type": _("Id phong trào phải là số nguyên."),
        },
    )
    note = text_field(allow_blank=True, default="")
    recipients = RecipientInputSerializer(
        many=True,
        max_length=200,
        error_messages={**LIST_MESSAGES, "max_length": _("Tối đa {max_length} người, tập thể.")},
    )


# --- eligibility ---------------------------------------------------------------------------------------


class EligibilityQuerySerializer(serializers.Serializer):
    recipient = serializers.IntegerField(
        min_value=1,
        error_messages={
            "invalid": _("Mã người, tập thể được khen phải là số nguyên."),
            "min_value": _("Mã không hợp lệ."),
        },
    )
    year = year_field()


class RuleResultSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="rule.order")
    description = serializers.CharField(source="rule.description")
    met = serializers.BooleanField()
    years = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    """emulation.eligibility.check's answer: eligible only when every rule is met (no rules: eligible)."""

    title = serializers.CharField(source="title.code")
    title_name = serializers.CharField(source="title.name")
    recipient = serializers.SerializerMethodField()
    year = serializers.IntegerField()
    eligible = serializers.BooleanField()
    rules = RuleResultSerializer(source="results", many=True)

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, result) -> dict:
        return RecipientSerializer(self.context["recipient"]).data
