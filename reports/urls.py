"""The reports app's one URLconf: report pages, approval and corrections, the deadlines page, the report's
Excel summary, and the annual plans.

Three namespaces, which the templates, the services' links and the tests name: `reports:` (report pages,
approval, corrections, deadlines), `report_exports:` (ask for a report's workbook, download it) and
`plans:`. Segments are typed by reports.converters, so the order of the routes does not matter.
"""

from django.urls import include, path, register_converter

from reports.converters import CONVERTERS
from reports.views import approval, corrections, deadlines, exports, plans, reports

for _name, _converter in CONVERTERS.items():
    register_converter(_converter, _name)

REPORT = "reports/<scope:scope>/<period:period>/"
APPROVAL = "reports/approvals/<board:board>/<period:period>/"

report_patterns = [
    path("reports/", reports.ReportIndexView.as_view(), name="report_index"),
    path("reports/indicators/", reports.IndicatorListView.as_view(), name="indicator_list"),
    path(REPORT, reports.ReportDetailView.as_view(), name="report_detail"),
    path(f"{REPORT}build/", reports.ReportBuildView.as_view(), name="report_build"),
    path(f"{REPORT}accept/", reports.ReportAcceptView.as_view(), name="report_accept"),
    path(f"{REPORT}compare/", reports.ReportCompareView.as_view(), name="report_compare"),
    path(f"{REPORT}indicators/<indicator:code>/", reports.ReportDrilldownView.as_view(), name="report_drilldown"),
    path("reports/deadlines/", deadlines.DeadlineListView.as_view(), name="deadlines"),
    # Approval of a board's period data, reopening (issue 7).
    path("reports/approvals/", approval.ApprovalListView.as_view(), name="approval_list"),
    path(APPROVAL, approval.ApprovalDetailView.as_view(), name="approval_detail"),
    path(f"{APPROVAL}approve/", approval.PeriodApproveView.as_view(), name="period_approve"),
    path(f"{APPROVAL}reopen/", approval.ReopenRequestView.as_view(), name="reopen_request"),
    path(
        "reports/reopen-requests/<int:pk>/<reopen_action:action>/",
        approval.ReopenDecideView.as_view(),
        name="reopen_decide",
    ),
    # Corrections of licence events in approved periods (issue 7).
    path("reports/corrections/", corrections.CorrectionListView.as_view(), name="correction_list"),
    path("reports/corrections/new/<int:pk>/", corrections.CorrectionCreateView.as_view(), name="correction_create"),
    path("reports/corrections/<int:pk>/", corrections.CorrectionDetailView.as_view(), name="correction_detail"),
    path("reports/corrections/<int:pk>/file/", corrections.CorrectionFileView.as_view(), name="correction_file"),
    path(
        "reports/corrections/<int:pk>/<correction_action:action>/",
        corrections.CorrectionDecideView.as_view(),
        name="correction_decide",
    ),
]

export_patterns = [
    path(f"{REPORT}export/", exports.ExportCreateView.as_view(), name="export_create"),
    path("reports/exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
]

plan_patterns = [
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/<board:code>/<int:year>/", plans.PlanEditView.as_view(), name="plan_edit"),
]

urlpatterns = [
    path("", include((report_patterns, "reports"))),
    path("", include((export_patterns, "report_exports"))),
    path("", include((plan_patterns, "plans"))),
]
