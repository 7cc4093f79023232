"""Licence ledger pages of a project: record an adjustment or a termination, correct or void an event.

They share the project pages' form handling (investment.views.projects.ProjectFormMixin: 404 unless the
user may write the board, the version the form saw, the conflict banner); writes go through
investment.services.licences.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from kcn_portal.core import amounts, locks
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.templatetags.kcn_format import format_number

from ..forms.licences import AdjustForm, TerminateForm, correct_form_class, event_initial
from ..models import LicenceEvent, Project
from ..presentation import signed, vnd
from ..selectors import licences as licence_selectors
from ..services import licences as licence_services
from .projects import ProjectFormMixin


def _typed_number(form, name):
    # Read as the form reads it (core.amounts: "245.000.000.000" too); None when blank or unreadable.
    try:
        return amounts.parse(str(form[name].value() or ""))
    except (amounts.AmountError, KeyError):
        return None


def capital_inputs(form, project: Project) -> list[dict]:
    """Each capital input with the project's current amount and the change the typed amount makes."""
    rows = []
    for name, current, derived, decimals, unit in (
        ("capital_vnd", project.capital_vnd, project.capital_vnd_derived, 0, _("đồng")),
        ("capital_usd", project.capital_usd, project.capital_usd_derived, 2, "USD"),
    ):
        typed = _typed_number(form, name)
        change = typed - current if typed is not None and current is not None else None
        rows.append(
            {
                "field": form[name],
                "current": current,
                "current_text": format_number(current, decimals),
                "current_raw": "" if current is None else str(current),
                "derived": derived,
                "decimals": decimals,
                "unit": unit,
                "change": signed(change, decimals) if change is not None else "–",
            }
        )
    return rows


def capital_message(event: LicenceEvent) -> str:
    """ "1.200.000.000.000 đồng (+47.500.000.000), 52.000.000 USD (+2.000.000)": the capital after, and its change."""
    parts = []
    if event.capital_vnd is not None:
        change = f" ({signed(event.capital_change_vnd)})" if event.capital_change_vnd is not None else ""
        parts.append(f"{vnd(event.capital_vnd)} {_('đồng')}{change}")
    if event.capital_usd is not None:
        change = f" ({signed(event.capital_change_usd, 2)})" if event.capital_change_usd is not None else ""
        parts.append(f"{format_number(event.capital_usd, 2, trim=True)} USD{change}")
    return ", ".join(parts)


class EventAdjustView(LoginRequiredMixin, ProjectFormMixin, FormView):
    """Record an adjustment, pre-filled with the current figures and showing the change it makes."""

    template_name = "investment/event_adjust.html"
    form_class = AdjustForm

    def get_initial(self):
        p = self.project
        initial = {"version": p.version, "project_name": p.name, "land_area_ha": p.land_area_ha}
        # A derived amount is not on the certificate: left blank, it is derived again from the other.
        if not p.capital_vnd_derived:
            initial["capital_vnd"] = p.capital_vnd
        if not p.capital_usd_derived:
            initial["capital_usd"] = p.capital_usd
        stated = [e for e in licence_selectors.live_events(project=p) if e.planned_employees is not None]
        if stated:
            initial["planned_employees"] = max(stated, key=lambda e: (e.event_date, e.pk)).planned_employees
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["capital_inputs"] = capital_inputs(context["form"], self.project)
        return context

    def save(self, form):
        return self.save_event(licence_services.licence_adjust, form)

    def success_message(self, event):
        return _("Đã ghi nhận %(label)s (số %(no)s): vốn đầu tư sau điều chỉnh %(capital)s.") % {
            "label": event.label,
            "no": event.certificate_no,
            "capital": capital_message(event),
        }


class EventTerminateView(LoginRequiredMixin, ProjectFormMixin, FormView):
    """Record the decision that ends the project (Art. 48 ground and case)."""

    template_name = "investment/event_terminate.html"
    form_class = TerminateForm

    def save(self, form):
        return self.save_event(licence_services.licence_terminate, form)

    def success_message(self, event):
        return _("Đã ghi nhận chấm dứt dự án theo quyết định số %(no)s ngày %(date)s.") % {
            "no": event.certificate_no,
            "date": event.event_date.strftime("%d/%m/%Y"),
        }


class EventCorrectView(LoginRequiredMixin, ProjectFormMixin, FormView):
    """Correct an event (a new version with a reason) or void one entered by mistake."""

    template_name = "investment/event_correct.html"

    def get_project(self):
        self.event = licence_selectors.event_get(user=self.request.user, pk=self.kwargs["pk"], for_write=True)
        return self.event.project

    def get(self, request, *args, **kwargs):
        if not self.event.is_live:
            # An old link: open the event's current version, or say it was voided.
            entry = next(
                (
                    e
                    for e in licence_selectors.project_ledger(project=self.project)
                    if e.current.series == self.event.series
                ),
                None,
            )
            if entry and entry.current.is_live:
                return redirect("investment:event_correct", pk=entry.current.pk)
            messages.warning(request, _("Sự kiện này đã bị hủy; không thể đính chính."))
            return redirect("investment:project_detail", code=self.project.code)
        lock = locks.covering(locks.locks_of([self.project.zone.board_id]).get(self.project.zone.board_id, []),
                              self.event.event_date)  # fmt: skip
        if lock:  # an approved period: a proposal with a file, approved by the leader (issue 7)
            what = _("sự kiện ngày %(date)s") % {"date": self.event.event_date.strftime("%d/%m/%Y")}
            messages.info(request, locks.message(lock, what))
            return redirect("reports:correction_create", pk=self.event.pk)
        return super().get(request, *args, **kwargs)

    def get_form_class(self):
        return correct_form_class(self.event.kind)

    def get_initial(self):
        return {**event_initial(self.event), "version": self.project.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def save(self, form):
        data = dict(form.cleaned_data)
        version, reason, voided = data.pop("version"), data.pop("reason"), data.pop("voided", False)
        return licence_services.licence_correct(
            user=self.request.user,
            event=self.event,
            reason=reason,
            expected_version=version,
            voided=voided,
            source=AuditSource.WEB,
            **({} if voided else data),
        )

    def success_message(self, event):
        if event.voided:
            return _("Đã hủy sự kiện %(label)s số %(no)s.") % {"label": event.label, "no": event.certificate_no}
        return _("Đã đính chính %(label)s số %(no)s (phiên bản %(version)s).") % {
            "label": event.label,
            "no": event.certificate_no,
            "version": event.version,
        }
