"""Bloc-year pages: the years list and detail, members and roles, the scoring table, registrations.

Reads go through emulation.selectors (a year outside the user's scope is 404), writes through
emulation.services, and every decision of who may do what through emulation.access. A page the user
may read but not change answers 403 to a change.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from kcn_portal.core.concurrency import ConflictError, changed_note
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form

from . import access, selectors, services
from .enums import RoundKind, RoundStatus, SubmissionStatus, TieBreak
from .forms_years import (
    BlocYearForm,
    CriterionForm,
    GroupForm,
    RegistrationForm,
    RuleForm,
    TableSettingsForm,
    TargetFormSet,
    settings_initial,
    show_points,
    target_initial,
)
from .models import BlocYear, Registration

ROLE_LABELS = (
    ("leader_id", gettext_lazy("Khối trưởng")),
    ("deputy_id", gettext_lazy("Khối phó")),
    ("host_id", gettext_lazy("Đăng cai tổng kết")),
    ("alternate_reviewer_id", gettext_lazy("Thẩm định thay")),
)


class YearMixin:
    """Loads the bloc year of the URL (404 outside the user's scope); listed after LoginRequiredMixin."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.bloc_year = selectors.bloc_year_get(user=request.user, code=kwargs["code"], year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(bloc_year=self.bloc_year, **kwargs)


class BlocYearListView(LoginRequiredMixin, ListView):
    """The bloc years the user may read, with members count and the year's leader, deputy and host."""

    template_name = "emulation/blocyear_list.html"
    context_object_name = "years"

    def get_queryset(self):
        return selectors.bloc_year_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_manage = access.manages_catalogue(self.request.user)
        next_years = {}
        if can_manage:
            # "Thêm năm" opens the year after the newest one of each bloc (computed from the rows shown).
            for row in context["years"]:
                next_years[row.bloc.code] = max(next_years.get(row.bloc.code, 0), row.year + 1)
        context.update(can_manage=can_manage, next_years=sorted(next_years.items()))
        return context


class BlocYearDetailView(LoginRequiredMixin, YearMixin, TemplateView):
    """One bloc year: members and their roles, decision, rounds, conclusion and the bloc's other years."""

    template_name = "emulation/blocyear_detail.html"

    def get_context_data(self, **kwargs):
        user, year = self.request.user, self.bloc_year
        members = [
            (board, [str(label) for field, label in ROLE_LABELS if getattr(year, field) == board.pk])
            for board in selectors.members(year)
        ]
        rounds = selectors.rounds_of(year)
        round_rows = [
            {
                "kind": kind,
                "label": label,
                "round": rounds.get(kind),
                "has_sheet": kind in rounds and rounds[kind].status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED),
            }
            for kind, label in RoundKind.choices
        ]
        concluded = year.concluded_at is not None
        return super().get_context_data(
            members=members,
            round_rows=round_rows,
            proposals=selectors.proposals_of(year) if concluded else [],
            history=selectors.other_years(user=user, bloc_year=year),
            can_edit=access.manages_catalogue(user),
            can_manage=access.manages_year(user, year),
            can_conclude=access.leads_year(user, year),
            **kwargs,
        )


