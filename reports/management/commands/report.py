"""`python manage.py report --scope SCOPE --period PERIOD --format json|xlsx [--out FILE]` (DOMAIN.md §7).

Prints (json) or writes (json, xlsx) the latest stored version of one report; a report never built
is built first, in this process.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kcn_portal import periods
from reports import scopes
from reports.selectors import snapshots
from reports.services import builds


class Command(BaseCommand):
    help = "In hoặc ghi ra tệp một báo cáo (JSON hoặc Excel)."

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, help="board:HNA, bloc:DBSH hoặc national")
        parser.add_argument("--period", required=True, help="2019, 2019-H1, 2019-Q3, 2019-M07, 2019-YTD11")
        parser.add_argument("--format", choices=("json", "xlsx"), default="json", dest="file_format")
        parser.add_argument("--out", help="tệp kết quả (bắt buộc với xlsx; JSON mặc định in ra màn hình)")
        parser.add_argument("--report-version", type=int, dest="report_version", help="một phiên bản đã lưu")

    def handle(self, *args, scope, period, file_format="json", out=None, report_version=None, **options):
        try:
            parsed_scope, parsed_period = scopes.parse(scope), periods.parse(period)
        except (scopes.ScopeError, periods.PeriodError) as exc:
            raise CommandError(str(exc)) from exc
        if file_format == "xlsx" and not out:
            raise CommandError("Báo cáo Excel cần --out TỆP.xlsx.")
        snapshot = self._snapshot(str(parsed_scope), parsed_period, report_version)
        if file_format == "json":
            text = json.dumps(snapshots.document(snapshot), ensure_ascii=False, indent=2) + "\n"
            if out:
                Path(out).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        from reports.exporters import summary_workbook

        with open(out, "wb") as handle:
            summary_workbook(snapshot, handle)
        self.stderr.write(f"Đã ghi {out} ({snapshot.scope} {snapshot.period} v{snapshot.version}).")

    def _snapshot(self, scope: str, period: periods.Period, version: int | None):
        from django.http import Http404

        try:
            return snapshots.snapshot_get(user=None, scope=scope, period=period.code, version=version)
        except Http404:
            if version:
                raise CommandError(f"Không có phiên bản {version} của báo cáo {scope} {period.code}.") from None
        print(f"Báo cáo {scope} {period.code} chưa được tính: đang tính…", file=sys.stderr)
        builds.report_build(period=period, targets=[scopes.parse(scope)])
        return snapshots.snapshot_get(user=None, scope=scope, period=period.code)
