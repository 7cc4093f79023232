"""Corrections' pages (issue 7): propose a correction of a locked licence event, the corrections of the user's
boards, one correction with the leader's decision, its supporting file.

Thin views: reads through reports.selectors.corrections (404 outside the user's boards), writes through
reports.services.corrections, whose Vietnamese refusals are shown as messages or next to the form's fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from investment.models import LicenceEvent
from investment.selectors import licences as investment_selectors
from kcn_portal.core import files
from kcn_portal.core.forms import add_service_errors, style_form
from kcn_portal.core.templatetags.kcn_format import display
from reports.enums import CorrectionStatus
from reports.filters import CorrectionFilter
from reports.forms.approval import DecisionNoteForm
from reports.forms.corrections import correction_form
from reports.selectors import approval as approval_selectors
from reports.selectors import corrections as correction_selectors
from reports.services import corrections as correction_services
from reports.views.approval import refused
from zones import access


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
                correction = correction_services.correction_propose(
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
        # reports.filters.CorrectionFilter: a status that is no status is left out (every status is listed).
        corrections = correction_selectors.correction_list(user=self.request.user)
        filters = CorrectionFilter(self.request.GET, queryset=corrections)
        rows = filters.qs
        chosen = filters.form.cleaned_data
        context = super().get_context_data(**kwargs)
        context.update(
            corrections=rows[: self.LIMIT],
            board=chosen.get("board", ""),
            status=chosen.get("status", ""),
            statuses=CorrectionStatus.choices,
            boards=access.readable_boards(self.request.user).order_by("code").values_list("code", flat=True),
        )
        return context


class CorrectionDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reports/correction_detail.html"

    def get_context_data(self, **kwargs):
        correction = correction_selectors.correction_get(user=self.request.user, pk=kwargs["pk"])
        can_decide = correction.status == CorrectionStatus.PROPOSED and access.can_lead_board(
            self.request.user, correction.board
        )
        event = correction.event
        approval_periods = approval_selectors.approvals_covering(board=correction.board, day=event.event_date)
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
        correction = correction_selectors.correction_get(user=request.user, pk=pk)
        if action not in ("approve", "reject"):
            raise Http404
        form = DecisionNoteForm(request.POST, prefix=action)
        form.is_valid()
        note = form.cleaned_data.get("note", "")
        try:
            if action == "approve":
                correction = correction_services.correction_approve(user=request.user, correction=correction, note=note)
                text = _(
                    "Đã duyệt đính chính #%(id)s: sự kiện có phiên bản mới %(version)s; "
                    "các báo cáo đã phê duyệt được tính lại."
                ) % {"id": correction.pk, "version": correction.applied_event.version}
            else:
                correction_services.correction_reject(user=request.user, correction=correction, note=note)
                text = _("Đã không duyệt đề nghị đính chính #%(id)s.") % {"id": correction.pk}
        except ValidationError as exc:
            refused(request, exc)
        else:
            messages.success(request, text)
        return redirect("reports:correction_detail", pk=pk)


class CorrectionFileView(LoginRequiredMixin, View):
    """GET: a correction's supporting file, always as a download (never rendered inline by the browser)."""

    def get(self, request, pk):
        correction = correction_selectors.correction_get(user=request.user, pk=pk)
        return files.download(correction.attachment, correction.attachment_name)
