"""The reports app's shortcuts on the home page (kcn_portal.core.home), registered in ReportsConfig.ready.

- the ministry: how many boards still lack the last ended quarter's reports past its deadline;
- a board's people: for each of their boards, the reports of the last ended quarter still missing and,
  for its leaders, the quarter's approval, the reopening requests and the corrections waiting for them.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kcn_portal import periods
from kcn_portal.core.home import Asker, Task
from zones import access

from .enums import CorrectionStatus, ReopenStatus
from .models import Correction, ReopenRequest
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
    """Reopening requests and corrections waiting for the decision of a leader of the asker's boards (two queries)."""
    led = access.led_boards(asker.user).filter(pk__in=[board.pk for board in asker.boards])
    tasks = []
    requests = (
        ReopenRequest.objects.filter(status=ReopenStatus.REQUESTED, approval__board__in=led)
        .select_related("approval__board")
        .order_by("approval__board__code", "approval__start", "pk")
    )
    for request in requests:
        approval = request.approval
        tasks.append(
            Task(
                _("%(board)s: đề nghị mở lại số liệu %(period)s chờ lãnh đạo quyết định")
                % {"board": approval.board.name, "period": periods.label_of(approval.period)},
                reverse("reports:approval_detail", kwargs={"board": approval.board.code, "period": approval.period}),
            )
        )
    corrections = (
        Correction.objects.filter(status=CorrectionStatus.PROPOSED, board__in=led)
        .values("board__code", "board__name")
        .annotate(count=Count("pk"))
        .order_by("board__code")
    )
    for row in corrections:
        text = ngettext(
            "%(board)s: %(count)s đề nghị đính chính chờ lãnh đạo duyệt",
            "%(board)s: %(count)s đề nghị đính chính chờ lãnh đạo duyệt",
            row["count"],
        ) % {"board": row["board__name"], "count": row["count"]}
        tasks.append(Task(text, reverse("reports:correction_list") + f"?board={row['board__code']}&status=proposed"))
    return tasks
