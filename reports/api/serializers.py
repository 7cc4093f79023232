"""JSON shapes of the approval workflow's API (issue 7): a board's periods and their approval, data-quality
warnings, reopen requests, corrections and the ministry's acceptance of a summary.

Serializers shape the output and check the shape of the input only; every rule (who may, what is refused
and why) is the services' (reports.services.approval, .corrections), whose Vietnamese messages the views pass on.
Boards travel as their codes, people as their usernames, periods as their codes (DOMAIN.md §4).
"""

from __future__ import annotations

import json

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from investment.api.licences import LicenceEventSerializer
from reports.models import Correction, DataIssue, PeriodApproval, ReopenRequest, SummaryAcceptance


def _username(source: str) -> serializers.CharField:
    return serializers.CharField(source=f"{source}.username", read_only=True, allow_null=True)


# --- approvals and the board's periods ------------------------------------------------------------------


class ApprovalSerializer(serializers.ModelSerializer):
    """A board's approval of a period and the report version it pinned (`snapshot_version`), as shown under
    the period (the selectors join the approver and the snapshot, nothing else)."""

    approved_by = _username("approved_by")
    snapshot_version = serializers.IntegerField(source="snapshot.version", read_only=True)

    class Meta:
        model = PeriodApproval
        fields = ["approved_at", "approved_by", "version", "snapshot_version", "issue_count", "note"]
        read_only_fields = fields


class ApprovalCreatedSerializer(ApprovalSerializer):
    """The approval just made, naming its board and period."""

    board = serializers.CharField(source="board.code", read_only=True)

    class Meta(ApprovalSerializer.Meta):
        fields = ["board", "period", *ApprovalSerializer.Meta.fields]
        read_only_fields = fields


# Statuses travel as their codes, documented as text: an enum named "status" would collide in the schema with
# the other apps' status enums.
_REOPEN_STATUS = _("Mã trạng thái: requested, granted, refused, expired hoặc closed")
_CORRECTION_STATUS = _("Mã trạng thái: proposed, applied hoặc rejected")


class ReopenBriefSerializer(serializers.ModelSerializer):
    """A reopen request waiting for the leader, or a reopening still open, on a period's row."""

    status = serializers.CharField(read_only=True, help_text=_REOPEN_STATUS)

    class Meta:
        model = ReopenRequest
        fields = ["id", "status", "open_until"]
        read_only_fields = fields


class CompletenessSerializer(serializers.Serializer):
    """The board's quarterly reports of the period: expected, received, and the status against the deadline."""

    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    status = serializers.CharField()


class PeriodRowSerializer(serializers.Serializer):
    """One period of a board (reports.selectors.approval.PeriodRow)."""

    period = serializers.CharField(source="period.code")
    label = serializers.CharField(source="period.label")
    ended = serializers.BooleanField()
    deadline = serializers.DateField(source="status.deadline")
    completeness = CompletenessSerializer(source="status")
    approval = ApprovalSerializer(allow_null=True)
    issues = serializers.IntegerField()
    reopen = ReopenBriefSerializer(allow_null=True)
    pending_corrections = serializers.IntegerField(source="corrections")


class ApproveSerializer(serializers.Serializer):
    period = serializers.CharField(help_text=_("Mã kỳ: quý, 6 tháng hoặc năm, ví dụ 2025-Q3"))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    acknowledge_issues = serializers.BooleanField(
        required=False, default=False, help_text=_("Đã xem và xác nhận các cảnh báo chất lượng dữ liệu của kỳ")
    )


class DataIssueSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataIssue
        fields = ["rule", "message", "project_code", "found_at"]
        read_only_fields = fields


# --- reopen requests ------------------------------------------------------------------------------------


