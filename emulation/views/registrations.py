"""Registration pages of a bloc year: every member's status, one member's registration (its staff edit the
draft, its leaders submit), through emulation.services.registrations and emulation.selectors.registrations.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from emulation import access
from emulation.enums import SubmissionStatus
from emulation.forms.registrations import RegistrationForm, TargetFormSet, target_initial
from emulation.models import Registration
from emulation.selectors import registrations as registrations_selectors
from emulation.selectors import years as years_selectors
from emulation.services import registrations
from emulation.views.mixins import YearMixin
from kcn_portal.core.concurrency import ConflictError, changed_note
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form


class RegistrationListView(LoginRequiredMixin, YearMixin, TemplateView):
    """Every member with its registration status; the contents the user may read (selectors.registrations)."""

    template_name = "emulation/registration_list.html"

    def get_context_data(self, **kwargs):
        rows = registrations_selectors.registration_rows(user=self.request.user, bloc_year=self.bloc_year)
        return super().get_context_data(rows=rows, **kwargs)


class RegistrationMixin:
    """Loads the member of the URL and the user's rights on its registration; 404 when none."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.bloc_year = years_selectors.bloc_year_get(user=request.user, code=kwargs["code"], year=kwargs["year"])
        self.board = years_selectors.member_get(self.bloc_year, kwargs["board"])
        self.mode = access.registration_mode(request.user, self.bloc_year, self.board.pk) if self.board else None
        if self.mode is None:
            raise Http404(_("Không tìm thấy đăng ký."))
        self.registration = (
            registrations_selectors.registrations(user=request.user, bloc_year=self.bloc_year)
            .filter(board=self.board)
            .first()
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
            registrations.registration_save(
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
                registrations.registration_submit(
                    user=request.user, registration=self.registration, source=AuditSource.WEB
                )
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
