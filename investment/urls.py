"""Project pages (list, detail, register, adjust, terminate, correct, export)."""

from django.urls import path

from . import views

app_name = "investment"

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/export.xlsx", views.ProjectExportView.as_view(), name="project_export"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<str:code>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<str:code>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<str:code>/adjust/", views.EventAdjustView.as_view(), name="event_adjust"),
    path("projects/<str:code>/terminate/", views.EventTerminateView.as_view(), name="event_terminate"),
    path("events/<int:pk>/correct/", views.EventCorrectView.as_view(), name="event_correct"),
]
