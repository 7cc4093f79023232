"""Board and zone pages."""

from django.urls import path

from . import views

app_name = "zones"
urlpatterns = [
    path("boards/", views.BoardListView.as_view(), name="board_list"),
    path("boards/<str:code>/", views.BoardDetailView.as_view(), name="board_detail"),
    path("zones/", views.ZoneListView.as_view(), name="zone_list"),
    path("zones/new/", views.ZoneCreateView.as_view(), name="zone_create"),
    path("zones/<int:pk>/", views.ZoneDetailView.as_view(), name="zone_detail"),
    path("zones/<int:pk>/edit/", views.ZoneUpdateView.as_view(), name="zone_update"),
]
