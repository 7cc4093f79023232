"""Approval pages (issue 7): a board's periods and their approval, one period (warnings, approve, reopen,
corrections), proposing a correction of a locked licence event, and the corrections waiting for the leader.

Thin views: reads through reports.selectors_approval (404 outside the user's boards), writes through
reports.services_approval, whose Vietnamese refusals are shown as messages or next to the form's fields.
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

from investment.models import LicenceEvent
from investment.selectors import licences as investment_selectors
from kcn_portal import periods
from kcn_portal.core import files
from kcn_portal.core.forms import add_service_errors, style_form
from kcn_portal.core.services import require as _require
from kcn_portal.core.templatetags.kcn_format import display
from zones import access

from . import deadlines, selectors_approval, services_approval
from .enums import CorrectionStatus, ReopenStatus
from .forms_approval import ApproveForm, DecisionNoteForm, ReopenGrantForm, ReopenRequestForm, correction_form


def _refused(request, exc: ValidationError) -> None:
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
            board = selectors_approval.board_get(user=user, code=code)
        else:
            own = list(access.led_boards(user).order_by("code")) or list(access.writable_boards(user).order_by("code"))
            board = (own or boards or [None])[0]
        context = super().get_context_data(**kwargs)
        context.update(boards=boards, board=board, rows=[])
        if board is not None:
            context.update(
                rows=selectors_approval.period_rows(user=user, board=board),
                can_lead=access.can_lead_board(user, board),
                pending_corrections=selectors_approval.correction_list(
                    user=user, board=board.code, status=CorrectionStatus.PROPOSED
                ).count(),
            )
        return context


# --- one period -------------------------------------------------------------------------------------


class PeriodMixin:
    """The board and period of the URL: 404 for a board the user may not read or a code that is not Q/H/Y."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.board = selectors_approval.board_get(user=request.user, code=kwargs["board"])
            self.period = selectors_approval.approvable_period(kwargs["period"])
        return super().dispatch(request, *args, **kwargs)


class ApprovalDetailView(LoginRequiredMixin, PeriodMixin, TemplateView):
    template_name = "reports/approval_detail.html"

    def get_context_data(self, **kwargs):
        user, board, period = self.request.user, self.board, self.period
        approval = selectors_approval.approval_of(board=board, period=period.code)
        can_lead, can_write = access.can_lead_board(user, board), access.can_write_board(user, board)
        requests = list(selectors_approval.reopen_requests(approval=approval)) if approval else []
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
            issues=list(selectors_approval.data_issues(board=board, period=period.code)),
            requests=requests,
            open_request=open_request,
            waiting_request=waiting,
            corrections=list(selectors_approval.corrections_in(board=board, start=period.start, end=period.end)),
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
            approval = services_approval.period_approve(
                user=request.user, board=self.board, period=self.period.code, note=form.cleaned_data.get("note", ""),
                acknowledge_issues=form.cleaned_data.get("acknowledge_issues", False),
            )  # fmt: skip
        except ValidationError as exc:
            _refused(request, exc)
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
        approval = selectors_approval.approval_of(board=self.board, period=self.period.code)
        if approval is None:
            raise Http404
        _require(access.can_write_board(request.user, self.board))
        form = ReopenRequestForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            services_approval.reopen_request(user=request.user, approval=approval, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refused(request, exc)
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
        reopen = selectors_approval.reopen_get(user=request.user, pk=pk)
        _require(access.can_lead_board(request.user, reopen.approval.board))
        period = reopen.approval.period
        try:
            if action == "grant":
                form = ReopenGrantForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                reopen = services_approval.reopen_grant(
                    user=request.user, request=reopen, days=form.cleaned_data["days"], note=form.cleaned_data["note"]
                )
                until = timezone.localtime(reopen.open_until).strftime("%H:%M %d/%m/%Y")
                text = _("Đã mở lại kỳ %(period)s đến %(until)s.") % {"period": period, "until": until}
            elif action == "refuse":
                form = DecisionNoteForm(request.POST, prefix="refuse")
                form.is_valid()
                services_approval.reopen_refuse(user=request.user, request=reopen, note=form.cleaned_data["note"])
                text = _("Đã không đồng ý mở lại kỳ %(period)s.") % {"period": period}
            elif action == "close":
                services_approval.reopen_close(user=request.user, request=reopen)
                text = _("Đã khóa lại kỳ %(period)s; các báo cáo đã phê duyệt được tính lại.") % {"period": period}
            else:
                raise Http404
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, text)
        return redirect(_period_url(reopen.approval))


