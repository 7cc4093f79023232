"""Downloads of the emulation app: a round's score sheet and a year's award statistics (.xlsx)."""

from __future__ import annotations

import io

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.views import View

from emulation import access, exporters
from emulation.selectors import scoring as scoring_selectors
from emulation.selectors import years as years_selectors
from kcn_portal.core.xlsx import XLSX_CONTENT_TYPE


def _xlsx_response(buffer: io.BytesIO, name: str) -> FileResponse:
    # The workbooks are small (a bloc's dozen members, a year's decisions): built in memory, sent at once.
    buffer.seek(0)
    response = FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"  # scores and names of one user's scope, as reports' downloads
    return response


class ScoreSheetView(LoginRequiredMixin, View):
    """A round's "Bảng tổng hợp điểm thi đua": the ministry, administrators and the bloc's managers
    always; the year's members once the round is published; anyone else 404."""

    def get(self, request, code: str, year: int, kind: str):
        user = request.user
        bloc_year = years_selectors.bloc_year_get(user=user, code=code, year=year)  # 404 outside the user's blocs
        scoring_round = scoring_selectors.round_get(user=user, bloc_year=bloc_year, kind=kind)
        if not access.reads_ranking(user, scoring_round):
            # Before publication a member must not learn others' scores, nor that the sheet exists.
            raise Http404
        buffer = io.BytesIO()
        exporters.score_sheet(scoring_round, buffer)
        return _xlsx_response(buffer, exporters.score_sheet_name(scoring_round))


class AwardStatisticsView(LoginRequiredMixin, View):
    """ "Thống kê khen thưởng năm …" of the award decisions naming the boards the user reads."""

    def get(self, request, year: int):
        if not 1900 <= year <= 2999:
            raise Http404
        buffer = io.BytesIO()
        exporters.award_statistics(year, buffer, user=request.user)
        return _xlsx_response(buffer, exporters.award_statistics_name(year))
