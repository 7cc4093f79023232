"""The root URLconf (ROOT_URLCONF): the admin, the API, the language switch, web's own pages, every app's pages.

Web's own pages (login, logout, the home page, the workbook upload and export with their task pages) have no
namespace: their names ("home", "login", "task_detail", …) are the ones every template and redirect uses.
"""

from django.contrib import admin
from django.contrib.auth.views import LoginView, LogoutView
from django.urls import include, path

from . import health
from .views import (
    HomeView,
    LoginForm,
    TaskCommitView,
    TaskDetailView,
    TaskStatusView,
    WorkbookExportDownloadView,
    WorkbookExportView,
    WorkbookTemplateView,
    WorkbookUploadView,
)

pages = [
    path(
        "login/",
        LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("", HomeView.as_view(), name="home"),
    path("workbook/upload/", WorkbookUploadView.as_view(), name="workbook_upload"),
    path("workbook/export/", WorkbookExportView.as_view(), name="workbook_export"),
    path("workbook/export/<int:pk>/download/", WorkbookExportDownloadView.as_view(), name="workbook_export_download"),
    path("workbook/template.xlsx", WorkbookTemplateView.as_view(), name="workbook_template"),
    path("tasks/<int:pk>/", TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/status.json", TaskStatusView.as_view(), name="task_status"),
    path("tasks/<int:pk>/commit/", TaskCommitView.as_view(), name="task_commit"),
]

urlpatterns = [
    # Liveness and readiness (web/health.py), for the proxy, systemd and monitoring; the administrators' status
    # page before the admin site so that its URL is not read as an admin page.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/status/", health.StatusView.as_view(), name="ops_status"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("web.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    *pages,
    path("", include("zones.urls")),
    path("", include("investment.urls")),
    path("", include("reports.urls")),
    path("emulation/", include("emulation.urls")),
]

# Without DEBUG: JSON under /api/, the Vietnamese pages elsewhere (kcn_portal/core/errors.py).
handler403 = "kcn_portal.core.errors.permission_denied"
handler404 = "kcn_portal.core.errors.page_not_found"
handler500 = "kcn_portal.core.errors.server_error"
