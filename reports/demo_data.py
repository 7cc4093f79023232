"""Demo reports for `seed_demo`: the boards' 2025 plans and the built reports of the demo years.

Plans are set a little above each board's 2024 result (what a board would aim for); reports are
built for every year 2018–2025, the halves and quarters of 2024–2025 and Thái Bình's published
January–November 2019, so the report pages have history to chart. Idempotent like every seed step:
an unchanged plan writes nothing and a rebuild of the same records makes no new version.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kcn_portal import periods
from kcn_portal.core.enums import AuditSource
from zones.models import Board

from .engine import rollup
from .services import approval as approval_services
from .services import builds, staleness
from .services import corrections as correction_services
from .services import plans as plan_services

PLAN_YEAR = 2025
# Indicator: the growth the plan asks for over last year's result.
PLAN_GROWTH = {
    "new_projects": Decimal("1.10"),
    "new_and_added_capital_fdi_usd": Decimal("1.15"),
    "new_and_added_capital_ddi_vnd": Decimal("1.10"),
    "valid_projects": Decimal("1.05"),
    "production_value_vnd": Decimal("1.12"),
    "export_usd": Decimal("1.12"),
    "budget_vnd": Decimal("1.08"),
    "occupancy_pct": Decimal("1.03"),
}
DEMO_PERIODS = [
    *(str(year) for year in range(2018, 2026)),
    "2019-YTD11",
    *(f"{year}-H{half}" for year in (2024, 2025) for half in (1, 2)),
    *(f"{year}-Q{quarter}" for year in (2024, 2025) for quarter in (1, 2, 3, 4)),
]


def seed_plans(tally) -> None:
    """Each demo board's 2025 targets, from its 2024 figures."""
    boards = list(Board.objects.order_by("code"))
    last_year = rollup.board_values(periods.parse(str(PLAN_YEAR - 1)), [board.pk for board in boards])
    for board in boards:
        for code, growth in PLAN_GROWTH.items():
            base = last_year[board.pk][code]
            if not base:
                continue
            places = Decimal("1") if isinstance(base, int) else Decimal("0.01")
            value = (Decimal(base) * growth).quantize(places, rounding=ROUND_HALF_UP)
            _plan, outcome = plan_services.plan_set(
                user=None, board=board, year=PLAN_YEAR, indicator=code, value=value, source=AuditSource.COMMAND
            )
            tally.add(created=outcome == plan_services.CREATED, changed=outcome == plan_services.UPDATED)


def seed_reports(tally) -> None:
    """Build every scope's report of the demo periods (a version only where a number changed)."""
    for code in DEMO_PERIODS:
        for built in builds.report_build(period=periods.parse(code)):
            tally.add(created=built.created)


# --- approvals, a correction, a reopen request (issue 7) ----------------------------------------------

# Every board approved 2024 (so the bloc's 2024 summary is final and the ministry accepted it); Hà Nam also
# its 2024 quarters and halves and the first half of 2025, Thái Bình the first quarter of 2025.
APPROVALS = [
    *(("2024", code) for code in ("BNH", "HDG", "HNA", "HNI", "HPG", "HYN", "NBH", "NDH", "QNH", "TBH", "VPC")),
    *((f"2024-Q{n}", "HNA") for n in (1, 2, 3, 4)),
    *((f"2024-H{n}", "HNA") for n in (1, 2)),
    ("2025-Q1", "HNA"), ("2025-Q2", "HNA"), ("2025-H1", "HNA"), ("2025-Q1", "TBH"),
]  # fmt: skip
APPROVAL_NOTE = "Đã đối chiếu với báo cáo của doanh nghiệp và sổ cấp giấy chứng nhận."
CORRECTION_REASON = "Giấy chứng nhận điều chỉnh bản gốc ghi vốn đầu tư khác số đã nhập; kèm bản chụp giấy chứng nhận."
REOPEN_REASON = "Bổ sung báo cáo quý 2/2025 của hai doanh nghiệp nộp muộn sau khi kỳ đã phê duyệt."
# The smallest PDF a reader opens: the supporting file of the demo's corrections.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _adjustment_in(board: Board, period: periods.Period):
    from investment.models import LicenceEvent

    return (
        LicenceEvent.objects.filter(
            project__zone__board=board,
            kind="adjust",
            is_current=True,
            voided=False,
            event_date__range=(period.start, period.end),
            capital_usd__isnull=False,
        )
        .select_related("project__zone__board")
        .order_by("event_date", "project__code")
        .first()
    )


def _correct(board: Board, period: str, *, approve: bool) -> int:
    """A correction of the board's first adjustment in the period: capital in USD 5 % higher (one per board)."""
    from django.core.files.base import ContentFile

    from .models import Correction

    if Correction.objects.filter(board=board).exists():
        return 0
    event = _adjustment_in(board, periods.parse(period))
    if event is None:
        return 0
    staff, leader = _user(f"{board.code.lower()}.staff"), _user(f"{board.code.lower()}.lead")
    right = (event.capital_usd * Decimal("1.05")).quantize(Decimal("0.01"))
    correction = correction_services.correction_propose(
        user=staff, event=event, reason=CORRECTION_REASON, changes={"capital_usd": right},
        attachment=ContentFile(DEMO_PDF, name=f"gcn-{event.certificate_no}.pdf"), source=AuditSource.COMMAND,
    )  # fmt: skip
    if approve:
        correction_services.correction_approve(
            user=leader, correction=correction, note="Đồng ý đính chính theo bản gốc.", source=AuditSource.COMMAND
        )
    return 1


def seed_approvals(tally) -> None:
    """Approvals (APPROVALS), then on Hà Nam an approved correction of 2025-Q1 (its reports are restated) and
    a reopen request for 2025-Q2 waiting for the leader, on Thái Bình a correction waiting; the ministry
    accepts the bloc's 2024 summary. Idempotent: what exists is left as it is."""
    from .models import PeriodApproval, SummaryAcceptance

    boards = {board.code: board for board in Board.objects.all()}
    done = set(PeriodApproval.objects.values_list("period", "board__code"))
    for period, code in APPROVALS:
        if code not in boards or (period, code) in done:
            tally.add()
            continue
        approval_services.period_approve(
            user=_user(f"{code.lower()}.lead"), board=boards[code], period=period, note=APPROVAL_NOTE,
            acknowledge_issues=True, source=AuditSource.COMMAND,
        )  # fmt: skip
        tally.add(created=True)
    if "HNA" in boards:
        # 2025, not 2024: the 2025 plans are set from the 2024 results (seed_plans), which must not move.
        tally.add(created=bool(_correct(boards["HNA"], "2025-Q1", approve=True)))
        approval = PeriodApproval.objects.filter(board=boards["HNA"], period="2025-Q2").first()
        if approval and not approval.reopen_requests.exists():
            approval_services.reopen_request(
                user=_user("hna.staff"), approval=approval, reason=REOPEN_REASON, source=AuditSource.COMMAND
            )
            tally.add(created=True)
        else:
            tally.add()
    if "TBH" in boards:
        tally.add(created=bool(_correct(boards["TBH"], "2025-Q1", approve=False)))
    staleness.reports_rebuild_stale()  # the summaries the approvals and the correction marked stale
    members = {code for period, code in APPROVALS if period == "2024"}
    if members <= set(boards) and not SummaryAcceptance.objects.filter(scope="bloc:DBSH", period="2024").exists():
        approval_services.summary_accept(user=_user("ministry"), scope="bloc:DBSH", period="2024",
                                         source=AuditSource.COMMAND)  # fmt: skip
        tally.add(created=True)
