"""FilterSets shared by the HTML lists, the API and exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import ZoneKind, ZoneStatus
from .models import Board, Zone


class BoardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    bloc_code = django_filters.CharFilter(label=_("Mã khối thi đua"), lookup_expr="iexact")

    class Meta:
        model = Board
        fields = ["q", "bloc_code"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(province__icontains=value))


class ZoneFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(label=_("Ban quản lý (mã)"), field_name="board__code", lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(label=_("Loại khu"), choices=ZoneKind.choices)
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=ZoneStatus.choices)
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")

    class Meta:
        model = Zone
        fields = ["board", "kind", "status", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(developer__icontains=value))
