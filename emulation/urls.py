"""Every emulation page under /emulation/ (namespace "emulation"); each route names the view of its aggregate
(emulation/views/<aggregate>.py), which calls the services and selectors of the same name.

Order matters where patterns share a shape: movements, awards, recipients, titles and the downloads come
before the bloc-year patterns (/emulation/<code>/<year>/…) so that their fixed prefixes are never read as a
bloc code. A round's kind is matched by its own converter (mid_year|year_end), so "conclude", "table",
"registrations" or any later fixed word under /emulation/<code>/<year>/ is never read as a round; the score
sheet ends in a fixed file name, so it never matches a card's /<code>/<year>/<kind>/<board>/ pages.
"""

from django.urls import path, register_converter

from emulation.enums import RoundKind
from emulation.views import awards, exports, registrations, scoring, years


class RoundKindConverter:
    regex = "|".join(RoundKind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(RoundKindConverter, "round_kind")

app_name = "emulation"

YEAR = "<str:code>/<int:year>/"
ROUND = YEAR + "<round_kind:kind>/"
CARD = ROUND + "<str:board>/"

urlpatterns = [
    # --- movements, award decisions, recipients, titles (fixed prefixes first)
    path("movements/", awards.MovementListView.as_view(), name="movement_list"),
    path("movements/new/", awards.MovementFormView.as_view(), name="movement_create"),
    path("movements/<int:pk>/", awards.MovementDetailView.as_view(), name="movement_detail"),
    path("movements/<int:pk>/edit/", awards.MovementFormView.as_view(), name="movement_edit"),
    path("movements/<int:pk>/advance/", awards.MovementAdvanceView.as_view(), name="movement_advance"),
    path("movements/<int:pk>/attach/", awards.MovementAttachView.as_view(), name="movement_attach"),
    path("movements/attachments/<int:pk>/", awards.MovementAttachmentView.as_view(), name="movement_attachment"),
    path(
        "movements/attachments/<int:pk>/delete/",
        awards.MovementAttachmentDeleteView.as_view(),
        name="movement_attachment_delete",
    ),
    path("awards/", awards.AwardListView.as_view(), name="award_list"),
    path("awards/new/", awards.AwardFormView.as_view(), name="award_create"),
    path("awards/<int:pk>/", awards.AwardDetailView.as_view(), name="award_detail"),
    path("awards/<int:pk>/edit/", awards.AwardFormView.as_view(), name="award_edit"),
    path("recipients/<int:pk>/", awards.RecipientDetailView.as_view(), name="recipient_detail"),
    path("titles/", awards.TitleListView.as_view(), name="title_list"),
    # --- downloads (Excel)
    path("awards/statistics/<int:year>.xlsx", exports.AwardStatisticsView.as_view(), name="award_statistics"),
    path("<str:code>/<int:year>/<slug:kind>/scores.xlsx", exports.ScoreSheetView.as_view(), name="score_sheet"),
    # --- bloc years and their registrations
    path("", years.BlocYearListView.as_view(), name="blocyear_list"),
    path(YEAR, years.BlocYearDetailView.as_view(), name="blocyear_detail"),
    path(f"{YEAR}edit/", years.BlocYearEditView.as_view(), name="blocyear_edit"),
    path(f"{YEAR}table/", scoring.TableView.as_view(), name="table_detail"),
    path(f"{YEAR}registrations/", registrations.RegistrationListView.as_view(), name="registration_list"),
    path(f"{YEAR}registrations/<str:board>/", registrations.RegistrationEditView.as_view(), name="registration_edit"),
    path(
        f"{YEAR}registrations/<str:board>/submit/",
        registrations.RegistrationSubmitView.as_view(),
        name="registration_submit",
    ),
    # --- the year-end review, rounds and scorecards
    path(YEAR + "conclude/", awards.YearConcludeView.as_view(), name="year_conclude"),
    path(YEAR + "rounds/<round_kind:kind>/edit/", scoring.RoundEditView.as_view(), name="round_edit"),
    path(YEAR + "rounds/<round_kind:kind>/open/", scoring.RoundOpenView.as_view(), name="round_open"),
    path(ROUND, scoring.RoundDetailView.as_view(), name="round_detail"),
    path(ROUND + "close/", scoring.RoundCloseView.as_view(), name="round_close"),
    path(ROUND + "publish/", scoring.RoundPublishView.as_view(), name="round_publish"),
    path(CARD, scoring.ScorecardDetailView.as_view(), name="scorecard_detail"),
    path(CARD + "submit/", scoring.ScorecardSubmitView.as_view(), name="scorecard_submit"),
    path(CARD + "review/", scoring.ScorecardReviewView.as_view(), name="scorecard_review"),
    path(CARD + "return/", scoring.ScorecardReturnView.as_view(), name="scorecard_return"),
    path(CARD + "evidence/", scoring.EvidenceAddView.as_view(), name="evidence_add"),
    path(CARD + "evidence/<int:pk>/", scoring.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(CARD + "evidence/<int:pk>/delete/", scoring.EvidenceDeleteView.as_view(), name="evidence_delete"),
]
