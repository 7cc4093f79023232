"""Login, logout, the home page, and the workbook upload with its task pages."""

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

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

urlpatterns = [
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
