"""What the bloc-year pages share: loading the bloc year the URL names (404 outside the user's scope)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import prefetch_related_objects

from emulation.selectors import years as years_selectors


class YearMixin:
    """Loads the bloc year of the URL (404 outside the user's scope); listed after LoginRequiredMixin."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.bloc_year = years_selectors.bloc_year_get(user=request.user, code=kwargs["code"], year=kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(bloc_year=self.bloc_year, **kwargs)


class YearObjectsMixin(LoginRequiredMixin):
    """Loads the bloc year of the URL (404 outside the user's scope), the user's memberships once, and whatever
    further objects the URL names (`load`: a round, a card …). Asks for login itself."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # Every access check reads the user's memberships: load them once for the whole request.
        prefetch_related_objects([request.user], "memberships")
        self.bloc_year = years_selectors.bloc_year_get(user=request.user, code=kwargs["code"], year=kwargs["year"])
        self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs) -> None:
        """Further objects of the URL (subclasses)."""

    def year_url_args(self) -> tuple:
        return (self.bloc_year.bloc.code, self.bloc_year.year)
