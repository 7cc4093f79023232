"""Project pages: list (with its Excel export), detail with the licence ledger, and the forms that
register a project and record, correct or end its certificates.

Reads go through investment.selectors (scoped: a project outside the user's boards is 404),
writes through investment.services; write pages answer 404 to users who may only read.
"""

from __future__ import annotations

import tempfile
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django_countries import countries

from kcn_portal.core import amounts, locks
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import DateInput, add_service_errors, style_form
from kcn_portal.core.templatetags.kcn_format import audit_changes, format_number
from zones import access
from zones import selectors as zone_selectors

from . import exporters, selectors, services
from .enums import ProjectStatus
from .filters import ProjectFilter
from .forms import (
    AdjustForm,
    EditInvestorFormSet,
    ProjectRegisterForm,
    ProjectUpdateForm,
    RegisterInvestorFormSet,
    TerminateForm,
    correct_form_class,
    event_initial,
)
from .models import LicenceEvent, Project
from .presentation import capital_chart, signed, timeline, vnd

# --- list and export -----------------------------------------------------------------------------


def project_filter_form(user, data):
    """ProjectFilter's form with selects for the zones and boards the user may read."""
    form = style_form(ProjectFilter(data).form)
    zones = zone_selectors.zone_list(user=user)
    form.fields["zone"].label = _("Khu")
    form.fields["zone"].widget = forms.Select(
        choices=[("", _("Tất cả các khu"))] + [(z.code, f"{z.code} – {z.name}") for z in zones],
        attrs={"class": "form-select"},
    )
    form.fields["board"].label = _("Ban quản lý")
    form.fields["board"].widget = forms.Select(
        choices=[("", _("Tất cả các Ban"))] + [(b.code, b.code) for b in access.readable_boards(user).order_by("code")],
        attrs={"class": "form-select"},
    )
    for name in ("issued_from", "issued_to"):
        form.fields[name].widget = DateInput(attrs={"class": "form-control"})
    for name in ("kind", "status", "country"):
        # django-filter prepends empty_label when the choices are (re)set; say "Tất cả", not "---------".
        field = form.fields[name]
        field.empty_label = _("Tất cả")
        field.choices = [choice for choice in field.choices if choice[0] != ""]
    form.fields["sort"].empty_label = _("Mặc định (mới cấp trước)")
    form.fields["sort"].choices = [choice for choice in form.fields["sort"].choices if choice[0] != ""]
    return form


class ProjectListView(LoginRequiredMixin, ListView):
    """Projects of the user's boards, filtered by ProjectFilter, 25 a page."""

    template_name = "investment/project_list.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):
        return selectors.project_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        for project in context["projects"]:
            project.investor_country_name = countries.name(project.investor_country or "")
        context.update(
            filter_form=project_filter_form(user, self.request.GET),
            can_create=access.can_write_any_board(user),
        )
        return context


class ProjectExportView(LoginRequiredMixin, View):
    """Every row of the filtered list (all pages) as an Excel workbook."""

    def get(self, request):
        projects = selectors.project_list(user=request.user, filters=request.GET)
        # A temporary file rather than memory: a national export can be tens of thousands of rows.
        out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
        exporters.write_project_list(projects.iterator(chunk_size=2000), out)
        out.seek(0)
        name = f"du-an-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(
            out,
            as_attachment=True,
            filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


# --- detail: the ledger and the capital chart -----------------------------------------------------


