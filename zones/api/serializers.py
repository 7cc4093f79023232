"""JSON shapes of boards and zones. Serializers validate input only; writes go through zones.services."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zones import access
from zones.models import Board, Zone
from zones.specs import AREA_API_MESSAGES, ZONE


class _AreaSumField(serializers.DecimalField):
    """A hectare sum annotated by selectors.board_list; a board without zones sums to 0, not null."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, read_only=True, **kwargs)

    def get_attribute(self, instance):
        return super().get_attribute(instance) or Decimal("0")


class BoardSerializer(serializers.ModelSerializer):
    zone_count = serializers.IntegerField(read_only=True)
    natural_area_ha = _AreaSumField(source="natural_area_sum")
    industrial_land_ha = _AreaSumField(source="industrial_land_sum")
    leased_land_ha = _AreaSumField(source="leased_land_sum")
    occupancy_pct = serializers.SerializerMethodField()

    class Meta:
        model = Board
        fields = [
            "code",
            "name",
            "province",
            "kind",
            "bloc_code",
            "address",
            "phone",
            "email",
            "website",
            "zone_count",
            "natural_area_ha",
            "industrial_land_ha",
            "leased_land_ha",
            "occupancy_pct",
        ]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_occupancy_pct(self, board) -> Decimal | None:
        return board.occupancy_pct


def _area_field(name: str) -> serializers.DecimalField:
    # A JSON number in the column's digits, with the area's messages and the spec's lower bound (zones.specs).
    model_field = Zone._meta.get_field(name)
    return serializers.DecimalField(
        max_digits=model_field.max_digits,
        decimal_places=model_field.decimal_places,
        min_value=ZONE[name].amount.minimum,
        label=model_field.verbose_name,
        error_messages=AREA_API_MESSAGES,
    )


class ZoneSerializer(serializers.ModelSerializer):
    # The board travels as its code; on write only the boards the user may write are accepted,
    # and one message covers "unknown" and "not yours" so the answer does not reveal other boards.
    board = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Board.objects.all(),
        error_messages={
            "does_not_exist": _(
                "Ban quản lý “{value}” không tồn tại hoặc bạn không có quyền nhập dữ liệu cho Ban này."
            ),
            "invalid": _("Mã Ban quản lý không hợp lệ."),
        },
    )
    board_name = serializers.CharField(source="board.name", read_only=True)
    natural_area_ha = _area_field("natural_area_ha")
    industrial_land_ha = _area_field("industrial_land_ha")
    leased_land_ha = _area_field("leased_land_ha")
    occupancy_pct = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True, allow_null=True)

    class Meta:
        model = Zone
        fields = [
            "id",
            "code",
            "name",
            "board",
            "board_name",
            "kind",
            "status",
            "natural_area_ha",
            "industrial_land_ha",
            "leased_land_ha",
            "occupancy_pct",
            "developer",
            "established_decision_no",
            "established_on",
            "has_wastewater_plant",
            "version",
        ]
        read_only_fields = ["id", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Lazy queryset: evaluated only when a board code is actually written.
            self.fields["board"].queryset = access.writable_boards(request.user)
