"""The investment pages, two namespaces from one module (their names are part of every link and test):

- `investment`: projects (list, export, register, detail, edit) and their licence ledger (adjust,
  terminate, correct an event);
- `enterprise`: enterprise quarterly reports (one project's, a board's completeness, quarter grid and
  missing list) and the exchange-rate catalogue.
"""

from django.urls import include, path

from .views import enterprise_reports, exchange_rates, grid, licences, projects

project_patterns = [
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/export.xlsx", projects.ProjectExportView.as_view(), name="project_export"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<str:code>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<str:code>/edit/", projects.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<str:code>/adjust/", licences.EventAdjustView.as_view(), name="event_adjust"),
    path("projects/<str:code>/terminate/", licences.EventTerminateView.as_view(), name="event_terminate"),
    path("events/<int:pk>/correct/", licences.EventCorrectView.as_view(), name="event_correct"),
]

enterprise_patterns = [
    path("projects/<str:code>/reports/<str:period>/", enterprise_reports.ReportEditView.as_view(), name="report_edit"),
    # "completeness" before "<period>": it would otherwise be read as a (wrong) quarter code.
    path(
        "boards/<str:code>/reports/completeness/",
        enterprise_reports.CompletenessView.as_view(),
        name="completeness",
    ),
    path("boards/<str:code>/reports/<str:period>/", grid.QuarterGridView.as_view(), name="quarter_grid"),
    path(
        "boards/<str:code>/reports/<str:period>/missing/",
        enterprise_reports.MissingReportsView.as_view(),
        name="missing",
    ),
    path("exchange-rates/", exchange_rates.ExchangeRateListView.as_view(), name="exchange_rate_list"),
]

urlpatterns = [
    path("", include((project_patterns, "investment"))),
    path("", include((enterprise_patterns, "enterprise"))),
]
