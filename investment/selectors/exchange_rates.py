"""Reads of the USD→VND exchange-rate catalogue (reference data: public to every signed-in user)."""

from __future__ import annotations

from django.db.models import QuerySet

from .. import ledger
from ..models import ExchangeRate


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    """The USD→VND catalogue, newest first (public to every signed-in user: it is reference data)."""
    return ExchangeRate.objects.order_by("-valid_from")


def rate_table() -> ledger.RateTable:
    """The exchange-rate catalogue, loaded in one query (to derive the amounts a certificate does not state)."""
    return ledger.RateTable(ExchangeRate.objects.all())
