"""API of the approval workflow (issue 7): approving a board's period data, reopening, corrections, and the
ministry's acceptance of a summary.

    boards/<code>/approvals/                 the board's periods with their approval (GET); approve (POST)
    boards/<code>/approvals/<period>/        one period: approval, data-quality warnings, reopen requests,
                                             corrections (GET)
    boards/<code>/data-issues/?period=       the data-quality warnings of a period (GET)
    reopen-requests/                         ask to reopen an approved period (POST); …/<id>/ (GET);
                                             …/<id>/grant/, …/refuse/, …/close/ (POST, the board's leader)
    corrections/?board=&status=              corrections (GET, paginated); propose one (POST, multipart with
                                             the supporting file); …/<id>/ (GET); …/approve/, …/reject/ (POST)
    reports/<scope>/<period>/accept/         the ministry accepts a bloc's or the nation's summary (POST)

Thin views: reads through reports.selectors_approval, writes through reports.services_approval (audited
with source API), every decision in the services and zones.access. Whatever belongs to a board the user
may not read answers 404; a readable object the user may not act on answers 403 with the service's
message; a refused value 400 with the service's Vietnamese messages ({field: [message]}, or
non_field_errors), the shape of every other app's API.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from investment.selectors import licences as investment_selectors
from kcn_portal import periods
from kcn_portal.core.api import call_service
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.parsers import JSONParser
from kcn_portal.core.services import require as _require
from zones import access

from .. import selectors_approval as selectors
from .. import services_approval as services
from ..enums import CorrectionStatus
from ..models import Correction, PeriodApproval, ReopenRequest
from ..scopes import ScopeError
from .serializers_approval import (
    AcceptanceSerializer,
    ApprovalCreatedSerializer,
    ApprovalDetailSerializer,
    ApproveSerializer,
    CorrectionCreateSerializer,
    CorrectionDetailSerializer,
    CorrectionSerializer,
    DataIssueSerializer,
    NoteSerializer,
    PeriodRowSerializer,
    ReopenCreateSerializer,
    ReopenGrantSerializer,
    ReopenRequestSerializer,
)

# Path patterns, shared with kcn_portal/api_router.py. Codes follow zones.models.code_validator; a period
# that is not a quarter, half or year answers 404 (selectors_approval.approvable_period).
CODE = r"[A-Za-z0-9_-]+"
PERIOD = r"[0-9]{4}(?:-[A-Za-z0-9]+)?"


# --- parameters and responses of the schema ---------------------------------------------------------

_BOARD_CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã Ban quản lý, ví dụ HNA")
_PERIOD = OpenApiParameter(
    "period", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã kỳ: quý, 6 tháng hoặc năm, ví dụ 2025-Q3"
)
_REFUSED = {
    400: OpenApiResponse(description="Giá trị không hợp lệ hoặc bị từ chối; thông báo nêu rõ lý do."),
    403: OpenApiResponse(description="Được xem nhưng không được thực hiện thao tác này."),
    404: OpenApiResponse(description="Không có, hoặc thuộc Ban người dùng không được xem."),
}


def _board(request, code: str):
    try:
        return selectors.board_get(user=request.user, code=code)
    except Http404:
        # Same answer for "no such board" and "not yours"; Django's own 404 text is English.
        raise NotFound(_("Không tìm thấy Ban quản lý “%(code)s”.") % {"code": code}) from None


def _location(request, name: str, **kwargs) -> dict:
    return {"Location": request.build_absolute_uri(reverse(name, kwargs=kwargs))}


def _invalid(field: str, message: str):
    return serializers.ValidationError({field: [message]})


# --- a board's periods and their approval ---------------------------------------------------------


@extend_schema(parameters=[_BOARD_CODE])
@extend_schema_view(
    list=extend_schema(
        responses={200: PeriodRowSerializer(many=True), 404: _REFUSED[404]},
        description=(
            "Các quý, 6 tháng và năm gần đây của Ban và mọi kỳ đã phê duyệt: hạn nộp, mức đủ số liệu, "
            "phê duyệt (null khi chưa), số cảnh báo chất lượng, đề nghị mở lại đang chờ hoặc đang mở, "
            "số đề nghị đính chính chờ duyệt. Không phân trang."
        ),
    ),
    create=extend_schema(
        request=ApproveSerializer,
        responses={201: ApprovalCreatedSerializer, **_REFUSED},
        description=(
            "Lãnh đạo Ban phê duyệt số liệu một quý, 6 tháng hoặc năm đã kết thúc: báo cáo của Ban được tính lại "
            "và phiên bản đó được dùng cho báo cáo tổng hợp; sự kiện cấp phép và báo cáo doanh nghiệp của kỳ bị "
            "khóa. Kỳ còn cảnh báo chất lượng dữ liệu cần acknowledge_issues = true."
        ),
    ),
    retrieve=extend_schema(
        parameters=[_PERIOD],
        responses={200: ApprovalDetailSerializer, 404: _REFUSED[404]},
        description="Một kỳ của Ban: phê duyệt (hoặc null), cảnh báo chất lượng, đề nghị mở lại, đề nghị đính chính.",
    ),
)
class ApprovalViewSet(viewsets.GenericViewSet):
    """A board's periods with their approval (list), approving one (create), one period in full (retrieve)."""

    serializer_class = ApprovalCreatedSerializer
    # For the schema only; every read goes through the selectors.
    queryset = PeriodApproval.objects.none()
    pagination_class = None
    lookup_field = "period"
    lookup_value_regex = PERIOD

    def list(self, request, code=None):
        rows = selectors.period_rows(user=request.user, board=_board(request, code))
        return Response(PeriodRowSerializer(rows, many=True).data)

    def create(self, request, code=None):
        board = _board(request, code)
        _require(access.can_lead_board(request.user, board))
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        approval = call_service(
            services.period_approve, user=request.user, board=board, source=AuditSource.API, **body.validated_data
        )
        approval = selectors.approval_of(board=board, period=approval.period)
        location = _location(request, "api:board-approval-detail", code=board.code, period=approval.period)
        return Response(ApprovalCreatedSerializer(approval).data, status=status.HTTP_201_CREATED, headers=location)

    def retrieve(self, request, code=None, period=None):
        board = _board(request, code)
        try:
            parsed = selectors.approvable_period(period)
        except Http404:
            raise NotFound(_("Không có kỳ “%(period)s”: chỉ có quý, 6 tháng hoặc năm.") % {"period": period}) from None
        approval = selectors.approval_of(board=board, period=parsed.code)
        data = {
            "period": parsed.code,
            "label": parsed.label,
            "approval": approval,
            "issues": selectors.data_issues(board=board, period=parsed.code),
            "reopen_requests": selectors.reopen_requests(approval=approval) if approval else [],
            "corrections": selectors.corrections_in(board=board, start=parsed.start, end=parsed.end),
        }
        return Response(ApprovalDetailSerializer(data).data)


