"""Annual plans pages: every readable board's plans by year, and one board's plans for a year."""

from django.urls import path

from . import views_plans as views

app_name = "plans"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/<str:code>/<int:year>/", views.PlanEditView.as_view(), name="plan_edit"),
]
