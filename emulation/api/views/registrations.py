"""API of a bloc year's registrations by member board code: read, save the draft (PUT), submit (POST)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.settings import api_settings

from emulation import access
from emulation.api.serializers.registrations import (
    RegistrationRowSerializer,
    RegistrationSaveSerializer,
    RegistrationSerializer,
)
from emulation.api.views.common import (
    CHANGED,
    CODE,
    IF_MATCH,
    PATH_BOARD,
    PATH_CODE,
    PATH_YEAR,
    REFUSED,
    BlocYearMixin,
)
from emulation.models import Registration
from emulation.selectors import registrations as registrations_selectors
from emulation.selectors import years as years_selectors
from emulation.services import registrations
from kcn_portal.core.api import Versioned, call_service
from kcn_portal.core.concurrency import ConflictError, changes_since
from kcn_portal.core.enums import AuditSource

CANNOT_EDIT_REGISTRATION = gettext_lazy("Chỉ chuyên viên của Ban được sửa đăng ký thi đua của Ban mình.")
CANNOT_SUBMIT_REGISTRATION = gettext_lazy("Chỉ lãnh đạo của Ban được gửi đăng ký thi đua của Ban mình.")


# --- registrations ---------------------------------------------------------------------------------------


@extend_schema(parameters=[PATH_CODE, PATH_YEAR])
@extend_schema_view(
    list=extend_schema(
        responses=RegistrationRowSerializer(many=True),
        description=(
            "Mọi thành viên của khối năm theo thứ tự của khối, với trạng thái đăng ký (cả khối đều xem); "
            "danh hiệu và số chỉ tiêu chỉ có khi người dùng được mở đăng ký đó (`readable`). Không phân trang."
        ),
    ),
    retrieve=extend_schema(
        parameters=[PATH_BOARD],
        description="Đăng ký của một thành viên: danh hiệu và chỉ tiêu giao ước; header ETag là phiên bản.",
    ),
)
class RegistrationViewSet(BlocYearMixin, Versioned, viewsets.GenericViewSet):
    """A bloc year's registrations by member board code: read, save the draft (PUT), submit (POST)."""

    serializer_class = RegistrationSerializer
    queryset = Registration.objects.none()
    pagination_class = None
    lookup_field = "board"
    lookup_value_regex = CODE

    def list(self, request, *args, **kwargs):
        rows = registrations_selectors.registration_rows(user=request.user, bloc_year=self._bloc_year())
        return Response(RegistrationRowSerializer(rows, many=True).data)

    def _member(self):
        """(the year, the member board of the URL, the user's mode); 404 when the user may not open it."""
        bloc_year, code = self._bloc_year(), self.kwargs["board"]
        board = years_selectors.member_get(bloc_year, code)
        mode = access.registration_mode(self.request.user, bloc_year, board.pk) if board else None
        if mode is None:
            # Same answer for "not a member" and "not yours".
            raise NotFound(_("Không tìm thấy đăng ký thi đua của Ban “%(board)s”.") % {"board": code.upper()})
        return bloc_year, board, mode

    def _registration(self, bloc_year, board) -> Registration | None:
        return (
            registrations_selectors.registrations(user=self.request.user, bloc_year=bloc_year)
            .filter(board=board)
            .first()
        )

    def _answer(self, registration, status_code=status.HTTP_200_OK):
        response = Response(RegistrationSerializer(registration).data, status=status_code)
        return self._etag(response, registration.version)

    def _conflict(self, registration, seen: int | None):
        changed = changes_since(registration, seen) if seen is not None else {}
        return self._precondition_failed(RegistrationSerializer(registration).data, registration.version, changed)

    def retrieve(self, request, *args, **kwargs):
        bloc_year, board, _mode = self._member()
        registration = self._registration(bloc_year, board)
        if registration is None:
            raise NotFound(_("Ban “%(board)s” chưa có đăng ký thi đua năm %(year)s.") % {
                "board": board.code, "year": bloc_year.year})  # fmt: skip
        return self._answer(registration)

    @extend_schema(
        request=RegistrationSaveSerializer,
        parameters=[PATH_BOARD, IF_MATCH],
        responses={200: RegistrationSerializer, 201: RegistrationSerializer, 412: CHANGED, **REFUSED},
        description=(
            "Chuyên viên của Ban lưu bản nháp (tạo mới: 201). Gửi cả đăng ký: "
            '{"titles": ["CO_BO"], "targets": [{"description": "", "indicator": "new_projects", '
            '"target_value": "12"}], "note": ""}; chỉ tiêu không gửi thì bị xóa. Đăng ký đã gửi không sửa được.'
        ),
    )
    def update(self, request, *args, **kwargs):
        bloc_year, board, mode = self._member()
        if mode != "edit":
            raise PermissionDenied(CANNOT_EDIT_REGISTRATION)
        registration = self._registration(bloc_year, board)
        # The precondition is checked before the body: a stale client must reload whatever it sent.
        if registration is None:
            if self._if_match_tags(request) is not None:
                # Nothing stored yet: no version (not even "*") matches (RFC 9110 §13.1.1).
                response = self._precondition_failed(None, 0, {})
                del response["ETag"]
                return response
        elif not self._if_match_ok(request, registration.version):
            return self._conflict(registration, self._seen_version(request))
        serializer = RegistrationSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            call_service(
                registrations.registration_save,
                user=request.user,
                bloc_year=bloc_year,
                board=board,
                titles=data["titles"],
                targets=[dict(row) for row in data["targets"]],
                note=data["note"],
                # Also catches a save that lands between our read and the service's row lock.
                expected_version=registration.version if registration else None,
                source=AuditSource.API,
            )
        except ConflictError:
            return self._conflict(self._registration(bloc_year, board), registration.version)
        code = status.HTTP_201_CREATED if registration is None else status.HTTP_200_OK
        return self._answer(self._registration(bloc_year, board), code)

    @extend_schema(
        request=None,
        parameters=[PATH_BOARD, IF_MATCH],
        responses={200: RegistrationSerializer, 412: CHANGED, **REFUSED},
        description="Lãnh đạo Ban gửi đăng ký (cần ít nhất một danh hiệu hoặc chỉ tiêu); đã gửi thì không sửa được.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        bloc_year, board, _mode = self._member()
        if not access.can_submit_registration(request.user, board.pk):
            raise PermissionDenied(CANNOT_SUBMIT_REGISTRATION)
        registration = self._registration(bloc_year, board)
        if registration is None:
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [_("Chưa có đăng ký để gửi.")]})
        if not self._if_match_ok(request, registration.version):
            return self._conflict(registration, self._seen_version(request))
        call_service(
            registrations.registration_submit, user=request.user, registration=registration, source=AuditSource.API
        )
        return self._answer(self._registration(bloc_year, board))