class BlocYearEditView(LoginRequiredMixin, TemplateView):
    """Set a year's members (in order), leader, deputy, host, alternate reviewer and decision; creates the year."""

    template_name = "emulation/blocyear_edit.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        if not access.manages_catalogue(user):
            # Readable but not writable is 403; a year the user cannot read is not found.
            selectors.bloc_year_get(user=user, code=kwargs["code"], year=kwargs["year"])
            raise PermissionDenied(_("Chỉ Bộ và quản trị viên được sửa thành viên của khối."))
        self.bloc = selectors.bloc_get(kwargs["code"])
        self.year = kwargs["year"]
        self.bloc_year = selectors.bloc_year_find(user=user, bloc=self.bloc, year=self.year)
        # Read once: they give both the form's initial ticks and the order its boards are listed in.
        self.member_ids = selectors.member_ids(self.bloc_year) if self.bloc_year else []
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        initial = {}
        if self.bloc_year:
            year = self.bloc_year
            initial = {
                "version": year.version,
                "members": self.member_ids,
                **{name: getattr(year, f"{name}_id") for name in ("leader", "deputy", "host", "alternate_reviewer")},
                "decision_no": year.decision_no,
                "decision_date": year.decision_date,
            }
        boards = selectors.board_choices(user=self.request.user, first=self.member_ids)
        return style_form(BlocYearForm(data, initial=initial, boards=boards))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        kwargs.update(bloc=self.bloc, year=self.year, bloc_year=self.bloc_year)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            year = services.bloc_year_save(
                user=request.user,
                bloc=self.bloc,
                year=self.year,
                expected_version=version if self.bloc_year else None,
                source=AuditSource.WEB,
                **data,
            )
        except ConflictError as exc:
            # Nothing saved; the form keeps what was typed and now carries the current version.
            posted = request.POST.copy()
            current = selectors.bloc_year_get(user=request.user, code=self.bloc.code, year=self.year)
            posted["version"] = str(current.version)
            self.member_ids = selectors.member_ids(current)  # the boards list in the order saved meanwhile
            form = self.form(posted)
            form.is_valid()
            conflict = _(
                "Khối năm này đã được người khác thay đổi trong lúc bạn sửa. Chưa có gì được lưu; "
                "hãy kiểm tra lại rồi bấm “Lưu” lần nữa."
            ) + changed_note(BlocYear, exc, {"members": _("Thành viên")})
            return self.render_to_response(self.get_context_data(form=form, conflict=conflict))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Đã lưu khối %(year)s.") % {"year": year})
        return redirect("emulation:blocyear_detail", code=year.bloc.code, year=year.year)


# --- the scoring table ---------------------------------------------------------------------------------