class ReopenRequestSerializer(serializers.ModelSerializer):
    board = serializers.CharField(source="approval.board.code", read_only=True)
    period = serializers.CharField(source="approval.period", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_REOPEN_STATUS)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = _username("requested_by")
    decided_by = _username("decided_by")

    class Meta:
        model = ReopenRequest
        fields = [
            "id", "board", "period", "reason", "status", "status_name", "requested_by", "requested_at",
            "decided_by", "decided_at", "decision_note", "open_until", "ended_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReopenCreateSerializer(serializers.Serializer):
    board = serializers.CharField(help_text=_("Mã Ban quản lý, ví dụ HNA"))
    period = serializers.CharField(help_text=_("Mã kỳ đã phê duyệt, ví dụ 2025-Q3"))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReopenGrantSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text=_("Số ngày mở lại"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- corrections ----------------------------------------------------------------------------------------


class CorrectionSerializer(serializers.ModelSerializer):
    """A correction in a list: the event it changes, the proposed values, who proposed and decided."""

    board = serializers.CharField(source="board.code", read_only=True)
    project_code = serializers.CharField(source="event.project.code", read_only=True)
    event_kind = serializers.CharField(source="event.kind", read_only=True)
    event_date = serializers.DateField(source="event.event_date", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_CORRECTION_STATUS)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    proposed_by = _username("proposed_by")
    decided_by = _username("decided_by")

    class Meta:
        model = Correction
        fields = [
            "id", "board", "event", "project_code", "event_kind", "event_date", "changes", "voided", "reason",
            "status", "status_name", "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_note",
            "applied_event",
        ]  # fmt: skip
        read_only_fields = fields


class CorrectionDetailSerializer(CorrectionSerializer):
    """One correction with the event's values before it (for the proposed fields) and its supporting file."""

    old_values = serializers.SerializerMethodField()
    attachment_url = serializers.SerializerMethodField()

    class Meta(CorrectionSerializer.Meta):
        fields = [*CorrectionSerializer.Meta.fields, "old_values", "attachment_name", "attachment_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_old_values(self, correction) -> dict:
        # The event as the ledger API shows it, so dates and amounts read like the proposed values.
        event = LicenceEventSerializer(correction.event).data
        return {name: event.get(name) for name in correction.changes}

    @extend_schema_field(OpenApiTypes.URI)
    def get_attachment_url(self, correction) -> str | None:
        try:
            url = reverse("reports:correction_file", kwargs={"pk": correction.pk})
        except NoReverseMatch:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(OpenApiTypes.OBJECT)
class ChangesField(serializers.Field):
    """The proposed values {field: value}: a JSON object, or its text (a multipart form sends text)."""

    # Raised as is, not through fail(): DRF would str.format() the example's braces.
    invalid = _('Giá trị đề nghị phải là một đối tượng JSON, ví dụ {"capital_vnd": 1}.')

    def to_internal_value(self, data):
        if isinstance(data, str):
            if not data.strip():
                return {}
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError(self.invalid) from None
        if not isinstance(data, dict):
            raise serializers.ValidationError(self.invalid)
        return data

    def to_representation(self, value):
        return value


class CorrectionCreateSerializer(serializers.Serializer):
    event = serializers.IntegerField(help_text=_("Id phiên bản sự kiện cấp phép được đính chính"))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    voided = serializers.BooleanField(required=False, default=False)
    changes = ChangesField(required=False, default=dict)
    attachment = serializers.FileField(required=False, allow_null=True, default=None)


class ApprovalDetailSerializer(serializers.Serializer):
    """One period of a board: its approval (or null), data-quality warnings, reopen requests, corrections."""

    period = serializers.CharField()
    label = serializers.CharField()
    approval = ApprovalSerializer(allow_null=True)
    issues = DataIssueSerializer(many=True)
    reopen_requests = ReopenRequestSerializer(many=True)
    corrections = CorrectionSerializer(many=True)


# --- the ministry's acceptance --------------------------------------------------------------------------


class AcceptanceSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="snapshot.version", read_only=True)
    accepted_by = _username("accepted_by")

    class Meta:
        model = SummaryAcceptance
        fields = ["scope", "period", "version", "accepted_at", "accepted_by"]
        read_only_fields = fields
