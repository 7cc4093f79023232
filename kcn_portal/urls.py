from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("kcn_portal.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("kcn_portal.core.urls")),
    path("", include("zones.urls")),
    path("", include("investment.urls")),
    # Exports first: /reports/<scope>/<period>/export/ must not be read as a report page's sub-path.
    path("", include("reports.urls_export")),
    path("", include("reports.urls")),
    path("", include("reports.urls_plans")),
    path("emulation/", include("emulation.urls")),
]

# Without DEBUG: JSON under /api/, the Vietnamese pages elsewhere (kcn_portal/core/errors.py).
handler403 = "kcn_portal.core.errors.permission_denied"
handler404 = "kcn_portal.core.errors.page_not_found"
handler500 = "kcn_portal.core.errors.server_error"
