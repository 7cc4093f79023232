"""Enterprise quarterly report pages (per project, per board and quarter, completeness) and exchange rates."""

from django.urls import path

from . import views_grid
from . import views_reports as views

app_name = "enterprise"

urlpatterns = [
    path("projects/<str:code>/reports/<str:period>/", views.ReportEditView.as_view(), name="report_edit"),
    # "completeness" before "<period>": it would otherwise be read as a (wrong) quarter code.
    path("boards/<str:code>/reports/completeness/", views.CompletenessView.as_view(), name="completeness"),
    path("boards/<str:code>/reports/<str:period>/", views_grid.QuarterGridView.as_view(), name="quarter_grid"),
    path("boards/<str:code>/reports/<str:period>/missing/", views.MissingReportsView.as_view(), name="missing"),
    path("exchange-rates/", views.ExchangeRateListView.as_view(), name="exchange_rate_list"),
]