# --- corrections ------------------------------------------------------------------------------------


def change_rows(correction) -> list[tuple[str, str, str]]:
    """(field label, the event's value, the proposed value) of each field the correction changes."""
    rows = []
    event = correction.event
    for name, value in correction.changes.items():
        field = LicenceEvent._meta.get_field(name)
        rows.append(
            (str(field.verbose_name), display(field, getattr(event, name)), display(field, field.to_python(value)))
        )
    return rows


class CorrectionCreateView(LoginRequiredMixin, TemplateView):
    """GET/POST `/reports/corrections/new/<event id>/`: staff propose a correction of a locked event."""

    template_name = "reports/correction_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.event = investment_selectors.event_get(user=request.user, pk=kwargs["pk"], for_write=True)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", style_form(correction_form(self.event)))
        context.update(event=self.event, project=self.event.project)
        return context

    def post(self, request, pk):
        form = style_form(correction_form(self.event, request.POST, request.FILES))
        if form.is_valid():
            try:
                correction = services_approval.correction_propose(
                    user=request.user, event=self.event, reason=form.cleaned_data["reason"],
                    attachment=form.cleaned_data["attachment"], voided=form.cleaned_data.get("voided", False),
                    changes=form.proposed_changes(),
                )  # fmt: skip
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Đã gửi đề nghị đính chính #%(id)s; chờ lãnh đạo Ban duyệt.") % {"id": correction.pk}
                )
                return redirect("reports:correction_detail", pk=correction.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CorrectionListView(LoginRequiredMixin, TemplateView):
    """`/reports/corrections/?board=&status=`: corrections of the user's boards, newest first (50 a page)."""

    template_name = "reports/correction_list.html"
    LIMIT = 50

    def get_context_data(self, **kwargs):
        board, status = self.request.GET.get("board", ""), self.request.GET.get("status", "")
        if status not in CorrectionStatus.values:
            status = ""
        rows = selectors_approval.correction_list(user=self.request.user, board=board, status=status)
        context = super().get_context_data(**kwargs)
        context.update(
            corrections=rows[: self.LIMIT],
            board=board,
            status=status,
            statuses=CorrectionStatus.choices,
            boards=access.readable_boards(self.request.user).order_by("code").values_list("code", flat=True),
        )
        return context


class CorrectionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reports/correction_detail.html"

    def get_context_data(self, **kwargs):
        correction = selectors_approval.correction_get(user=self.request.user, pk=kwargs["pk"])
        can_decide = correction.status == CorrectionStatus.PROPOSED and access.can_lead_board(
            self.request.user, correction.board
        )
        event = correction.event
        approval_periods = selectors_approval.approvals_covering(board=correction.board, day=event.event_date)
        context = super().get_context_data(**kwargs)
        context.update(
            correction=correction,
            event=event,
            rows=change_rows(correction),
            approvals=approval_periods,
            can_decide=can_decide,
            approve_form=style_form(DecisionNoteForm(prefix="approve")) if can_decide else None,
            reject_form=style_form(DecisionNoteForm(prefix="reject")) if can_decide else None,
        )
        return context


class CorrectionDecideView(LoginRequiredMixin, View):
    """POST …/approve/ or …/reject/ (a note, required to reject): the leader decides a correction."""

    def post(self, request, pk, action):
        correction = selectors_approval.correction_get(user=request.user, pk=pk)
        if action not in ("approve", "reject"):
            raise Http404
        form = DecisionNoteForm(request.POST, prefix=action)
        form.is_valid()
        note = form.cleaned_data.get("note", "")
        try:
            if action == "approve":
                correction = services_approval.correction_approve(user=request.user, correction=correction, note=note)
                text = _(
                    "Đã duyệt đính chính #%(id)s: sự kiện có phiên bản mới %(version)s; "
                    "các báo cáo đã phê duyệt được tính lại."
                ) % {"id": correction.pk, "version": correction.applied_event.version}
            else:
                services_approval.correction_reject(user=request.user, correction=correction, note=note)
                text = _("Đã không duyệt đề nghị đính chính #%(id)s.") % {"id": correction.pk}
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, text)
        return redirect("reports:correction_detail", pk=pk)


class CorrectionFileView(LoginRequiredMixin, View):
    """GET: a correction's supporting file, always as a download (never rendered inline by the browser)."""

    def get(self, request, pk):
        correction = selectors_approval.correction_get(user=request.user, pk=pk)
        return files.download(correction.attachment, correction.attachment_name)
