"""What the emulation API views share: the path patterns (also read by kcn_portal/api_router.py), the schema's
path parameters and refusals, and loading the bloc year and round a URL names."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import NotFound

from emulation.enums import RoundKind
from emulation.models import BlocYear, ScoringRound
from emulation.selectors import scoring as scoring_selectors
from emulation.selectors import years as years_selectors

# Path patterns, shared with kcn_portal/api_router.py. Codes follow zones.models.code_validator.
CODE = r"[A-Za-z0-9_-]+"
YEAR = r"[0-9]{4}"
KIND = "|".join(RoundKind.values)


# --- parameters and responses of the schema ---------------------------------------------------------

PATH_CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã khối thi đua, ví dụ DBSH")
PATH_YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="Năm, ví dụ 2025")
PATH_BOARD = OpenApiParameter("board", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã Ban quản lý, ví dụ NDH")
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của lần đọc trước (phiên bản), ví dụ "3"; đã đổi từ lần đọc đó thì bị từ chối (412).',
)
CHANGED = OpenApiResponse(description="Dữ liệu đã bị thay đổi; thân trả về chứa giá trị hiện tại.")
REFUSED = {
    400: OpenApiResponse(description="Giá trị không hợp lệ; thông báo nêu rõ lý do."),
    403: OpenApiResponse(description="Được xem nhưng không được thực hiện thao tác này."),
    404: OpenApiResponse(description="Không có, hoặc người dùng không được xem."),
}


class BlocYearMixin:
    """The bloc year, round and card named by the URL, each answering 404 outside the user's scope."""

    def _bloc_year(self) -> BlocYear:
        code, year = self.kwargs["code"], int(self.kwargs["year"])
        try:
            return years_selectors.bloc_year_get(user=self.request.user, code=code, year=year)
        except Http404:
            # Same answer for "no such year" and "not yours"; Django's own 404 text is English.
            raise NotFound(_("Không tìm thấy khối thi đua “%(code)s” năm %(year)s.") % {
                "code": code.upper(), "year": year}) from None  # fmt: skip

    def _round(self) -> ScoringRound:
        bloc_year, kind = self._bloc_year(), self.kwargs["kind"]
        try:
            return scoring_selectors.round_get(user=self.request.user, bloc_year=bloc_year, kind=kind)
        except Http404:
            raise NotFound(_("Khối chưa có đợt chấm điểm này.")) from None
