"""`python manage.py seed_demo`: load the demo boards, zones and logins (never under production settings).

Idempotent: boards, zones, users and memberships are created through zones.services when
missing (audited with source "command"); rows that exist are left as users have edited them,
so `make run` can run it on every start and a second run writes nothing. The work is a list of steps (STEPS); later
issues append theirs (projects, licences, reports, emulation) without touching the earlier ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emulation import demo_data as emulation_demo
from investment import demo_data as investment_demo
from investment import demo_enterprise_reports as investment_reports
from kcn_portal.core.enums import AuditSource
from reports import demo_data as reports_demo
from zones import demo_data, selectors, services
from zones.models import Membership

SOURCE = AuditSource.COMMAND


@dataclass
class Tally:
    """What one step did: rows created, rows changed, rows already as the demo wants them."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, *, created: bool = False, changed: bool = False) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def seed_boards(tally: Tally) -> None:
    """The 11 boards of the bloc; a board that exists already is left as it is."""
    existing = selectors.board_index(user=None)
    for row in demo_data.BOARDS:
        if row["code"] in existing:
            tally.add()
            continue
        services.board_create(user=None, source=SOURCE, **row)
        tally.add(created=True)


def seed_zones(tally: Tally) -> None:
    """Every board's zones; a zone that exists already keeps what users have entered since."""
    boards = selectors.board_index(user=None)
    _zones, existing = selectors.zone_index(user=None)
    for board_code, row in demo_data.zone_rows():
        if row["code"] in existing:
            tally.add()
            continue
        services.zone_create(user=None, source=SOURCE, **row, board=boards[board_code])
        tally.add(created=True)


def _ensure_user(tally: Tally, username: str, name: tuple[str, str], **flags) -> None:
    """Create the user with the demo password, or keep the existing one (its password and name untouched).

    Role flags are restored on an existing user so that every documented login works as described.
    """
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        last_name, first_name = name
        User.objects.create_user(
            username=username,
            password=demo_data.DEMO_PASSWORD,
            last_name=last_name,
            first_name=first_name,
            **flags,
        )
        tally.add(created=True)
        return
    wrong = [field for field, value in flags.items() if getattr(user, field) != value]
    for field in wrong:
        setattr(user, field, flags[field])
    if wrong:
        user.save(update_fields=wrong)
    tally.add(changed=bool(wrong))


def seed_users(tally: Tally) -> None:
    """`admin`, `ministry` and the two logins of every board (`<code>.staff`, `<code>.lead`)."""
    _ensure_user(tally, "admin", demo_data.ADMIN_NAME, is_superuser=True, is_staff=True)
    _ensure_user(tally, "ministry", demo_data.MINISTRY_NAME, is_ministry=True)
    for username, board_code, _role in demo_data.board_usernames():
        suffix = username.rsplit(".", 1)[1]
        _ensure_user(tally, username, demo_data.BOARD_PEOPLE[board_code][suffix])


def seed_memberships(tally: Tally) -> None:
    """Each board login's role in its board, set through services.membership_set (audited)."""
    User = get_user_model()
    boards = selectors.board_index(user=None)
    for username, board_code, role in demo_data.board_usernames():
        member = User.objects.get(username=username)
        board = boards[board_code]
        if Membership.objects.filter(user=member, board=board).exists():
            tally.add()  # an administrator may have changed the role since; keep it
            continue
        services.membership_set(user=None, member=member, board=board, role=role, source=SOURCE)
        tally.add(created=True)


# (label, step) in the order they run; a later step may rely on the rows of an earlier one.
STEPS: list[tuple[str, Callable[[Tally], None]]] = [
    (gettext_lazy("Ban quản lý"), seed_boards),
    (gettext_lazy("Khu công nghiệp, khu kinh tế"), seed_zones),
    (gettext_lazy("Người dùng"), seed_users),
    (gettext_lazy("Phân công vào Ban"), seed_memberships),
    # Issue 3: a few hundred projects per board with their licence ledger, then their quarterly reports.
    (gettext_lazy("Dự án đầu tư (kèm sổ giấy chứng nhận)"), investment_demo.seed_projects),
    (gettext_lazy("Báo cáo quý của doanh nghiệp"), investment_reports.seed_reports),
    (gettext_lazy("Ví dụ đính chính và nhà đầu tư góp vốn"), investment_demo.seed_examples),
    # Issue 5: the emulation bloc by year, its scoring, movements and awards. Before the reports: setting a
    # bloc year's members marks the members' built reports stale, which would rebuild them all once more.
    (gettext_lazy("Thi đua, khen thưởng"), emulation_demo.seed_emulation),
    # Issue 4: the 2025 plans, then the reports of the demo periods (every board, the bloc, the nation).
    (gettext_lazy("Kế hoạch năm"), reports_demo.seed_plans),
    (gettext_lazy("Báo cáo thống kê đã tính"), reports_demo.seed_reports),
    # Issue 7: approved periods (they lock the data they cover: after every step that writes it), a
    # correction after approval, a reopen request, the ministry's acceptance of the bloc's 2024 summary.
    (gettext_lazy("Phê duyệt số liệu, đính chính"), reports_demo.seed_approvals),
]


class Command(BaseCommand):
    help = gettext_lazy(
        "Nạp dữ liệu mẫu: 11 Ban Quản lý khối Đồng bằng sông Hồng, các khu và tài khoản dùng thử. "
        "Chạy lại nhiều lần không thay đổi gì. Không chạy được trên hệ thống thật (production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list-logins",
            action="store_true",
            help=gettext_lazy("Chỉ in danh sách tài khoản dùng thử, không ghi gì vào cơ sở dữ liệu."),
        )

    def handle(self, *args, list_logins=False, **options):
        if not getattr(settings, "KCN_DEMO_ALLOWED", False):
            raise CommandError(
                _(
                    "Không được nạp dữ liệu mẫu trên hệ thống này: cấu hình hiện tại là production "
                    "(KCN_DEMO_ALLOWED = False)."
                )
            )
        if list_logins:
            self.print_logins()
            return
        # All steps or none: a failure half-way leaves the database as it was.
        with transaction.atomic():
            results = []
            for label, step in STEPS:
                tally = Tally()
                step(tally)
                results.append((label, tally))
        self.stdout.write(self.style.SUCCESS(_("Đã nạp dữ liệu mẫu:")))
        for label, tally in results:
            self.stdout.write(
                _("  %(label)s: %(created)d tạo mới, %(updated)d cập nhật, %(unchanged)d không đổi")
                % {"label": label, "created": tally.created, "updated": tally.updated, "unchanged": tally.unchanged}
            )
        self.stdout.write(
            _("Khối trưởng khối thi đua %(bloc)s năm %(year)s (đợt tổng kết đang chấm): đăng nhập %(login)s")
            % {
                "bloc": emulation_demo.BLOC_CODE,
                "year": emulation_demo.OPEN_YEAR,
                "login": emulation_demo.leader_login(),
            }
        )
        self.stdout.write(_("Xem tài khoản dùng thử: python manage.py seed_demo --list-logins"))

    def print_logins(self) -> None:
        """The logins table: username, role, and the shared password."""
        logins = demo_data.demo_logins()
        width = max(len(username) for username, _role in logins)
        self.stdout.write(
            _("Tài khoản dùng thử (mật khẩu chung: %(password)s)") % {"password": demo_data.DEMO_PASSWORD}
        )
        for username, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