@extend_schema(parameters=[_BOARD_CODE])
@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, required=True, description="Mã kỳ, ví dụ 2025-Q3 (bắt buộc)")
        ],
        responses={200: DataIssueSerializer(many=True), 400: _REFUSED[400], 404: _REFUSED[404]},
        description="Cảnh báo chất lượng dữ liệu của Ban trong một kỳ (lần tính báo cáo mới nhất), không phân trang.",
    )
)
class DataIssueViewSet(viewsets.GenericViewSet):
    """The data-quality warnings of a board's period (reports.quality), as the leader sees them before approving."""

    serializer_class = DataIssueSerializer
    queryset = PeriodApproval.objects.none()
    pagination_class = None

    def list(self, request, code=None):
        board = _board(request, code)
        text = request.query_params.get("period", "").strip()
        if not text:
            raise _invalid("period", _("Cần chọn kỳ, ví dụ 2025-Q3."))
        try:
            period = periods.parse(text)
        except periods.PeriodError as exc:
            raise _invalid("period", str(exc)) from exc
        issues = selectors.data_issues(board=board, period=period.code)
        return Response(DataIssueSerializer(issues, many=True).data)


# --- reopen requests --------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=ReopenCreateSerializer,
        responses={201: ReopenRequestSerializer, **_REFUSED},
        description="Chuyên viên Ban đề nghị mở lại một kỳ đã phê duyệt, ghi rõ lý do (mỗi kỳ một đề nghị đang chờ).",
    ),
    retrieve=extend_schema(responses={200: ReopenRequestSerializer, 404: _REFUSED[404]}),
)
class ReopenRequestViewSet(viewsets.GenericViewSet):
    """Reopen requests: ask (create), read, and the leader's grant (for some days), refusal and early close."""

    serializer_class = ReopenRequestSerializer
    queryset = ReopenRequest.objects.none()
    lookup_value_regex = r"\d+"

    def _request(self) -> ReopenRequest:
        try:
            return selectors.reopen_get(user=self.request.user, pk=self.kwargs["pk"])
        except Http404:
            raise NotFound(_("Không tìm thấy đề nghị mở lại kỳ này.")) from None

    def _answer(self, reopen: ReopenRequest, status_code=status.HTTP_200_OK, headers=None):
        reopen = selectors.reopen_get(user=self.request.user, pk=reopen.pk)
        return Response(ReopenRequestSerializer(reopen).data, status=status_code, headers=headers)

    def create(self, request, *args, **kwargs):
        _require(access.can_write_any_board(request.user))  # board staff ask
        body = ReopenCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        board = _board(request, data["board"])
        try:
            period = periods.parse(data["period"])
        except periods.PeriodError as exc:
            raise _invalid("period", str(exc)) from exc
        approval = selectors.approval_of(board=board, period=period.code)
        if approval is None:
            raise _invalid("period", _("Kỳ %(period)s chưa được phê duyệt.") % {"period": period.code})
        reopen = call_service(
            services.reopen_request, user=request.user, approval=approval, reason=data["reason"], source=AuditSource.API
        )
        return self._answer(
            reopen, status.HTTP_201_CREATED, _location(request, "api:reopen-request-detail", pk=reopen.pk)
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(ReopenRequestSerializer(self._request()).data)

    @extend_schema(
        request=ReopenGrantSerializer,
        responses={200: ReopenRequestSerializer, **_REFUSED},
        description="Lãnh đạo Ban cho mở lại kỳ trong một số ngày (tối đa KCN_REOPEN_MAX_DAYS); hết hạn tự khóa lại.",
    )
    @action(detail=True, methods=["post"])
    def grant(self, request, *args, **kwargs):
        reopen = self._request()
        _require(access.can_lead_board(request.user, reopen.approval.board))
        body = ReopenGrantSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reopen = call_service(
            services.reopen_grant, user=request.user, request=reopen, source=AuditSource.API, **body.validated_data
        )
        return self._answer(reopen)

    @extend_schema(
        request=NoteSerializer,
        responses={200: ReopenRequestSerializer, **_REFUSED},
        description="Lãnh đạo Ban không đồng ý mở lại kỳ.",
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, *args, **kwargs):
        reopen = self._request()
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reopen = call_service(
            services.reopen_refuse, user=request.user, request=reopen, source=AuditSource.API, **body.validated_data
        )
        return self._answer(reopen)

    @extend_schema(
        request=None,
        responses={200: ReopenRequestSerializer, **_REFUSED},
        description="Lãnh đạo Ban khóa lại kỳ đang mở trước hạn; các báo cáo đã phê duyệt được tính lại.",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        reopen = call_service(services.reopen_close, user=request.user, request=self._request(), source=AuditSource.API)
        return self._answer(reopen)


# --- corrections ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("board", OpenApiTypes.STR, description="mã Ban quản lý"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=CorrectionStatus.values, description="trạng thái"),
        ],
        description="Đề nghị đính chính của các Ban người dùng được xem, mới nhất trước.",
    ),
    retrieve=extend_schema(
        responses={200: CorrectionDetailSerializer, 404: _REFUSED[404]},
        description="Một đề nghị: giá trị đề nghị, giá trị hiện tại của sự kiện ở các trường đó, tệp căn cứ.",
    ),
    create=extend_schema(
        request={"multipart/form-data": CorrectionCreateSerializer, "application/json": CorrectionCreateSerializer},
        responses={201: CorrectionDetailSerializer, **_REFUSED},
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

    def get_queryset(self):
        params = self.request.query_params
        wanted = params.get("status", "")
        if wanted and wanted not in CorrectionStatus.values:
            raise _invalid("status", _("Trạng thái “%(status)s” không hợp lệ.") % {"status": wanted})
        return selectors.correction_list(user=self.request.user, board=params.get("board", ""), status=wanted)

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
            correction, status.HTTP_201_CREATED, _location(request, "api:correction-detail", pk=correction.pk)
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
        responses={200: CorrectionDetailSerializer, **_REFUSED},
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
        responses={200: CorrectionDetailSerializer, **_REFUSED},
        description="Lãnh đạo Ban không duyệt, ghi rõ lý do (bắt buộc).",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        return self._decide(services.correction_reject)


# --- the ministry's acceptance ----------------------------------------------------------------------


class SummaryAcceptView(APIView):
    """The ministry accepts a bloc's or the nation's summary of a period once every member approved it."""

    @extend_schema(
        summary="Accept a bloc's or the nation's summary of a period",
        request=None,
        responses={201: AcceptanceSerializer, **_REFUSED},
        description=(
            "Bộ tiếp nhận báo cáo tổng hợp của khối (bloc:MÃ) hoặc toàn quốc (national) khi mọi Ban thành viên "
            "đã phê duyệt kỳ; phiên bản được tiếp nhận là phiên bản mới nhất đã tính xong."
        ),
    )
    def post(self, request, scope: str, period: str):
        try:
            acceptance = call_service(
                services.summary_accept, user=request.user, scope=scope, period=period, source=AuditSource.API
            )
        except (ScopeError, periods.PeriodError) as exc:
            raise ParseError(str(exc)) from exc
        return Response(AcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)
