"""What the investment API's viewsets share: who may write (403 for a reader), the If-Match and
conflict parts of the schema, and the amount fields (read like the pages' amounts).

Amounts written are read by `AmountField` with the pages' parser and specs (kcn_portal.core.amounts):
a JSON number, or a string in the Vietnamese ("1.234.567,89") or plain ("1234567.89") form. NaN,
Infinity and numbers too large for the column (1e400 reads as Infinity) are a 400 naming the field.
The pages' plausibility confirmation does not apply: an amount within the field's bounds is stored
as sent (integrations send figures from their own systems; the pages ask a person).
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission

from kcn_portal.core import amounts
from zones import access

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


# --- amounts ------------------------------------------------------------------------------------


class AmountField(serializers.Field):
    """An amount of `spec`: a JSON number or a string typed the Vietnamese or the plain way."""

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
class WholeAmountField(AmountField):
    pass


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string", "example": "1.234.567,89"}], "nullable": True})
class DecimalAmountField(AmountField):
    pass


def amount_field(spec: amounts.AmountSpec, **kwargs) -> AmountField:
    return (WholeAmountField if spec.unit.decimals == 0 else DecimalAmountField)(spec, **kwargs)


def event_amount_field(name: str) -> AmountField:
    """An optional certificate figure, read like the pages' (core.amounts.LICENCE_EVENT): whole đồng, USD cents.

    "Positive" is the spec's; "a currency is missing" is the ledger's, answered by the services.
    """
    return amount_field(amounts.LICENCE_EVENT[name])