class TableView(LoginRequiredMixin, YearMixin, TemplateView):
    """The year's scoring table; its managers add, change and delete groups, criteria and rules until it locks."""

    template_name = "emulation/table_detail.html"
    ACTIONS = ("create", "group", "criterion", "rule", "settings", "delete")

    def setup_table(self):
        self.table = selectors.table_of(self.bloc_year)
        self.can_manage = access.manages_year(self.request.user, self.bloc_year)
        self.can_edit = self.can_manage and (self.table is None or self.table.locked_at is None)

    def get(self, request, *args, **kwargs):
        self.setup_table()
        return self.render_to_response(self.get_context_data())

    def item(self, ref: str):
        """A group, criterion or rule of this table from "kind:pk"; 404 when it is not one of them."""
        kind, _sep, pk = (ref or "").partition(":")
        if self.table is None or not pk.isdigit():
            raise Http404
        return selectors.table_item(self.table, kind, int(pk))

    def editing(self):
        """The item named by ?edit= (its form is shown filled in), or None."""
        ref = self.request.GET.get("edit")
        return (ref, self.item(ref)) if ref and self.can_edit else (None, None)

    def forms(self):
        ref, item = self.editing()
        groups = list(self.table.groups.all()) if self.table else []
        group_initial, criterion_initial, rule_initial = {}, {}, {}
        if ref and ref.startswith("group:"):
            group_initial = {"order": item.order, "name": item.name}
        elif ref and ref.startswith("criterion:"):
            criterion_initial = {
                "group": item.group_id, "order": item.order, "code": item.code, "name": item.name,
                "max_points": show_points(item.max_points), "guidance": item.guidance,
            }  # fmt: skip
        elif ref and ref.startswith("rule:"):
            rule_initial = {"kind": item.kind, "order": item.order, "name": item.name,
                            "points": show_points(item.points), "cap": show_points(item.cap)}  # fmt: skip
        return {
            "group_form": style_form(GroupForm(initial=group_initial, prefix="group")),
            "criterion_form": style_form(CriterionForm(initial=criterion_initial, groups=groups, prefix="criterion")),
            "rule_form": style_form(RuleForm(initial=rule_initial, prefix="rule")),
            "settings_form": style_form(
                TableSettingsForm(initial=settings_initial(self.table) if self.table else {}, prefix="settings")
            ),
            "editing": ref,
        }

    def get_context_data(self, **kwargs):
        table = self.table
        groups, total = [], Decimal(0)
        # selectors.table_of prefetched groups and criteria: the sums below read memory, not the database.
        for group in table.groups.all() if table else []:
            criteria = group.criteria.all()
            subtotal = sum((c.max_points for c in criteria), Decimal(0))
            total += subtotal
            rows = [{"criterion": c, "max_points": show_points(c.max_points)} for c in criteria]
            groups.append({"group": group, "criteria": rows, "max_total": show_points(subtotal)})
        rules = [
            {"rule": r, "points": show_points(r.points), "cap": show_points(r.cap)}
            for r in (table.rules.all() if table else [])
        ]
        labels = dict(TieBreak.choices)
        context = {
            "table": table,
            "groups": groups,
            "max_total": show_points(total) if table else None,
            "rules": rules,
            "bonus_cap": show_points(table.bonus_cap) if table else "",
            "penalty_cap": show_points(table.penalty_cap) if table else "",
            "tie_break": [labels.get(rule, rule) for rule in table.tie_break] if table else [],
            "can_manage": self.can_manage,
            "can_edit": self.can_edit,
        }
        if self.can_edit and table:
            context.update(self.forms())
        context.update(kwargs)
        context["editing_kind"] = (context.get("editing") or "").partition(":")[0]
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        self.setup_table()
        if not self.can_manage:
            raise PermissionDenied(_("Chỉ Khối trưởng, Khối phó được sửa bảng chấm điểm."))
        action = request.POST.get("action")
        if action not in self.ACTIONS or (action != "create" and self.table is None):
            raise Http404
        handler = getattr(self, f"post_{action}")
        try:
            result = handler(request.POST)
        except ValidationError as exc:
            # A plain message (e.g. the table locked meanwhile) has no field to sit next to.
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.request.path)
        if isinstance(result, dict):
            return self.render_to_response(self.get_context_data(**result), status=400)
        messages.success(request, result)
        return redirect("emulation:table_detail", code=self.bloc_year.bloc.code, year=self.bloc_year.year)

    def _save(self, key: str, form, save):
        """Run `save(cleaned_data)`; invalid input or a service's field errors come back as the form to show."""
        if form.is_valid():
            try:
                save(form.cleaned_data)
                return None
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                add_service_errors(form, exc)
        context = self.forms() if self.table else {}
        context[key] = style_form(form)
        context["editing"] = self.request.POST.get("item") or None
        return context

    def post_create(self, data):
        services.table_create(user=self.request.user, bloc_year=self.bloc_year, source=AuditSource.WEB)
        return _("Đã tạo bảng chấm điểm.")

    def post_group(self, data):
        group = self.item(data["item"]) if data.get("item") else None
        form = GroupForm(data, prefix="group")
        errors = self._save("group_form", form, lambda d: services.group_save(
            user=self.request.user, table=self.table, group=group, order=d["order"], name=d["name"]))  # fmt: skip
        return errors or _("Đã lưu nhóm tiêu chí.")

    def post_criterion(self, data):
        criterion = self.item(data["item"]) if data.get("item") else None
        groups = list(self.table.groups.all())
        form = CriterionForm(data, groups=groups, prefix="criterion")

        def save(d):
            group = next(g for g in groups if g.pk == d["group"])
            services.criterion_save(
                user=self.request.user, group=group, criterion=criterion, order=d["order"], code=d["code"],
                name=d["name"], max_points=d["max_points"], guidance=d["guidance"],
            )  # fmt: skip

        return self._save("criterion_form", form, save) or _("Đã lưu tiêu chí.")

    def post_rule(self, data):
        rule = self.item(data["item"]) if data.get("item") else None
        form = RuleForm(data, prefix="rule")
        errors = self._save("rule_form", form, lambda d: services.rule_save(
            user=self.request.user, table=self.table, rule=rule, **d))  # fmt: skip
        return errors or _("Đã lưu điểm thưởng, điểm trừ.")

    def post_settings(self, data):
        form = TableSettingsForm(data, prefix="settings")
        errors = self._save("settings_form", form, lambda d: services.table_settings_save(
            user=self.request.user, table=self.table, bonus_cap=d["bonus_cap"], penalty_cap=d["penalty_cap"],
            tie_break=form.tie_break()))  # fmt: skip
        return errors or _("Đã lưu điểm tối đa và thứ tự xét bằng điểm.")

    def post_delete(self, data):
        services.table_item_delete(user=self.request.user, item=self.item(data.get("item")))
        return _("Đã xóa.")


# --- registrations ---------------------------------------------------------------------------------------


