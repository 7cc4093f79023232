"""Board and zone pages. Reads go through zones.selectors (scoped: outside scope is 404), writes
through zones.services; the views only wire forms, selectors and services together."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form
from kcn_portal.core.templatetags.kcn_format import field_value

from . import access, selectors, services
from .filters import BoardFilter, ZoneFilter
from .forms import ZoneForm


class BoardListView(LoginRequiredMixin, ListView):
    template_name = "zones/board_list.html"
    context_object_name = "boards"

    def get_queryset(self):
        return selectors.board_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = style_form(BoardFilter(self.request.GET).form)
        return context


class BoardDetailView(LoginRequiredMixin, DetailView):
    template_name = "zones/board_detail.html"
    context_object_name = "board"

    def get_object(self, queryset=None):
        return selectors.board_get(user=self.request.user, code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        user, board = self.request.user, self.object
        context = super().get_context_data(**kwargs)
        context.update(
            zones=selectors.zone_list(user=user, filters={"board": board.code}),
            members=selectors.board_members(user=user, board=board),
            history=selectors.board_history(user=user, board=board),
            # Lets the history name this board instead of showing its id.
            related={("zones.board", board.pk): board.code},
            can_write=access.can_write_board(user, board),
        )
        return context


class ZoneListView(LoginRequiredMixin, ListView):
    template_name = "zones/zone_list.html"
    context_object_name = "zones"
    paginate_by = 25

    def get_queryset(self):
        return selectors.zone_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        form = style_form(ZoneFilter(self.request.GET).form)
        # The filter takes a board code; offer the boards the user may read as a list.
        form.fields["board"].label = _("Ban quản lý")
        form.fields["board"].widget = forms.Select(
            choices=[("", _("Tất cả các Ban"))]
            + [(b.code, f"{b.code} – {b.name}") for b in selectors.board_list(user=user)],
            attrs={"class": "form-select"},
        )
        for name in ("kind", "status"):
            # django-filter prepends empty_label when the choices are (re)set; say "Tất cả", not "---------".
            field = form.fields[name]
            field.empty_label = _("Tất cả")
            field.choices = [choice for choice in field.choices if choice[0] != ""]
        context.update(filter_form=form, can_create=access.can_write_any_board(user))
        return context


class ZoneDetailView(LoginRequiredMixin, DetailView):
    template_name = "zones/zone_detail.html"
    context_object_name = "zone"

    def get_object(self, queryset=None):
        return selectors.zone_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = access.can_write_board(self.request.user, self.object.board)
        return context


class ZoneFormMixin:
    """Create/edit for users with write access; everybody else gets 404 (as for any object outside scope)."""

    template_name = "zones/zone_form.html"
    form_class = ZoneForm
    zone = None

    def dispatch(self, request, *args, **kwargs):
        # Runs after LoginRequiredMixin (earlier in the MRO) has turned anonymous users away.
        self.boards = access.writable_boards(request.user)
        if "pk" in kwargs:
            self.zone = selectors.zone_get(user=request.user, pk=kwargs["pk"], for_write=True)
        elif not self.boards.exists():
            raise Http404(_("Bạn không có quyền thêm khu."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(boards=self.boards, instance=self.zone)
        return kwargs

    def get_form(self, form_class=None):
        return style_form(super().get_form(form_class))

    def get_context_data(self, **kwargs):
        return super().get_context_data(zone=self.zone, **kwargs)

    def form_valid(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            zone = self.save(form, data)
        except services.ConflictError as exc:
            return self.conflict(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message % {"zone": zone})
        return redirect("zones:zone_detail", pk=zone.pk)


class ZoneCreateView(LoginRequiredMixin, ZoneFormMixin, FormView):
    success_message = gettext_lazy("Đã thêm khu %(zone)s.")

    def get_initial(self):
        # "Thêm khu" on a board's page preselects that board (when the user may write it).
        code = self.request.GET.get("board")
        board = self.boards.filter(code=code).first() if code else None
        return {"board": board} if board else {}

    def save(self, form, data):
        return services.zone_create(user=self.request.user, source=AuditSource.WEB, **data)


class ZoneUpdateView(LoginRequiredMixin, ZoneFormMixin, FormView):
    success_message = gettext_lazy("Đã lưu khu %(zone)s.")

    def save(self, form, data):
        return services.zone_update(
            user=self.request.user,
            zone=self.zone,
            expected_version=form.cleaned_data["version"],
            source=AuditSource.WEB,
            **data,
        )

    def conflict(self, form, exc: services.ConflictError):
        """Someone saved the zone after this form was opened: nothing is saved; show what they changed.

        The form keeps what this user typed and now carries the current version, so saving it
        again is a deliberate choice made after reading the banner.
        """
        current = selectors.zone_get(user=self.request.user, pk=self.zone.pk)
        names = list(exc.changed)
        data = self.request.POST.copy()
        data["version"] = str(current.version)
        form = style_form(ZoneForm(data, boards=self.boards, instance=current))
        conflict = [(str(current._meta.get_field(n).verbose_name), field_value(current, n)) for n in names]
        return self.render_to_response(self.get_context_data(form=form, conflict=conflict))
