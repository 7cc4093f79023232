"""Export the data-exchange workbook (DOMAIN.md §6): every registered sheet, as the system sees it.

python manage.py export_workbook FILE [--board CODE ...]
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kcn_portal.core.workbook import export_workbook
from zones import selectors


class Command(BaseCommand):
    help = _("Xuất bảng tính trao đổi dữ liệu (.xlsx) của mọi Ban hoặc của các Ban được chọn.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("đường dẫn tệp .xlsx sẽ ghi"))
        parser.add_argument(
            "--board", action="append", metavar="CODE", help=_("chỉ xuất Ban có mã này (có thể lặp lại)")
        )

    def handle(self, *args, **options):
        codes = options["board"]
        if codes:
            missing = sorted(set(codes) - set(selectors.board_index(user=None)))
            if missing:
                raise CommandError(_("Không có Ban quản lý mã: %(codes)s.") % {"codes": ", ".join(missing)})
        try:
            counts = export_workbook(options["file"], user=None, boards=codes)
        except OSError as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        summary = ", ".join(f"{sheet}: {count}" for sheet, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(_("Đã ghi %(file)s (%(summary)s).") % {"file": options["file"], "summary": summary})
        )
