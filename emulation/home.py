"""The emulation app's shortcuts on the home page (kcn_portal.core.home), registered in EmulationConfig.ready.

- a reviewer (a leader of the bloc's Khối trưởng, Khối phó or alternate reviewer): per open round, the
  submitted scorecards of the members they review that still lack a reviewed score;
- a member board's people: their board's scorecard of an open round still in draft, with its deadline.

Two queries, whatever the number of rounds and cards.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kcn_portal.core.home import Asker, Task

from . import access
from .enums import RoundStatus, SubmissionStatus
from .models import RuleClaim, Score, Scorecard


def _round_name(scoring_round) -> str:
    bloc_year = scoring_round.bloc_year
    return f"{bloc_year.bloc.name} {bloc_year.year} – {scoring_round.get_kind_display()}"


def home_tasks(asker: Asker) -> list[Task]:
    if asker.overview:
        return []
    return _reviews(asker) + _own_drafts(asker)


def _reviews(asker: Asker) -> list[Task]:
    led = access.led_board_ids(asker.user)
    if not led:
        return []
    unreviewed = Exists(Score.objects.filter(scorecard=OuterRef("pk"), reviewed_points__isnull=True)) | Exists(
        RuleClaim.objects.filter(scorecard=OuterRef("pk"), reviewed_count__isnull=True, self_count__gt=0)
    )
    cards = (
        Scorecard.objects.filter(round__status=RoundStatus.OPEN, status=SubmissionStatus.SUBMITTED)
        .filter(
            Q(round__bloc_year__leader_id__in=led)
            | Q(round__bloc_year__deputy_id__in=led)
            | Q(round__bloc_year__alternate_reviewer_id__in=led)
        )
        .filter(unreviewed)
        .select_related("round__bloc_year__bloc")
        .order_by("round__bloc_year__bloc__code", "round__bloc_year__year", "round__kind")
    )
    waiting: Counter = Counter()
    rounds = {}
    for card in cards:
        if access.reviewer_board_ids(card.round.bloc_year, card.board_id) & led:
            waiting[card.round_id] += 1
            rounds[card.round_id] = card.round
    tasks = []
    for round_id, scoring_round in rounds.items():
        bloc_year = scoring_round.bloc_year
        text = ngettext(
            "%(round)s: %(count)s phiếu tự chấm đã gửi chờ thẩm định",
            "%(round)s: %(count)s phiếu tự chấm đã gửi chờ thẩm định",
            waiting[round_id],
        ) % {"round": _round_name(scoring_round), "count": waiting[round_id]}
        url = reverse("emulation:round_detail", args=[bloc_year.bloc.code, bloc_year.year, scoring_round.kind])
        tasks.append(Task(text, url))
    return tasks


def _own_drafts(asker: Asker) -> list[Task]:
    boards = {board.pk: board for board in asker.boards}
    if not boards:
        return []
    cards = (
        Scorecard.objects.filter(round__status=RoundStatus.OPEN, status=SubmissionStatus.DRAFT, board_id__in=boards)
        .select_related("round__bloc_year__bloc")
        .order_by("round__closes_on", "board__code")
    )
    tasks = []
    for card in cards:
        scoring_round, bloc_year = card.round, card.round.bloc_year
        names = {
            "board": boards[card.board_id].name,
            "round": _round_name(scoring_round),
            "deadline": formats.date_format(scoring_round.closes_on, "d/m/Y"),
        }
        if asker.today and scoring_round.closes_on < asker.today:
            text = _("%(board)s: phiếu tự chấm %(round)s chưa gửi, đã quá hạn %(deadline)s") % names
        else:
            text = _("%(board)s: phiếu tự chấm %(round)s chưa gửi, hạn %(deadline)s") % names
        url = reverse(
            "emulation:scorecard_detail",
            args=[bloc_year.bloc.code, bloc_year.year, scoring_round.kind, boards[card.board_id].code],
        )
        tasks.append(Task(text, url))
    return tasks
