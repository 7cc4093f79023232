"""URLs of the emulation pages (movements, awards, recipients, titles); combined in emulation/urls.py."""

from django.urls import path

from . import views_awards as views

urlpatterns = [
    path("movements/", views.MovementListView.as_view(), name="movement_list"),
    path("movements/new/", views.MovementFormView.as_view(), name="movement_create"),
    path("movements/<int:pk>/", views.MovementDetailView.as_view(), name="movement_detail"),
    path("movements/<int:pk>/edit/", views.MovementFormView.as_view(), name="movement_edit"),
    path("movements/<int:pk>/advance/", views.MovementAdvanceView.as_view(), name="movement_advance"),
    path("movements/<int:pk>/attach/", views.MovementAttachView.as_view(), name="movement_attach"),
    path("movements/attachments/<int:pk>/", views.MovementAttachmentView.as_view(), name="movement_attachment"),
    path(
        "movements/attachments/<int:pk>/delete/",
        views.MovementAttachmentDeleteView.as_view(),
        name="movement_attachment_delete",
    ),
    path("awards/", views.AwardListView.as_view(), name="award_list"),
    path("awards/new/", views.AwardFormView.as_view(), name="award_create"),
    path("awards/<int:pk>/", views.AwardDetailView.as_view(), name="award_detail"),
    path("awards/<int:pk>/edit/", views.AwardFormView.as_view(), name="award_edit"),
    path("recipients/<int:pk>/", views.RecipientDetailView.as_view(), name="recipient_detail"),
    path("titles/", views.TitleListView.as_view(), name="title_list"),
]
