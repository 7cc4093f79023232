"""URLs of the report's Excel summary: ask for it (POST, a background job) and download the finished file.

Included before reports.urls, so `…/export/` is never read as a sub-path of a report page.
"""

from django.urls import path

from .views_export import ExportCreateView, ExportDownloadView

app_name = "report_exports"
urlpatterns = [
    path("reports/<str:scope>/<str:period>/export/", ExportCreateView.as_view(), name="export_create"),
    path("reports/exports/<int:pk>/download/", ExportDownloadView.as_view(), name="export_download"),
]
