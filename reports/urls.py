"""URLs of the report pages: index, catalogue, one report, its rebuild, version comparison and drill-down."""

from django.urls import path

from . import views, views_deadlines

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportIndexView.as_view(), name="report_index"),
    # Before "<scope>/<period>/": the catalogue is not a report.
    path("reports/indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("reports/deadlines/", views_deadlines.DeadlineListView.as_view(), name="deadlines"),
    path("reports/<str:scope>/<str:period>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<str:scope>/<str:period>/build/", views.ReportBuildView.as_view(), name="report_build"),
    path("reports/<str:scope>/<str:period>/compare/", views.ReportCompareView.as_view(), name="report_compare"),
    path(
        "reports/<str:scope>/<str:period>/indicators/<str:code>/",
        views.ReportDrilldownView.as_view(),
        name="report_drilldown",
    ),
]
