"""URLs of the emulation downloads (Excel); combined in emulation/urls.py.

The award statistics have a fixed prefix; the score sheet nests under the bloc year and ends in a
fixed file name, so it never matches another helper's /<code>/<year>/<kind>/<board>/ pages.
"""

from django.urls import path

from . import views_exports as views

urlpatterns = [
    path("awards/statistics/<int:year>.xlsx", views.AwardStatisticsView.as_view(), name="award_statistics"),
    path("<str:code>/<int:year>/<slug:kind>/scores.xlsx", views.ScoreSheetView.as_view(), name="score_sheet"),
]
