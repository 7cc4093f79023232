"""The reports app's shortcuts on the home page (kcn_portal.core.home), registered in ReportsConfig.ready.

- the ministry: how many boards still lack the last ended quarter's reports past its deadline;
- a board's people: for each of their boards, the reports of the last ended quarter still missing and,
  for its leaders, the quarter's approval, the reopening requests and the corrections waiting for them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kcn_portal import periods
from kcn_portal.core.home import Asker, Task

from .enums import CorrectionStatus
from .selectors import approval as approval_selectors
from .selectors import corrections as correction_selectors
from .selectors import deadlines


def home_tasks(asker: Asker) -> list[Task]:
    if asker.overview:
        period, count = deadlines.overdue_boards(user=asker.user, today=asker.today)
        if not count:
            return []
        text = ngettext(
            "%(count)s Ban chưa đủ báo cáo %(period)s dù đã quá hạn",
            "%(count)s Ban chưa đủ báo cáo %(period)s dù đã quá hạn",
            count,
        ) % {"count": count, "period": periods.label_of(period)}
        return [Task(text, reverse("reports:deadlines") + f"?period={period}")]
    tasks = []
    for task in deadlines.next_tasks(user=asker.user, boards=asker.boards, today=asker.today):
        names = {"board": task.board.name, "period": periods.label_of(task.period)}
        if task.missing:
            text = ngettext(
                "%(board)s: %(count)s báo cáo doanh nghiệp %(period)s còn thiếu",
                "%(board)s: %(count)s báo cáo doanh nghiệp %(period)s còn thiếu",
                task.missing,
            ) % {**names, "count": task.missing}
            tasks.append(
                Task(text, reverse("enterprise:missing", kwargs={"code": task.board.code, "period": task.period}))
            )
        if task.approve:
            tasks.append(
                Task(
                    _("%(board)s: số liệu %(period)s chờ lãnh đạo phê duyệt") % names,
                    reverse("reports:approval_detail", kwargs={"board": task.board.code, "period": task.period}),
                )
            )
    return tasks + _leader_decisions(asker)


def _leader_decisions(asker: Asker) -> list[Task]:
    """Reopening requests and corrections waiting for the decision of a leader of the asker's boards."""
    tasks = []
    for request in approval_selectors.reopen_requests_waiting(user=asker.user, boards=asker.boards):
        approval = request.approval
        tasks.append(
            Task(
                _("%(board)s: đề nghị mở lại số liệu %(period)s chờ lãnh đạo quyết định")
                % {"board": approval.board.name, "period": periods.label_of(approval.period)},
                reverse("reports:approval_detail", kwargs={"board": approval.board.code, "period": approval.period}),
            )
        )
    for board, count in correction_selectors.corrections_waiting(user=asker.user, boards=asker.boards):
        text = ngettext(
            "%(board)s: %(count)s đề nghị đính chính chờ lãnh đạo duyệt",
            "%(board)s: %(count)s đề nghị đính chính chờ lãnh đạo duyệt",
            count,
        ) % {"board": board.name, "count": count}
        query = urlencode({"board": board.code, "status": CorrectionStatus.PROPOSED})
        tasks.append(Task(text, f"{reverse('reports:correction_list')}?{query}"))
    return tasks
