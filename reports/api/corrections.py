"""API of the corrections (issue 7): changing a licence event of an approved period.

    corrections/?board=&status=      corrections (GET, paginated; reports.filters.CorrectionFilter); propose one
                                     (POST, multipart with the supporting file); …/<id>/ (GET); …/approve/,
                                     …/reject/ (POST, the board's leader)

Thin views: reads through reports.selectors.corrections, writes through reports.services.corrections
(audited with source API); answers as reports/api/approval.py says.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from investment.selectors import licences as investment_selectors
from kcn_portal.core.api import call_service
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.parsers import JSONParser
from kcn_portal.core.services import require as _require
from reports.api.approval import REFUSED, location_header
from reports.api.serializers import (
    CorrectionCreateSerializer,
    CorrectionDetailSerializer,
    CorrectionSerializer,
    NoteSerializer,
)
from reports.enums import CorrectionStatus
from reports.filters import CorrectionFilter
from reports.models import Correction
from reports.selectors import corrections as selectors
from reports.services import corrections as services
from zones import access


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("board", OpenApiTypes.STR, description="mã Ban quản lý"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=CorrectionStatus.values, description="trạng thái"),
        ],
        description="Đề nghị đính chính của các Ban người dùng được xem, mới nhất trước.",
    ),
    retrieve=extend_schema(
        responses={200: CorrectionDetailSerializer, 404: REFUSED[404]},
        description="Một đề nghị: giá trị đề nghị, giá trị hiện tại của sự kiện ở các trường đó, tệp căn cứ.",
    ),
    create=extend_schema(
        request={"multipart/form-data": CorrectionCreateSerializer, "application/json": CorrectionCreateSerializer},
        responses={201: CorrectionDetailSerializer, **REFUSED},
        description=(
            "Chuyên viên Ban đề nghị đính chính một sự kiện cấp phép thuộc kỳ đã phê duyệt, kèm lý do và tệp căn cứ "
            '(PDF, JPG, PNG, DOCX, XLSX). changes: đối tượng JSON (hoặc chuỗi JSON) {"capital_vnd": 1400000000000}; '
            "voided = true để hủy sự kiện. Áp dụng khi lãnh đạo Ban duyệt."
        ),
    ),
)
class CorrectionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Corrections of licence events in approved periods: list, propose (with a file), read, approve, reject."""

    serializer_class = CorrectionSerializer
    queryset = Correction.objects.none()
    lookup_value_regex = r"\d+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = CorrectionFilter  # a status that is no status: 400 naming it

    def get_queryset(self):
        return selectors.correction_list(user=self.request.user)

    def _correction(self, pk) -> Correction:
        try:
            return selectors.correction_get(user=self.request.user, pk=pk)
        except Http404:
            raise NotFound(_("Không tìm thấy đề nghị đính chính này.")) from None

    def _answer(self, correction: Correction, status_code=status.HTTP_200_OK, headers=None):
        correction = self._correction(correction.pk)
        data = CorrectionDetailSerializer(correction, context={"request": self.request}).data
        return Response(data, status=status_code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self._correction(self.kwargs["pk"]))

    def create(self, request, *args, **kwargs):
        _require(access.can_write_any_board(request.user))  # board staff propose
        body = CorrectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            # Only an event the user may write is proposed for correction; any other is "not found".
            event = investment_selectors.event_get(user=request.user, pk=data.pop("event"), for_write=True)
        except Http404:
            raise NotFound(_("Không tìm thấy sự kiện cấp phép này.")) from None
        correction = call_service(
            services.correction_propose, user=request.user, event=event, source=AuditSource.API, **data
        )
        return self._answer(
            correction, status.HTTP_201_CREATED, location_header(request, "api:correction-detail", pk=correction.pk)
        )

    def _decide(self, service):
        correction = self._correction(self.kwargs["pk"])
        body = NoteSerializer(data=self.request.data)
        body.is_valid(raise_exception=True)
        correction = call_service(
            service, user=self.request.user, correction=correction, source=AuditSource.API, **body.validated_data
        )
        return self._answer(correction)

    @extend_schema(
        request=NoteSerializer,
        responses={200: CorrectionDetailSerializer, **REFUSED},
        description=(
            "Lãnh đạo Ban duyệt: sự kiện có phiên bản mới; các báo cáo đã phê duyệt chịu ảnh hưởng được tính lại "
            "và ghi là đã điều chỉnh so với phiên bản trước."
        ),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        return self._decide(services.correction_approve)

    @extend_schema(
        request=NoteSerializer,
        responses={200: CorrectionDetailSerializer, **REFUSED},
        description="Lãnh đạo Ban không duyệt, ghi rõ lý do (bắt buộc).",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        return self._decide(services.correction_reject)
