"""The emulation app's shortcuts on the home page (kcn_portal.core.home), registered in EmulationConfig.ready.

- a reviewer (a leader of the bloc's Khối trưởng, Khối phó or alternate reviewer): per open round, the
  submitted scorecards of the members they review that still lack a reviewed score;
- a member board's people: their board's scorecard of an open round still in draft, with its deadline.

Two queries (emulation.selectors.scoring), whatever the number of rounds and cards.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kcn_portal.core.home import Asker, Task

from .selectors import scoring as scoring_selectors


def _round_name(scoring_round) -> str:
    bloc_year = scoring_round.bloc_year
    return f"{bloc_year.bloc.name} {bloc_year.year} – {scoring_round.get_kind_display()}"


def home_tasks(asker: Asker) -> list[Task]:
    if asker.overview:
        return []
    return _reviews(asker) + _own_drafts(asker)


def _reviews(asker: Asker) -> list[Task]:
    tasks = []
    for scoring_round, count in scoring_selectors.rounds_awaiting_review(user=asker.user):
        bloc_year = scoring_round.bloc_year
        text = ngettext(
            "%(round)s: %(count)s phiếu tự chấm đã gửi chờ thẩm định",
            "%(round)s: %(count)s phiếu tự chấm đã gửi chờ thẩm định",
            count,
        ) % {"round": _round_name(scoring_round), "count": count}
        url = reverse("emulation:round_detail", args=[bloc_year.bloc.code, bloc_year.year, scoring_round.kind])
        tasks.append(Task(text, url))
    return tasks


def _own_drafts(asker: Asker) -> list[Task]:
    if not asker.boards:
        return []
    tasks = []
    for card in scoring_selectors.draft_cards_of(board_ids=[board.pk for board in asker.boards]):
        scoring_round, bloc_year = card.round, card.round.bloc_year
        names = {
            "board": card.board.name,
            "round": _round_name(scoring_round),
            "deadline": formats.date_format(scoring_round.closes_on, "d/m/Y"),
        }
        if asker.today and scoring_round.closes_on < asker.today:
            text = _("%(board)s: phiếu tự chấm %(round)s chưa gửi, đã quá hạn %(deadline)s") % names
        else:
            text = _("%(board)s: phiếu tự chấm %(round)s chưa gửi, hạn %(deadline)s") % names
        url = reverse(
            "emulation:scorecard_detail",
            args=[bloc_year.bloc.code, bloc_year.year, scoring_round.kind, card.board.code],
        )
        tasks.append(Task(text, url))
    return tasks
