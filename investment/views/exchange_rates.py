"""The USD→VND exchange-rate catalogue page (read by everybody; administrators change it in the admin)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from zones import access

from ..selectors import exchange_rates as exchange_rate_selectors


class ExchangeRateListView(LoginRequiredMixin, ListView):
    """The USD→VND catalogue, newest first; administrators get links to change it in the admin."""

    template_name = "investment/exchange_rate_list.html"
    context_object_name = "rates"
    paginate_by = 50

    def get_queryset(self):
        return exchange_rate_selectors.exchange_rate_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = access.can_manage_boards(self.request.user)
        return context