class RegistrationListView(LoginRequiredMixin, YearMixin, TemplateView):
    """Every member with its registration status; the contents the user may read (selectors.registrations)."""

    template_name = "emulation/registration_list.html"

    def get_context_data(self, **kwargs):
        rows = selectors.registration_rows(user=self.request.user, bloc_year=self.bloc_year)
        return super().get_context_data(rows=rows, **kwargs)


class RegistrationMixin:
    """Loads the member of the URL and the user's rights on its registration; 404 when none."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.bloc_year = selectors.bloc_year_get(user=request.user, code=kwargs["code"], year=kwargs["year"])
        self.board = selectors.member_get(self.bloc_year, kwargs["board"])
        self.mode = access.registration_mode(request.user, self.bloc_year, self.board.pk) if self.board else None
        if self.mode is None:
            raise Http404(_("Không tìm thấy đăng ký."))
        self.registration = (
            selectors.registrations(user=request.user, bloc_year=self.bloc_year).filter(board=self.board).first()
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The URL's "board" (a code) gives way to the member board itself.
        kwargs.update(bloc_year=self.bloc_year, board=self.board)
        return super().get_context_data(**kwargs)


class RegistrationEditView(LoginRequiredMixin, RegistrationMixin, TemplateView):
    """A member's registration: its staff edit the draft, its leaders submit, the bloc's managers read."""

    template_name = "emulation/registration_edit.html"

    @property
    def editable(self) -> bool:
        return self.mode == "edit" and (self.registration is None or self.registration.status == SubmissionStatus.DRAFT)

    def forms(self, data=None):
        reg = self.registration
        initial = {"version": reg.version, "titles": list(reg.titles.all()), "note": reg.note} if reg else {}
        form = style_form(RegistrationForm(data, initial=initial))
        formset = TargetFormSet(data, initial=target_initial(reg), prefix="target")
        for target_form in formset:
            style_form(target_form)
        return form, formset

    def get_context_data(self, **kwargs):
        if self.editable and "form" not in kwargs:
            kwargs["form"], kwargs["formset"] = self.forms()
        reg = self.registration
        return super().get_context_data(
            registration=reg,
            editable=self.editable,
            can_submit=(
                reg is not None
                and reg.status == SubmissionStatus.DRAFT
                and access.can_submit_registration(self.request.user, self.board.pk)
            ),
            targets=list(reg.targets.all()) if reg else [],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.editable:
            raise PermissionDenied(_("Bạn không sửa được đăng ký này."))
        form, formset = self.forms(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)
        targets = [row for row in formset.cleaned_data if row]
        try:
            services.registration_save(
                user=request.user,
                bloc_year=self.bloc_year,
                board=self.board,
                titles=form.cleaned_data["titles"],
                targets=targets,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"] if self.registration else None,
                source=AuditSource.WEB,
            )
        except ConflictError as exc:
            form.add_error(
                None,
                _("Đăng ký đã được người khác thay đổi trong lúc bạn sửa. Chưa có gì được lưu.")
                + changed_note(Registration, exc, {"titles": _("Danh hiệu đăng ký"), "targets": _("Chỉ tiêu cam kết")}),
            )
            return self.render_to_response(self.get_context_data(form=form, formset=formset), status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)
        messages.success(request, _("Đã lưu đăng ký thi đua của %(board)s.") % {"board": self.board.name})
        return redirect(
            "emulation:registration_edit",
            code=self.bloc_year.bloc.code,
            year=self.bloc_year.year,
            board=self.board.code,
        )


class RegistrationSubmitView(LoginRequiredMixin, RegistrationMixin, View):
    """The member's leader submits its registration (it cannot change afterwards)."""

    def post(self, request, *args, **kwargs):
        if not access.can_submit_registration(request.user, self.board.pk):
            raise PermissionDenied(_("Chỉ lãnh đạo Ban được gửi đăng ký."))
        if self.registration is None:
            messages.error(request, _("Chưa có đăng ký để gửi."))
        else:
            try:
                services.registration_submit(user=request.user, registration=self.registration, source=AuditSource.WEB)
                messages.success(request, _("Đã gửi đăng ký thi đua."))
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
        return redirect(
            "emulation:registration_edit",
            code=self.bloc_year.bloc.code,
            year=self.bloc_year.year,
            board=self.board.code,
        )
