"""The one DRF router under /api/v1/ (namespace "api", included by web.urls): every app's viewsets are registered here.

Prefixes are kebab-case plurals. Besides the router: the token endpoint (DRF's view; its
serializer passes the request to authenticate(), which django-axes requires), the OpenAPI
schema and its Swagger UI page, whose assets come from drf-spectacular-sidecar (no CDN).
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from emulation.api.views import awards as emulation_awards
from emulation.api.views import common as emulation_paths
from emulation.api.views import registrations as emulation_registrations
from emulation.api.views import scoring as emulation_scoring
from emulation.api.views import years as emulation_years
from investment.api.enterprise_reports import EnterpriseReportViewSet
from investment.api.exchange_rates import ExchangeRateViewSet
from investment.api.licences import LicenceEventViewSet
from investment.api.projects import ProjectViewSet
from reports.api import approval as approvals
from reports.api import corrections
from reports.api.reports import IndicatorListView, ReportBuildView, ReportRestatedView, ReportVersionsView, ReportView
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
# Emulation: a bloc year is addressed by bloc code and year (bloc-years/DBSH/2025/), its rounds by kind
# and its scorecards and registrations by board code, as the pages are; see emulation/api/views.py.
_BLOC_YEAR = rf"bloc-years/(?P<code>{emulation_paths.CODE})"
_ROUNDS = rf"{_BLOC_YEAR}/(?P<year>{emulation_paths.YEAR})/rounds"
# Two viewsets, one prefix: the list, and the years of a bloc by year (a router lookup holds one value).
router.register("bloc-years", emulation_years.BlocYearViewSet, basename="bloc-years")
router.register(_BLOC_YEAR, emulation_years.BlocYearDetailViewSet, basename="bloc-year")
router.register(_ROUNDS, emulation_scoring.RoundViewSet, basename="round")
router.register(
    rf"{_ROUNDS}/(?P<kind>{emulation_paths.KIND})/scorecards", emulation_scoring.ScorecardViewSet, basename="scorecard"
)
router.register(
    rf"{_BLOC_YEAR}/(?P<year>{emulation_paths.YEAR})/registrations",
    emulation_registrations.RegistrationViewSet,
    basename="registration",
)
router.register("movements", emulation_awards.MovementViewSet, basename="movement")
router.register("award-decisions", emulation_awards.AwardDecisionViewSet, basename="award-decision")
router.register("award-titles", emulation_awards.AwardTitleViewSet, basename="award-title")
# Approval of a board's period data (issue 7): a board's periods by board code and period code, as the pages are.
router.register(rf"boards/(?P<code>{approvals.CODE})/approvals", approvals.ApprovalViewSet, basename="board-approval")
router.register(rf"boards/(?P<code>{approvals.CODE})/data-issues", approvals.DataIssueViewSet, basename="data-issue")
router.register("reopen-requests", approvals.ReopenRequestViewSet, basename="reopen-request")
router.register("corrections", corrections.CorrectionViewSet, basename="correction")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Reports are addressed by scope and period codes (DOMAIN.md §7), not by a database id.
    path("indicators/", IndicatorListView.as_view(), name="indicator-list"),
    path("reports/<str:scope>/<str:period>/", ReportView.as_view(), name="report"),
    path("reports/<str:scope>/<str:period>/versions/", ReportVersionsView.as_view(), name="report-versions"),
    path("reports/<str:scope>/<str:period>/build/", ReportBuildView.as_view(), name="report-build"),
    path("reports/<str:scope>/<str:period>/accept/", approvals.SummaryAcceptView.as_view(), name="report-accept"),
    path("reports/<str:scope>/<str:period>/restated/", ReportRestatedView.as_view(), name="report-restated"),
    *router.urls,
]
