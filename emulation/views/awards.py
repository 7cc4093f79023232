"""Pages of emulation movements, award decisions, recipients' histories, the awards catalogue and the year-end
review (proposals, next year's roles).

Reads go through emulation.selectors.awards (outside scope: 404), writes through emulation.services.awards
(PermissionDenied: 403, ValidationError: shown on the form or as a message); the lists filter through
emulation.filters.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from emulation import access, eligibility, filters
from emulation.enums import AwardKind, RoundKind, RoundStatus
from emulation.forms.awards import (
    AttachmentForm,
    AwardDecisionForm,
    ConcludeForm,
    EligibilityForm,
    MovementAdvanceForm,
    MovementForm,
    RecipientFormSet,
)
from emulation.models import Movement
from emulation.selectors import awards as awards_selectors
from emulation.selectors import scoring as scoring_selectors
from emulation.selectors import years as years_selectors
from emulation.services import awards
from emulation.views.mixins import YearObjectsMixin
from kcn_portal.core import files
from kcn_portal.core.concurrency import ConflictError, changed_note
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form
from zones import access as zones_access

# --- movements -------------------------------------------------------------------------------------


class MovementListView(LoginRequiredMixin, ListView):
    """Every movement, filtered by status, level and year."""

    template_name = "emulation/movement_list.html"
    context_object_name = "movements"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = filters.MovementPageFilter(
            self.request.GET or None, queryset=awards_selectors.movement_list(user=self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=style_form(self.filterset.form),
            can_create=access.creates_movements_or_awards(self.request.user),
            **kwargs,
        )


class MovementDetailView(LoginRequiredMixin, DetailView):
    """A movement: its fields, participants, attachments and the award decisions it led to."""

    template_name = "emulation/movement_detail.html"
    context_object_name = "movement"

    def get_object(self, queryset=None):
        return awards_selectors.movement_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user, movement = self.request.user, self.object
        return super().get_context_data(
            decisions=filters.AwardDecisionFilter(
                {"movement": movement.pk}, queryset=awards_selectors.decision_list(user=user)
            ).qs,
            can_write=access.can_write_movement(user, movement),
            next_status=awards.movement_next_status(movement),
            attach_form=style_form(AttachmentForm()),
            **kwargs,
        )


class MovementFormView(LoginRequiredMixin, FormView):
    """Launch a movement (ministry: any level; board staff: their board's) or change one the user may write.

    Movements are readable by everyone, so a user who may not write one gets 403; a stale form is
    refused by the service.
    """

    template_name = "emulation/movement_form.html"
    form_class = MovementForm
    movement = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        if "pk" in kwargs:
            self.movement = awards_selectors.movement_get(user=request.user, pk=kwargs["pk"])
            if not access.can_write_movement(request.user, self.movement):
                raise PermissionDenied(_("Bạn không có quyền sửa phong trào này."))
        elif not access.creates_movements_or_awards(request.user):
            raise PermissionDenied(_("Bạn không có quyền phát động phong trào."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "instance": self.movement,
            "launch_boards": awards_selectors.movement_launch_boards(user=user),
            "board_level_only": not access.manages_catalogue(user),
        }

    def get_form(self, form_class=None):
        return style_form(super().get_form(form_class))

    def get_context_data(self, **kwargs):
        return super().get_context_data(movement=self.movement, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        blocs, boards, board = data.pop("blocs"), data.pop("boards"), data.pop("launched_by_board")
        try:
            movement = awards.movement_save(
                user=self.request.user, movement=self.movement, blocs=blocs, boards=boards,
                launched_by_board=board, expected_version=version if self.movement else None,
                source=AuditSource.WEB, **data,
            )  # fmt: skip
        except ConflictError as exc:
            # Nothing saved; the form keeps what was typed and now carries the current version.
            self.movement = awards_selectors.movement_get(user=self.request.user, pk=self.movement.pk)
            kwargs = self.get_form_kwargs()
            kwargs["instance"] = copy.copy(self.movement)  # validating writes the typed values onto it
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["version"] = str(self.movement.version)
            form = style_form(self.form_class(**kwargs))
            form.is_valid()
            form.add_error(
                None,
                _("Phong trào đã được người khác sửa trong lúc bạn sửa. Chưa có gì được lưu; hãy kiểm tra rồi lưu lại.")
                + changed_note(Movement, exc, {"blocs": _("Khối tham gia"), "boards": _("Ban tham gia")}),
            )
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu phong trào %(name)s.") % {"name": movement.name})
        return redirect("emulation:movement_detail", pk=movement.pk)


class MovementAdvanceView(LoginRequiredMixin, View):
    """POST: move the movement to the next status."""

    def post(self, request, pk):
        movement = awards_selectors.movement_get(user=request.user, pk=pk)
        if not access.can_write_movement(request.user, movement):  # before the form: say so, not what it lacked
            raise PermissionDenied(_("Bạn không có quyền sửa phong trào này."))
        form = MovementAdvanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Trạng thái không hợp lệ."))
            return redirect("emulation:movement_detail", pk=pk)
        try:
            movement = awards.movement_advance(
                user=request.user, movement=movement, status=form.cleaned_data["status"], source=AuditSource.WEB
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Phong trào chuyển sang trạng thái: %(status)s.") % {"status": movement.get_status_display()}
            )
        return redirect("emulation:movement_detail", pk=pk)


class MovementAttachView(LoginRequiredMixin, View):
    """POST: attach an uploaded file to a movement; the file checks' refusals are shown as messages."""

    def post(self, request, pk):
        movement = awards_selectors.movement_get(user=request.user, pk=pk)
        if not access.can_write_movement(request.user, movement):
            raise PermissionDenied(_("Bạn không có quyền đính kèm tệp vào phong trào này."))
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("emulation:movement_detail", pk=pk)
        try:
            attachment = awards.movement_attach(
                user=request.user, movement=movement, upload=form.cleaned_data["file"], source=AuditSource.WEB
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã đính kèm tệp %(name)s.") % {"name": attachment.name})
        return redirect("emulation:movement_detail", pk=pk)


class MovementAttachmentView(LoginRequiredMixin, View):
    """GET: a movement's attachment, always as a download (never rendered inline by the browser)."""

    def get(self, request, pk):
        attachment = awards_selectors.movement_attachment_get(user=request.user, pk=pk)
        return files.download(attachment.file, attachment.name, attachment.content_type)


class MovementAttachmentDeleteView(LoginRequiredMixin, View):
    """POST: remove a movement's attachment (same right as adding it)."""

    def post(self, request, pk):
        attachment = awards_selectors.movement_attachment_get(user=request.user, pk=pk)
        movement_pk, name = attachment.movement_id, attachment.name
        awards.attachment_delete(user=request.user, attachment=attachment, source=AuditSource.WEB)
        messages.success(request, _("Đã xóa tệp %(name)s.") % {"name": name})
        return redirect("emulation:movement_detail", pk=movement_pk)


# --- award decisions -------------------------------------------------------------------------------


class AwardListView(LoginRequiredMixin, ListView):
    """Award decisions the user may read, filtered by year, title, level and board."""

    template_name = "emulation/award_list.html"
    context_object_name = "decisions"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        boards = zones_access.readable_boards(user).order_by("code")
        self.filterset = filters.AwardDecisionPageFilter(
            self.request.GET or None, queryset=awards_selectors.decision_list(user=user), boards=boards
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=style_form(self.filterset.form),
            can_create=access.creates_movements_or_awards(self.request.user),
            **kwargs,
        )


class AwardDetailView(LoginRequiredMixin, DetailView):
    """One decision and its recipients (linked to their histories where the user reads their board)."""

    template_name = "emulation/award_detail.html"
    context_object_name = "decision"

    def get_object(self, queryset=None):
        return awards_selectors.decision_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        user, decision = self.request.user, self.object
        recipients = list(decision.recipients.all())
        return super().get_context_data(
            recipients=recipients,
            readable_ids=awards_selectors.readable_board_ids(user=user),
            can_edit=access.can_write_awards_of(user, {r.board_id for r in recipients}),
            **kwargs,
        )


class AwardFormView(LoginRequiredMixin, TemplateView):
    """Record or correct a decision: its fields, then one row per recipient (Ban, đơn vị or cá nhân)."""

    template_name = "emulation/award_form.html"
    decision = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        user = request.user
        if "pk" in kwargs:
            self.decision = awards_selectors.decision_get(user=user, pk=kwargs["pk"])
            boards = {r.board_id for r in self.decision.recipients.all()}
            if not access.can_write_awards_of(user, boards):
                raise PermissionDenied(_("Bạn không có quyền sửa quyết định này."))
        elif not access.creates_movements_or_awards(user):
            raise PermissionDenied(_("Bạn không có quyền ghi quyết định khen thưởng."))
        self.boards = awards_selectors.recipient_boards(user=user)
        return super().dispatch(request, *args, **kwargs)

    def _forms(self):
        data = self.request.POST if self.request.method == "POST" else None
        initial, rows = None, None
        d = self.decision
        if d is not None and data is None:
            initial = {"number": d.number, "date": d.date, "issuer": d.issuer, "title": d.title, "year": d.year,
                       "movement": d.movement, "note": d.note}  # fmt: skip
            rows = [{"kind": r.kind, "board": r.board, "name": r.name, "position": r.position}
                    for r in d.recipients.all()]  # fmt: skip
        form = style_form(AwardDecisionForm(data, initial=initial, current_title=d.title if d else None))
        formset = RecipientFormSet(data, initial=rows, prefix="recipients", form_kwargs={"boards": self.boards})
        for row in formset.forms:
            style_form(row)
        return form, formset

    def get_context_data(self, **kwargs):
        if "form" not in kwargs:
            kwargs["form"], kwargs["formset"] = self._forms()
        return super().get_context_data(decision=self.decision, **kwargs)

    def post(self, request, *args, **kwargs):
        form, formset = self._forms()
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        try:
            decision = self._save(form.cleaned_data, formset.rows())
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("Đã lưu quyết định số %(number)s.") % {"number": decision.number})
        return redirect("emulation:award_detail", pk=decision.pk)

    def _save(self, data, rows):
        return awards.award_decision_record(
            user=self.request.user, rows=rows, decision=self.decision, source=AuditSource.WEB, **data
        )


# --- recipients and the catalogue ----------------------------------------------------------------


class RecipientDetailView(LoginRequiredMixin, DetailView):
    """A recipient's award history and, on request, whether it may be proposed for a title in a year."""

    template_name = "emulation/recipient_detail.html"
    context_object_name = "recipient"

    def get_object(self, queryset=None):
        return awards_selectors.recipient_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        recipient = self.object
        form = style_form(EligibilityForm(self.request.GET if "title" in self.request.GET else None))
        result = None
        if form.is_bound and form.is_valid():
            result = eligibility.check(recipient, form.cleaned_data["title"], form.cleaned_data["year"])
        return super().get_context_data(
            history=awards_selectors.recipient_history(user=self.request.user, recipient=recipient),
            form=form,
            result=result,
            **kwargs,
        )


class TitleListView(LoginRequiredMixin, TemplateView):
    """The catalogue of titles, forms and evaluations, grouped by kind, with their rules in words."""

    template_name = "emulation/title_list.html"

    def get_context_data(self, **kwargs):
        titles = list(awards_selectors.title_catalogue(user=self.request.user))
        groups = [(label, [t for t in titles if t.kind == kind]) for kind, label in AwardKind.choices]
        return super().get_context_data(
            groups=[(label, rows) for label, rows in groups if rows],
            is_admin=access.is_admin(self.request.user),
            **kwargs,
        )


# --- the year's conclusion -----------------------------------------------------------------------------


class YearConcludeView(YearObjectsMixin, TemplateView):
    """The Khối trưởng records the year-end review: proposals, next year's leader, deputy and host."""

    template_name = "emulation/year_conclude.html"

    def load(self, request, **kwargs) -> None:
        if not access.leads_year(request.user, self.bloc_year):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        self.members = years_selectors.members(self.bloc_year)
        self.titles = awards_selectors.proposal_titles()
        self.year_end = scoring_selectors.round_find(bloc_year=self.bloc_year, kind=RoundKind.YEAR_END)
        self.published = self.year_end is not None and self.year_end.status == RoundStatus.PUBLISHED
        self.stored = awards_selectors.proposals_of(self.bloc_year)

    def make_form(self, data=None) -> ConcludeForm:
        year = self.bloc_year
        initial = {
            "proposals": [f"{p.board_id}:{p.title_id}" for p in self.stored],
            "next_leader": year.next_leader_id,
            "next_deputy": year.next_deputy_id,
            "next_host": year.next_host_id,
        }
        return style_form(ConcludeForm(self.members, self.titles, data, initial=initial))

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.make_form()
        ranking = (
            scoring_selectors.published_ranking(user=self.request.user, scoring_round=self.year_end)
            if self.published
            else []
        )
        ranks = {entry.board_id: entry for entry in ranking}
        ticked = set(form["proposals"].value() or [])
        grid = [
            (
                board,
                ranks.get(board.pk),
                [(f"{board.pk}:{title.pk}", f"{board.pk}:{title.pk}" in ticked, title) for title in self.titles],
            )
            for board in self.members
        ]
        grid.sort(key=lambda row: (row[1].rank if row[1] else 9999, row[0].code))
        context = super().get_context_data(**kwargs)
        context.update(
            bloc_year=self.bloc_year,
            year_end=self.year_end,
            published=self.published,
            titles=self.titles,
            grid=grid,
            form=form,
            stored=self.stored,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        try:
            awards.year_conclude(
                user=request.user,
                bloc_year=self.bloc_year,
                proposals=form.chosen(),
                next_leader=data["next_leader"],
                next_deputy=data["next_deputy"],
                next_host=data["next_host"],
                source=AuditSource.WEB,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Đã ghi kết quả tổng kết năm."))
        return redirect("emulation:year_conclude", *self.year_url_args())
