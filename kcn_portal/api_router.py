"""The one DRF router under /api/v1/ (namespace "api"): every app registers its viewsets here.

Prefixes are kebab-case plurals. Besides the router: the token endpoint (DRF's view; its
serializer passes the request to authenticate(), which django-axes requires), the OpenAPI
schema and its Swagger UI page, whose assets come from drf-spectacular-sidecar (no CDN).
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from investment.api.views import EnterpriseReportViewSet, ExchangeRateViewSet, LicenceEventViewSet, ProjectViewSet
from zones.api.views import BoardViewSet, ZoneViewSet

app_name = "api"

router = DefaultRouter()
router.register("boards", BoardViewSet, basename="board")
router.register("zones", ZoneViewSet, basename="zone")
router.register("projects", ProjectViewSet, basename="project")
# A project's ledger is nested under its code; the API root lists only the top-level collections.
router.register(r"projects/(?P<project_code>[0-9]+)/events", LicenceEventViewSet, basename="project-event")
router.register("enterprise-reports", EnterpriseReportViewSet, basename="enterprise-report")
router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
