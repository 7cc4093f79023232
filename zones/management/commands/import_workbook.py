"""Import a data-exchange workbook (DOMAIN.md §6): all or nothing, every error listed.

    python manage.py import_workbook FILE [--dry-run] [--user USERNAME]

Prints a summary per sheet, the rows added and changed (before → after, the first
200 of each sheet), and every error as `sheet!row column: message`; exits with a
non-zero status when the file is refused or any row has an error (nothing is then written).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kcn_portal.core.enums import AuditSource
from kcn_portal.core.workbook import import_workbook
from kcn_portal.core.xlsx import WorkbookError


class Command(BaseCommand):
    help = _("Nhập bảng tính trao đổi dữ liệu (.xlsx): ghi tất cả hoặc không ghi gì, liệt kê mọi lỗi.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("đường dẫn tệp .xlsx"))
        parser.add_argument("--dry-run", action="store_true", help=_("chỉ kiểm tra, không ghi gì"))
        parser.add_argument("--user", help=_("tên đăng nhập của người nhập (mặc định: hệ thống, mọi quyền)"))

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("Không có người dùng '%(name)s'.") % {"name": options["user"]})
        try:
            result = import_workbook(options["file"], user=user, dry_run=options["dry_run"], source=AuditSource.IMPORT)
        except (WorkbookError, OSError) as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        # Counts say what the file does; "chưa ghi" when it was a dry run or refused.
        pending = "" if result.written else _(" (chưa ghi)")
        for sheet, counts in result.sheets.items():
            summary = _("%(sheet)s: %(created)s tạo mới, %(updated)s cập nhật, %(unchanged)s không đổi") % {
                "sheet": sheet,
                "created": counts.created,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            }
            self.stdout.write(summary + pending)
            if result.dry_run:  # the preview: what the file would add and change, row by row
                changes = result.changes.get(sheet, [])
                for change in changes:
                    self.stdout.write("  " + str(change))
                more = counts.created + counts.updated - len(changes)
                if more > 0:
                    self.stdout.write("  " + _("… và %(count)s dòng nữa.") % {"count": more})
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(_("%(count)s lỗi; không có thay đổi nào được ghi.") % {"count": len(result.errors)})
        if not result.changed:
            self.stdout.write(_("Không có thay đổi: mọi dòng của tệp đã có sẵn, giống hệt."))
        elif result.dry_run:
            self.stdout.write(_("Chạy thử: tệp hợp lệ, không có gì được ghi."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Đã nhập xong.")))
