"""The USD→VND exchange-rate catalogue API: read-only for every signed-in user."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from kcn_portal.core.pagination import KeysetCursorPagination

from ..models import ExchangeRate
from ..selectors import exchange_rates as exchange_rate_selectors


class ExchangeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "valid_from", "valid_to", "vnd_per_usd", "source"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(description="Danh mục tỷ giá USD/VND theo khoảng ngày, mới nhất trước (phân trang con trỏ)."),
)
class ExchangeRateViewSet(viewsets.ReadOnlyModelViewSet):
    """The USD→VND catalogue, read-only for every signed-in user (administrators edit it in the admin)."""

    serializer_class = ExchangeRateSerializer
    pagination_class = KeysetCursorPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return exchange_rate_selectors.exchange_rate_list()

    def get_object(self):
        rate = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if rate is None:
            raise NotFound(_("Không tìm thấy tỷ giá này."))
        return rate