class ProjectDetailView(LoginRequiredMixin, DetailView):
    """A project's current state, investors, licence ledger, capital chart and enterprise reports."""

    template_name = "investment/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return selectors.project_get(user=self.request.user, code=self.kwargs["code"])

    def http_method_not_allowed(self, request, *args, **kwargs):
        # A project outside the user's scope does not exist, whatever the method (404, not 405).
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, project = self.request.user, self.object
        context = super().get_context_data(**kwargs)
        reports = selectors.report_list(user=user, filters={"project": project.code})
        rows = timeline(selectors.project_ledger(project=project), project.name)
        # Events of an approved period (issue 7) are corrected only through a proposal the leader approves.
        board_locks = locks.locks_of([project.zone.board_id]).get(project.zone.board_id, [])
        for row in rows:
            row["locked"] = locks.covering(board_locks, row["event"].event_date)
        context.update(
            investors=selectors.project_investors(project=project),
            timeline=rows,
            chart=capital_chart(
                selectors.capital_history(project=project),
                end=project.terminated_on or timezone.localdate(),
                terminated_on=project.terminated_on,
            ),
            reports=reports,
            can_write=access.can_write_board(user, project.zone.board),
            is_active=project.status == ProjectStatus.ACTIVE,
        )
        return context


# --- forms ------------------------------------------------------------------------------------------


def conflict_rows(user, changed: dict) -> list[tuple[str, str, str]]:
    """[(label, value the editor saw, value now)] of what other people saved (ConflictError.changed).

    Project fields come first, in the model's order; then the investors and the ledger, which
    the services report as text summaries.
    """
    order = [f.name for f in Project._meta.concrete_fields]
    fields = sorted((n for n in changed if n in order), key=order.index)
    zone_ids = [value for value in changed.get("zone", []) if value]
    related = {("zones.zone", z.pk): str(z) for z in zone_selectors.zone_list(user=user).filter(pk__in=zone_ids)}
    record = SimpleNamespace(model="investment.project", changes={name: changed[name] for name in fields})
    rows = list(audit_changes(record, related))
    for name, label in (("investors", _("Nhà đầu tư")), ("ledger", _("Sổ cấp phép"))):
        if name in changed:
            before, after = changed[name]
            rows.append((label, before or "–", after or "–"))
    return rows


class ProjectFormMixin:
    """Pages that change one project: 404 unless the user may write its board; conflicts shown.

    Subclasses implement `save(form)` (a service call) and `success_message(result)`.
    """

    project: Project | None = None
    rebound = None  # the POST data with the current version, after a conflict

    def save_event(self, service, form):
        """Append an event to the project's ledger through `service`, with the version the form saw."""
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return service(
            user=self.request.user,
            project=self.project,
            expected_version=form.cleaned_data["version"],
            source=AuditSource.WEB,
            **data,
        )

    def dispatch(self, request, *args, **kwargs):
        # Runs after LoginRequiredMixin (earlier in the MRO) has turned anonymous users away.
        self.project = self.get_project()
        return super().dispatch(request, *args, **kwargs)

    def get_project(self) -> Project:
        return selectors.project_get(user=self.request.user, code=self.kwargs["code"], for_write=True)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.rebound is not None:
            kwargs["data"] = self.rebound
        return kwargs

    def get_form(self, form_class=None):
        return style_form(super().get_form(form_class))

    def get_initial(self):
        return {"version": self.project.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, **kwargs)

    def form_valid(self, form):
        try:
            result = self.save(form)
        except services.ConflictError as exc:
            return self.conflict(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect("investment:project_detail", code=self.project.code)

    def conflict(self, exc: services.ConflictError):
        """Someone saved the project after this form was opened: nothing is saved; show what changed.

        The form keeps what this user typed and now carries the current version, so saving it
        again is a deliberate choice made after reading the banner.
        """
        self.project = selectors.project_get(user=self.request.user, code=self.project.code, for_write=True)
        self.rebound = self.request.POST.copy()
        self.rebound["version"] = str(self.project.version)
        form = self.get_form()
        form.is_valid()  # show the typed values and their own errors, if any
        conflict = conflict_rows(self.request.user, exc.changed)
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict))


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


def _writable_zones(user):
    return zone_selectors.zone_list(user=user).filter(board__in=access.writable_boards(user))


