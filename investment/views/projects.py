"""Project pages: list (with its Excel export), detail with the licence ledger, register a project,
edit its zone, kind, sector and investors (the certificates' own pages are investment.views.licences).

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

from kcn_portal.core import locks
from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import DateInput, add_service_errors, style_form
from kcn_portal.core.templatetags.kcn_format import audit_changes
from zones import access
from zones import selectors as zone_selectors

from .. import exporters
from ..enums import ProjectStatus
from ..filters import ProjectFilter
from ..forms.projects import EditInvestorFormSet, ProjectRegisterForm, ProjectUpdateForm, RegisterInvestorFormSet
from ..models import Project
from ..presentation import capital_chart, timeline
from ..selectors import enterprise_reports as enterprise_report_selectors
from ..selectors import licences as licence_selectors
from ..selectors import projects as project_selectors
from ..services import licences as licence_services
from ..services import projects as project_services

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
        return project_selectors.project_list(user=self.request.user, filters=self.request.GET)

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
        projects = project_selectors.project_list(user=request.user, filters=request.GET)
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
        return project_selectors.project_get(user=self.request.user, code=self.kwargs["code"])

    def http_method_not_allowed(self, request, *args, **kwargs):
        # A project outside the user's scope does not exist, whatever the method (404, not 405).
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, project = self.request.user, self.object
        context = super().get_context_data(**kwargs)
        reports = enterprise_report_selectors.report_list(user=user, filters={"project": project.code})
        rows = timeline(licence_selectors.project_ledger(project=project), project.name)
        # Events of an approved period (issue 7) are corrected only through a proposal the leader approves.
        board_locks = locks.locks_of([project.zone.board_id]).get(project.zone.board_id, [])
        for row in rows:
            row["locked"] = locks.covering(board_locks, row["event"].event_date)
        context.update(
            investors=project_selectors.project_investors(project=project),
            timeline=rows,
            chart=capital_chart(
                licence_selectors.capital_history(project=project),
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
        return project_selectors.project_get(user=self.request.user, code=self.kwargs["code"], for_write=True)

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
        except ConflictError as exc:
            return self.conflict(exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect("investment:project_detail", code=self.project.code)

    def conflict(self, exc: ConflictError):
        """Someone saved the project after this form was opened: nothing is saved; show what changed.

        The form keeps what this user typed and now carries the current version, so saving it
        again is a deliberate choice made after reading the banner.
        """
        self.project = project_selectors.project_get(user=self.request.user, code=self.project.code, for_write=True)
        self.rebound = self.request.POST.copy()
        self.rebound["version"] = str(self.project.version)
        form = self.get_form()
        form.is_valid()  # show the typed values and their own errors, if any
        conflict = conflict_rows(self.request.user, exc.changed)
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict))


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
            project = licence_services.project_register(
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
                for s in project_selectors.project_investors(project=self.project)
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
            project = project_services.project_update(
                user=self.request.user,
                project=self.project,
                expected_version=data["version"],
                zone=data["zone"],
                kind=data["kind"],
                sector=data["sector"],
            )
            return project_services.project_investors_set(
                user=self.request.user,
                project=project,
                investors=self.formset.investors(),
                expected_version=project.version,
            )

    def success_message(self, project):
        return _("Đã lưu thông tin dự án %(project)s.") % {"project": project}
