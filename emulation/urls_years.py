"""URLs of the emulation pages (years); combined in emulation/urls.py."""

from django.urls import path

from . import views_years as views

YEAR = "<str:code>/<int:year>/"

urlpatterns = [
    path("", views.BlocYearListView.as_view(), name="blocyear_list"),
    path(YEAR, views.BlocYearDetailView.as_view(), name="blocyear_detail"),
    path(f"{YEAR}edit/", views.BlocYearEditView.as_view(), name="blocyear_edit"),
    path(f"{YEAR}table/", views.TableView.as_view(), name="table_detail"),
    path(f"{YEAR}registrations/", views.RegistrationListView.as_view(), name="registration_list"),
    path(f"{YEAR}registrations/<str:board>/", views.RegistrationEditView.as_view(), name="registration_edit"),
    path(
        f"{YEAR}registrations/<str:board>/submit/",
        views.RegistrationSubmitView.as_view(),
        name="registration_submit",
    ),
]
