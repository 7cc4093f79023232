"""API of bloc years: the years the user may open, one year and its scoring table."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from emulation.api.serializers.scoring import ScoringTableSerializer
from emulation.api.serializers.years import BlocYearSerializer
from emulation.api.views.common import PATH_CODE, PATH_YEAR, REFUSED, YEAR, BlocYearMixin
from emulation.models import BlocYear
from emulation.selectors import scoring as scoring_selectors
from emulation.selectors import years as years_selectors


@extend_schema_view(list=extend_schema(description="Khối thi đua theo năm mà người dùng được xem (Bộ: tất cả)."))
class BlocYearViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The bloc years the user may open (ministry: all; a board: the years its board is a member of)."""

    serializer_class = BlocYearSerializer

    def get_queryset(self):
        return years_selectors.bloc_years_in_full(user=self.request.user)


@extend_schema(parameters=[PATH_CODE, PATH_YEAR])
class BlocYearDetailViewSet(BlocYearMixin, viewsets.GenericViewSet):
    """One bloc year at bloc-years/<code>/<year>/ and its scoring table at …/table/."""

    serializer_class = BlocYearSerializer
    # For the schema only (path parameter types); every read goes through the selectors.
    queryset = BlocYear.objects.none()
    lookup_field = "year"
    lookup_value_regex = YEAR

    def retrieve(self, request, *args, **kwargs):
        bloc_year = years_selectors.bloc_years_in_full(user=request.user).get(pk=self._bloc_year().pk)
        return Response(BlocYearSerializer(bloc_year).data)

    @extend_schema(responses={200: ScoringTableSerializer, 404: REFUSED[404]})
    @action(detail=True, methods=["get"])
    def table(self, request, *args, **kwargs):
        table = scoring_selectors.table_of(self._bloc_year())
        if table is None:
            raise NotFound(_("Khối chưa có bảng chấm điểm năm này."))
        return Response(ScoringTableSerializer(table).data)