class ProjectCreateView(LoginRequiredMixin, FormView):
    """Register a project with its first certificate (cấp mới) in a zone of a board the user writes."""

    template_name = "investment/project_form.html"
    form_class = ProjectRegisterForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.zones = _writable_zones(request.user)
            if not self.zones.exists():
                raise Http404(_("Bạn không có quyền đăng ký dự án."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "zones": self.zones}

    def get_form(self, form_class=None):
        return style_form(super().get_form(form_class))

    def get_formset(self):
        formset = RegisterInvestorFormSet(self.request.POST or None, prefix="investors")
        for form in formset.forms:
            style_form(form)
        return formset

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.get_form(), self.get_formset()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        data = dict(form.cleaned_data)
        try:
            project = services.project_register(
                user=request.user, investors=formset.investors(), source=AuditSource.WEB, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(
            request,
            _("Đã đăng ký dự án %(project)s, giấy chứng nhận cấp mới số %(no)s.")
            % {"project": project, "no": data["certificate_no"]},
        )
        return redirect("investment:project_detail", code=project.code)


class ProjectUpdateView(LoginRequiredMixin, ProjectFormMixin, FormView):
    """Change a project's zone, kind, sector and investors (its certificates are changed by events)."""

    template_name = "investment/project_update.html"
    form_class = ProjectUpdateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "zones": _writable_zones(self.request.user)}

    def get_initial(self):
        p = self.project
        return {"zone": p.zone, "kind": p.kind, "sector": p.sector, "version": p.version}

    def get_formset(self):
        if self.rebound is not None or self.request.method == "POST":
            formset = EditInvestorFormSet(self.rebound or self.request.POST, prefix="investors")
        else:
            initial = [
                {"name": s.investor.name, "country": s.investor.country.code, "share_pct": s.share_pct}
                for s in selectors.project_investors(project=self.project)
            ]
            formset = EditInvestorFormSet(initial=initial, prefix="investors")
        for form in formset.forms:
            style_form(form)
        return formset

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self.get_form(), self.get_formset()
        if form.is_valid() and formset.is_valid():
            self.formset = formset
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def save(self, form):
        data = form.cleaned_data
        # Both writes or neither: an investor error after a zone change leaves the project as it was.
        with transaction.atomic():
            project = services.project_update(
                user=self.request.user,
                project=self.project,
                expected_version=data["version"],
                zone=data["zone"],
                kind=data["kind"],
                sector=data["sector"],
            )
            return services.project_investors_set(
                user=self.request.user,
                project=project,
                investors=self.formset.investors(),
                expected_version=project.version,
            )

    def success_message(self, project):
        return _("Đã lưu thông tin dự án %(project)s.") % {"project": project}


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
        stated = [e for e in selectors.live_events(project=p) if e.planned_employees is not None]
        if stated:
            initial["planned_employees"] = max(stated, key=lambda e: (e.event_date, e.pk)).planned_employees
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["capital_inputs"] = capital_inputs(context["form"], self.project)
        return context

    def save(self, form):
        return self.save_event(services.licence_adjust, form)

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
        return self.save_event(services.licence_terminate, form)

    def success_message(self, event):
        return _("Đã ghi nhận chấm dứt dự án theo quyết định số %(no)s ngày %(date)s.") % {
            "no": event.certificate_no,
            "date": event.event_date.strftime("%d/%m/%Y"),
        }


class EventCorrectView(LoginRequiredMixin, ProjectFormMixin, FormView):
    """Correct an event (a new version with a reason) or void one entered by mistake."""

    template_name = "investment/event_correct.html"

    def get_project(self):
        self.event = selectors.event_get(user=self.request.user, pk=self.kwargs["pk"], for_write=True)
        return self.event.project

    def get(self, request, *args, **kwargs):
        if not self.event.is_live:
            # An old link: open the event's current version, or say it was voided.
            entry = next(
                (e for e in selectors.project_ledger(project=self.project) if e.current.series == self.event.series),
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
        return services.licence_correct(
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
