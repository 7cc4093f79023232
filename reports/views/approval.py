"""Approval pages (issue 7): a board's periods and their approval, one period (warnings, approve, reopen,
its corrections), and the leader's decision on a reopen request. The corrections' pages: views/corrections.py.

Thin views: reads through reports.selectors.approval (404 outside the user's boards), writes through
reports.services.approval, whose Vietnamese refusals are shown as messages or next to the form's fields.
Every write is a POST that redirects back to the page it came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kcn_portal import periods
from kcn_portal.core.forms import style_form
from kcn_portal.core.services import require as _require
from reports.enums import CorrectionStatus, ReopenStatus
from reports.filters import CorrectionFilter
from reports.forms.approval import ApproveForm, DecisionNoteForm, ReopenGrantForm, ReopenRequestForm
from reports.selectors import approval as approval_selectors
from reports.selectors import corrections as correction_selectors
from reports.selectors import deadlines
from reports.services import approval as approval_services
from zones import access
from zones import selectors as zone_selectors


def refused(request, exc: ValidationError) -> None:
    """Each of a service's refusals as an error message on the next page (the corrections' pages too)."""
    for text in exc.messages:
        messages.error(request, text)


def _period_url(approval_or_board, period: str | None = None) -> str:
    if period is None:  # an approval
        approval_or_board, period = approval_or_board.board, approval_or_board.period
    return reverse("reports:approval_detail", args=[approval_or_board.code, period])


# --- a board's periods ------------------------------------------------------------------------------


class ApprovalListView(LoginRequiredMixin, TemplateView):
    """`/reports/approvals/?board=HNA`: the board's recent quarters, halves and years — deadline status,
    approval, warnings, reopening and corrections waiting. Without `board`: the first board the user leads,
    else writes, else reads."""

    template_name = "reports/approval_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        boards = list(access.readable_boards(user).order_by("code"))
        code = self.request.GET.get("board")
        if code:
            board = zone_selectors.board_get(user=user, code=code)
        else:
            own = list(access.led_boards(user).order_by("code")) or list(access.writable_boards(user).order_by("code"))
            board = (own or boards or [None])[0]
        context = super().get_context_data(**kwargs)
        context.update(boards=boards, board=board, rows=[])
        if board is not None:
            context.update(
                rows=approval_selectors.period_rows(user=user, board=board),
                can_lead=access.can_lead_board(user, board),
                pending_corrections=CorrectionFilter(
                    {"board": board.code, "status": CorrectionStatus.PROPOSED},
                    queryset=correction_selectors.correction_list(user=user),
                ).qs.count(),
            )
        return context


# --- one period -------------------------------------------------------------------------------------


class PeriodMixin:
    """The board and period of the URL: 404 for a board the user may not read or a code that is not Q/H/Y."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.board = zone_selectors.board_get(user=request.user, code=kwargs["board"])
            self.period = approval_selectors.approvable_period(kwargs["period"])
        return super().dispatch(request, *args, **kwargs)


class ApprovalDetailView(LoginRequiredMixin, PeriodMixin, TemplateView):
    template_name = "reports/approval_detail.html"

    def get_context_data(self, **kwargs):
        user, board, period = self.request.user, self.board, self.period
        approval = approval_selectors.approval_of(board=board, period=period.code)
        can_lead, can_write = access.can_lead_board(user, board), access.can_write_board(user, board)
        requests = list(approval_selectors.reopen_requests(approval=approval)) if approval else []
        now = timezone.now()
        open_request = next((r for r in requests if r.status == ReopenStatus.GRANTED and r.open_until > now), None)
        waiting = next((r for r in requests if r.status == ReopenStatus.REQUESTED), None)
        context = super().get_context_data(**kwargs)
        context.update(
            board=board,
            period=period,
            ended=period.end < timezone.localdate(),
            status=deadlines.board_statuses(user=user, period_codes=[period.code], boards=[board])[period.code][0],
            approval=approval,
            issues=list(approval_selectors.data_issues(board=board, period=period.code)),
            requests=requests,
            open_request=open_request,
            waiting_request=waiting,
            corrections=list(correction_selectors.corrections_in(board=board, start=period.start, end=period.end)),
            can_lead=can_lead,
            can_write=can_write,
            approve_form=style_form(ApproveForm()) if can_lead and not approval else None,
            reopen_form=(
                style_form(ReopenRequestForm()) if can_write and approval and not (open_request or waiting) else None
            ),
            grant_form=style_form(ReopenGrantForm()) if can_lead and waiting else None,
            refuse_form=style_form(DecisionNoteForm(prefix="refuse")) if can_lead and waiting else None,
            report_url=reverse("reports:report_detail", args=[f"board:{board.code}", period.code]),
        )
        return context


class PeriodApproveView(LoginRequiredMixin, PeriodMixin, View):
    """POST: the leader approves the period (with the warnings acknowledged when there are any)."""

    def post(self, request, board, period):
        form = ApproveForm(request.POST)
        form.is_valid()
        try:
            approval = approval_services.period_approve(
                user=request.user, board=self.board, period=self.period.code, note=form.cleaned_data.get("note", ""),
                acknowledge_issues=form.cleaned_data.get("acknowledge_issues", False),
            )  # fmt: skip
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(
                request,
                _("Đã phê duyệt số liệu kỳ %(period)s của %(board)s (bản báo cáo phiên bản %(version)s).")
                % {"period": self.period.short_label, "board": self.board.name, "version": approval.snapshot.version},
            )
        return redirect(_period_url(self.board, self.period.code))


class ReopenRequestView(LoginRequiredMixin, PeriodMixin, View):
    """POST: staff ask the leader to reopen the approved period, with a reason."""

    def post(self, request, board, period):
        approval = approval_selectors.approval_of(board=self.board, period=self.period.code)
        if approval is None:
            raise Http404
        _require(access.can_write_board(request.user, self.board))
        form = ReopenRequestForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            approval_services.reopen_request(user=request.user, approval=approval, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(
                request,
                _("Đã gửi đề nghị mở lại kỳ %(period)s; chờ lãnh đạo Ban quyết định.")
                % {"period": periods.label_of(approval.period)},
            )
        return redirect(_period_url(approval))


class ReopenDecideView(LoginRequiredMixin, View):
    """POST …/grant/ (days, note), …/refuse/ (note) or …/close/: the leader decides a reopen request."""

    def post(self, request, pk, action):
        reopen = approval_selectors.reopen_get(user=request.user, pk=pk)
        _require(access.can_lead_board(request.user, reopen.approval.board))
        period = reopen.approval.period
        try:
            if action == "grant":
                form = ReopenGrantForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                reopen = approval_services.reopen_grant(
                    user=request.user, request=reopen, days=form.cleaned_data["days"], note=form.cleaned_data["note"]
                )
                until = timezone.localtime(reopen.open_until).strftime("%H:%M %d/%m/%Y")
                text = _("Đã mở lại kỳ %(period)s đến %(until)s.") % {"period": period, "until": until}
            elif action == "refuse":
                form = DecisionNoteForm(request.POST, prefix="refuse")
                form.is_valid()
                approval_services.reopen_refuse(user=request.user, request=reopen, note=form.cleaned_data["note"])
                text = _("Đã không đồng ý mở lại kỳ %(period)s.") % {"period": period}
            elif action == "close":
                approval_services.reopen_close(user=request.user, request=reopen)
                text = _("Đã khóa lại kỳ %(period)s; các báo cáo đã phê duyệt được tính lại.") % {"period": period}
            else:
                raise Http404
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, text)
        return redirect(_period_url(reopen.approval))
