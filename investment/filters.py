"""FilterSets shared by the project pages, the API and the Excel export of a filtered list."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .enums import EventKind, ProjectKind, ProjectStatus
from .models import EnterpriseReport, LicenceEvent, Project, ProjectInvestor

PERIOD_HELP = _("Quý dạng YYYY-QN, ví dụ 2019-Q3")


class ProjectFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(label=_("Ban quản lý (mã)"), field_name="zone__board__code", lookup_expr="iexact")
    zone = django_filters.CharFilter(label=_("Khu (mã)"), field_name="zone__code", lookup_expr="iexact")
    kind = django_filters.ChoiceFilter(label=_("Loại dự án"), choices=ProjectKind.choices)
    status = django_filters.ChoiceFilter(label=_("Tình trạng"), choices=ProjectStatus.choices)
    issued_from = django_filters.DateFilter(label=_("Cấp mới từ ngày"), field_name="issued_on", lookup_expr="gte")
    issued_to = django_filters.DateFilter(label=_("Cấp mới đến ngày"), field_name="issued_on", lookup_expr="lte")
    country = django_filters.ChoiceFilter(label=_("Quốc tịch nhà đầu tư"), choices=countries, method="by_country")
    q = django_filters.CharFilter(label=_("Tìm kiếm (tên, mã, nhà đầu tư)"), method="search")
    sort = django_filters.OrderingFilter(
        label=_("Sắp xếp"),
        fields=(
            ("code", "code"),
            ("name", "name"),
            ("issued_on", "issued_on"),
            ("capital_vnd", "capital_vnd"),
            ("capital_usd", "capital_usd"),
        ),
        field_labels={
            "code": _("Mã số dự án"),
            "name": _("Tên dự án"),
            "issued_on": _("Ngày cấp mới"),
            "capital_vnd": _("Vốn đăng ký (VND)"),
            "capital_usd": _("Vốn đăng ký (USD)"),
        },
    )

    class Meta:
        model = Project
        fields = ["board", "zone", "kind", "status", "issued_from", "issued_to", "country", "q"]

    def by_country(self, queryset, name, value: str):
        # EXISTS rather than a join: a project with two investors of that country is listed once.
        shares = ProjectInvestor.objects.filter(project=OuterRef("pk"), investor__country=value)
        return queryset.filter(Exists(shares))

    def search(self, queryset, name, value):
        value = value.strip()
        investors = ProjectInvestor.objects.filter(project=OuterRef("pk"), investor__name__icontains=value)
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Exists(investors))


class LicenceEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Loại sự kiện"), choices=EventKind.choices)
    date_from = django_filters.DateFilter(label=_("Từ ngày"), field_name="event_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Đến ngày"), field_name="event_date", lookup_expr="lte")

    class Meta:
        model = LicenceEvent
        fields = ["kind", "date_from", "date_to"]


class EnterpriseReportFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(
        label=_("Ban quản lý (mã)"), field_name="project__zone__board__code", lookup_expr="iexact"
    )
    project = django_filters.CharFilter(label=_("Mã số dự án"), field_name="project__code")
    year = django_filters.NumberFilter(label=_("Năm"))
    quarter = django_filters.NumberFilter(label=_("Quý"))

    class Meta:
        model = EnterpriseReport
        fields = ["board", "project", "year", "quarter"]
