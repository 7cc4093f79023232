"""Bloc-year pages: the years list and detail, members and roles.

Reads go through emulation.selectors (a year outside the user's scope is 404), writes through
emulation.services.years, and every decision of who may do what through emulation.access. A page the user
may read but not change answers 403 to a change.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from emulation import access
from emulation.enums import RoundKind, RoundStatus
from emulation.forms.years import BlocYearForm
from emulation.models import BlocYear
from emulation.selectors import awards as awards_selectors
from emulation.selectors import scoring as scoring_selectors
from emulation.selectors import years as years_selectors
from emulation.services import years
from emulation.views.mixins import YearMixin
from kcn_portal.core.concurrency import ConflictError, changed_note
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form

ROLE_LABELS = (
    ("leader_id", gettext_lazy("Khối trưởng")),
    ("deputy_id", gettext_lazy("Khối phó")),
    ("host_id", gettext_lazy("Đăng cai tổng kết")),
    ("alternate_reviewer_id", gettext_lazy("Thẩm định thay")),
)


class BlocYearListView(LoginRequiredMixin, ListView):
    """The bloc years the user may read, with members count and the year's leader, deputy and host."""

    template_name = "emulation/blocyear_list.html"
    context_object_name = "years"

    def get_queryset(self):
        return years_selectors.bloc_year_list(user=self.request.user)

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
            for board in years_selectors.members(year)
        ]
        rounds = scoring_selectors.rounds_of(year)
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
            proposals=awards_selectors.proposals_of(year) if concluded else [],
            history=years_selectors.other_years(user=user, bloc_year=year),
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
            years_selectors.bloc_year_get(user=user, code=kwargs["code"], year=kwargs["year"])
            raise PermissionDenied(_("Chỉ Bộ và quản trị viên được sửa thành viên của khối."))
        self.bloc = years_selectors.bloc_get(kwargs["code"])
        self.year = kwargs["year"]
        self.bloc_year = years_selectors.bloc_year_find(user=user, bloc=self.bloc, year=self.year)
        # Read once: they give both the form's initial ticks and the order its boards are listed in.
        self.member_ids = years_selectors.member_ids(self.bloc_year) if self.bloc_year else []
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
        boards = years_selectors.board_choices(user=self.request.user, first=self.member_ids)
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
            year = years.bloc_year_save(
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
            current = years_selectors.bloc_year_get(user=request.user, code=self.bloc.code, year=self.year)
            posted["version"] = str(current.version)
            self.member_ids = years_selectors.member_ids(current)  # the boards list in the order saved meanwhile
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
