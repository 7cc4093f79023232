"""Import a data-exchange workbook (DOMAIN.md §6): all or nothing, every error listed.

    python manage.py import_workbook FILE [--dry-run] [--user USERNAME]

Prints a summary per sheet and every error as `sheet!row column: message`; exits with a
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
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(_("%(count)s lỗi; không có thay đổi nào được ghi.") % {"count": len(result.errors)})
        if result.dry_run:
            self.stdout.write(_("Chạy thử: tệp hợp lệ, không có gì được ghi."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Đã nhập xong.")))
