"""URLs of the report pages: index, catalogue, one report, its rebuild, the ministry's acceptance, version
comparison and drill-down."""

from django.urls import path

from . import views, views_approval, views_deadlines

app_name = "reports"

urlpatterns = [
    path("reports/", views.ReportIndexView.as_view(), name="report_index"),
    # Before "<scope>/<period>/": the catalogue is not a report.
    path("reports/indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("reports/deadlines/", views_deadlines.DeadlineListView.as_view(), name="deadlines"),
    # Approval of a board's period data, reopening and corrections (issue 7): also before "<scope>/<period>/".
    path("reports/approvals/", views_approval.ApprovalListView.as_view(), name="approval_list"),
    path(
        "reports/approvals/<str:board>/<str:period>/",
        views_approval.ApprovalDetailView.as_view(),
        name="approval_detail",
    ),
    path(
        "reports/approvals/<str:board>/<str:period>/approve/",
        views_approval.PeriodApproveView.as_view(),
        name="period_approve",
    ),
    path(
        "reports/approvals/<str:board>/<str:period>/reopen/",
        views_approval.ReopenRequestView.as_view(),
        name="reopen_request",
    ),
    path(
        "reports/reopen-requests/<int:pk>/<str:action>/",
        views_approval.ReopenDecideView.as_view(),
        name="reopen_decide",
    ),
    path("reports/corrections/", views_approval.CorrectionListView.as_view(), name="correction_list"),
    path("reports/corrections/new/<int:pk>/", views_approval.CorrectionCreateView.as_view(), name="correction_create"),
    path("reports/corrections/<int:pk>/", views_approval.CorrectionDetailView.as_view(), name="correction_detail"),
    path("reports/corrections/<int:pk>/file/", views_approval.CorrectionFileView.as_view(), name="correction_file"),
    path(
        "reports/corrections/<int:pk>/<str:action>/",
        views_approval.CorrectionDecideView.as_view(),
        name="correction_decide",
    ),
    path("reports/<str:scope>/<str:period>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<str:scope>/<str:period>/build/", views.ReportBuildView.as_view(), name="report_build"),
    path("reports/<str:scope>/<str:period>/accept/", views.ReportAcceptView.as_view(), name="report_accept"),
    path("reports/<str:scope>/<str:period>/compare/", views.ReportCompareView.as_view(), name="report_compare"),
    path(
        "reports/<str:scope>/<str:period>/indicators/<str:code>/",
        views.ReportDrilldownView.as_view(),
        name="report_drilldown",
    ),
]
