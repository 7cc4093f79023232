"""`python manage.py build_reports PERIOD [--scope SCOPE]` (DOMAIN.md §7).

Computes and stores the period's reports (every board, bloc and the nation, or one scope) through
the Celery task, and waits for it: in-process when no broker is configured, on a worker otherwise.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from kcn_portal.core.enums import TaskStatus
from kcn_portal.periods import PeriodError
from reports import tasks
from reports.scopes import ScopeError
from reports.services import builds


class Command(BaseCommand):
    help = "Tính và lưu báo cáo của một kỳ (mọi phạm vi, hoặc một phạm vi) qua tác vụ Celery."

    def add_arguments(self, parser):
        parser.add_argument("period", help="2019, 2019-H1, 2019-Q3, 2019-M07, 2019-YTD11")
        parser.add_argument("--scope", help="board:HNA, bloc:DBSH hoặc national (mặc định: tất cả)")
        parser.add_argument("--timeout", type=int, default=3600, help="giây chờ worker (mặc định 3600)")

    def handle(self, *args, period, scope=None, timeout=3600, **options):
        try:
            run = builds.report_build_enqueue(user=None, period=period, scope=scope, send=False)
        except (PeriodError, ScopeError) as exc:
            raise CommandError(str(exc)) from exc
        # Sent here rather than on commit: without a broker the task runs right now, in this process.
        tasks.build_reports.delay(run.pk)
        deadline = time.monotonic() + timeout
        run.refresh_from_db()
        while run.status in (TaskStatus.PENDING, TaskStatus.RUNNING):
            if time.monotonic() > deadline:
                raise CommandError(f"Công việc #{run.pk} chưa xong sau {timeout} giây (trạng thái {run.status}).")
            time.sleep(0.5)
            run.refresh_from_db()
        if run.status != TaskStatus.SUCCEEDED:
            raise CommandError(f"Công việc #{run.pk} lỗi: {run.error}")
        reports = run.result["reports"]
        for item in reports:
            state = "phiên bản mới" if item["new_version"] else "không đổi"
            self.stdout.write(f"{item['scope']:<16} {run.result['period']:<10} v{item['version']} ({state})")
        created = sum(item["new_version"] for item in reports)
        self.stdout.write(self.style.SUCCESS(f"{len(reports)} báo cáo, {created} phiên bản mới (công việc #{run.pk})."))
