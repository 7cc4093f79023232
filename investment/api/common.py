"""What the investment API's viewsets share: who may write (403 for a reader), the If-Match and
conflict parts of the schema, and the stated fields of a licence event (investment.specs).

Amounts written are read with the pages' parser and specs (kcn_portal.core.specs.amount_field): a JSON
number, or a string in the Vietnamese ("1.234.567,89") or plain ("1234567.89") form. NaN, Infinity and
numbers too large for the column (1e400 reads as Infinity) are a 400 naming the field. The pages'
plausibility confirmation does not apply: an amount within the field's bounds is stored as sent
(integrations send figures from their own systems; the pages ask a person).
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission

from zones import access

from ..specs import LICENCE_EVENT

# --- access --------------------------------------------------------------------------------------


class CanWriteProjectBoard(BasePermission):
    """Reading follows the selectors' scope; writing needs write access to the object's board (else 403)."""

    message = gettext_lazy("Bạn chỉ được xem, không được sửa dữ liệu dự án của Ban quản lý này.")
    create_message = gettext_lazy("Bạn không có quyền tạo dự án cho Ban quản lý nào.")

    def has_permission(self, request, view):
        # A user who can write no board at all (ministry, leaders) cannot create anything.
        if view.action == "create" and not access.can_write_any_board(request.user):
            self.message = self.create_message
            return False
        return True

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or access.can_write_board(request.user, view.board_of(obj))


class CanWriteReportBoard(CanWriteProjectBoard):
    message = gettext_lazy("Bạn chỉ được xem, không được sửa báo cáo của Ban quản lý này.")
    create_message = gettext_lazy("Bạn không có quyền nhập báo cáo cho Ban quản lý nào.")


# --- ETag / If-Match -----------------------------------------------------------------------------

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của lần đọc trước, ví dụ "3"; khác phiên bản đang lưu thì bị từ chối (412).',
)


PROJECT_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='ETag của dự án (phiên bản), ví dụ "3"; dự án đã đổi từ lần đọc đó thì bị từ chối (412).',
)


CONFLICT = OpenApiResponse(description="Dữ liệu đã bị thay đổi; thân trả về chứa giá trị hiện tại.")


PROJECT_CODE = OpenApiParameter("project_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="Mã số dự án")


# --- the stated fields of a licence event ---------------------------------------------------------------


class EventFieldsSerializer(serializers.Serializer):
    """A serializer taking some stated fields of a licence event, after its own, as investment.specs gives them:
    the same limits and messages as the pages and the importer; amounts read like the pages' (core.amounts),
    a JSON number or a string typed the Vietnamese or the plain way.

    `event_fields` names them; `event_options` adapts one ({"project_name": {"required": False}}), and
    `event_optional` makes them all optional (a correction states only what changes).
    """

    event_fields: tuple[str, ...] = ()
    event_options: dict[str, dict] = {}
    event_optional = False

    def get_fields(self):
        fields = super().get_fields()
        for name in self.event_fields:
            options = {"required": False} if self.event_optional else {}
            options.update(self.event_options.get(name, {}))
            fields[name] = LICENCE_EVENT[name].serializer_field(**options)
        return fields
