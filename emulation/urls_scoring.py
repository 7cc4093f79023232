"""URLs of the emulation pages (scoring); combined in emulation/urls.py.

A round's kind is matched by its own converter (mid_year|year_end) so that "conclude" or any later
fixed word under /emulation/<code>/<year>/ is never read as a round.
"""

from django.urls import path, register_converter

from . import views_scoring as views
from .enums import RoundKind


class RoundKindConverter:
    regex = "|".join(RoundKind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(RoundKindConverter, "round_kind")

YEAR = "<str:code>/<int:year>/"
ROUND = YEAR + "<round_kind:kind>/"
CARD = ROUND + "<str:board>/"

urlpatterns = [
    path(YEAR + "conclude/", views.YearConcludeView.as_view(), name="year_conclude"),
    path(YEAR + "rounds/<round_kind:kind>/edit/", views.RoundEditView.as_view(), name="round_edit"),
    path(YEAR + "rounds/<round_kind:kind>/open/", views.RoundOpenView.as_view(), name="round_open"),
    path(ROUND, views.RoundDetailView.as_view(), name="round_detail"),
    path(ROUND + "close/", views.RoundCloseView.as_view(), name="round_close"),
    path(ROUND + "publish/", views.RoundPublishView.as_view(), name="round_publish"),
    path(CARD, views.ScorecardDetailView.as_view(), name="scorecard_detail"),
    path(CARD + "submit/", views.ScorecardSubmitView.as_view(), name="scorecard_submit"),
    path(CARD + "review/", views.ScorecardReviewView.as_view(), name="scorecard_review"),
    path(CARD + "return/", views.ScorecardReturnView.as_view(), name="scorecard_return"),
    path(CARD + "evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path(CARD + "evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(CARD + "evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
]
