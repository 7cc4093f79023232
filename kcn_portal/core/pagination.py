"""Keyset ("cursor") pagination for long API lists: stable while rows are added, constant cost per page.

The order of a page is the queryset's own `order_by` (the selector's, or the one a `sort` filter
chose), made total by appending the primary key when none of its fields is unique. The cursor is
an opaque token holding that order and the boundary row's values, so the next page is
`WHERE (order) > (values) ORDER BY order LIMIT n + 1`: no OFFSET and no COUNT, whatever the page.
NULLs sort last in both directions, the same on SQLite and PostgreSQL, so nullable sort fields
(a capital not stated yet) page correctly. DRF's own CursorPagination keys on the first field only
and cannot step over NULLs, hence this class; it keeps DRF's query parameters and schema.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import F, Q
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param


@dataclass(frozen=True)
class _Key:
    """One field of the page order: its ORM path, direction, and the model field when there is one."""

    name: str
    descending: bool
    field: object | None
    nullable: bool

    @property
    def token(self) -> str:
        return f"-{self.name}" if self.descending else self.name


def _resolve(model, path: str) -> tuple[object | None, bool]:
    """The model field at the end of an ORM path and whether the path can give NULL.

    An annotation has no model field: it is treated as nullable, the safe assumption.
    """
    parts, nullable = path.split("__"), False
    for index, part in enumerate(parts):
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None, True
        nullable = nullable or field.null
        if field.is_relation:
            if index == len(parts) - 1:
                # Ordering by a relation orders by the related model's Meta.ordering: no single value to key on.
                raise ImproperlyConfigured(f"Keyset pagination cannot order by the relation {path!r}.")
            model = field.related_model
    return field, nullable


def _plain(value):
    """A JSON value that filters back to the same database value (dates ISO, decimals exact)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


class KeysetCursorPagination(CursorPagination):
    """Cursor pagination on the queryset's own order; `?cursor=` from the `next`/`previous` links.

    `?page_size=` (1–500) changes the page length; the default is the REST_FRAMEWORK PAGE_SIZE.
    A cursor belongs to one order: changing `sort` between pages answers 404 "invalid cursor".
    """

    page_size = api_settings.PAGE_SIZE or 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.keys = self._keys(queryset)
        boundary = self._decode(request.query_params.get(self.cursor_query_param))
        backwards = False
        if boundary is not None:
            values, backwards = boundary
            queryset = queryset.filter(self._beyond(values, backwards))
        rows = list(queryset.order_by(*self._order(backwards))[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        # Going forwards we know whether more follow; going back, whether more precede.
        self.has_next = True if backwards else more
        self.has_previous = more if backwards else boundary is not None
        self.page = rows
        self.display_page_controls = self.has_next or self.has_previous
        return rows

    # --- the order ----------------------------------------------------------------------------

    def _keys(self, queryset) -> list[_Key]:
        model = queryset.model
        ordering = list(queryset.query.order_by) or list(model._meta.ordering) or ["-pk"]
        keys = []
        for item in ordering:
            if not isinstance(item, str) or item.startswith("?"):
                raise ImproperlyConfigured(f"Keyset pagination needs field names in order_by, not {item!r}.")
            name = item.lstrip("-")
            keys.append(_Key(name, item.startswith("-"), *_resolve(model, name)))
        unique = any(key.field is not None and "__" not in key.name and key.field.unique for key in keys)
        if not unique:
            keys.append(_Key("pk", False, model._meta.pk, False))
        return keys

    def _order(self, backwards: bool) -> list:
        order = []
        for key in self.keys:
            descending = key.descending != backwards
            if not key.nullable:
                # Plain names keep the database's own index order for NOT NULL columns.
                order.append(f"-{key.name}" if descending else key.name)
                continue
            # NULLs last in the page order, hence first when the same order is read backwards.
            nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
            order.append(F(key.name).desc(**nulls) if descending else F(key.name).asc(**nulls))
        return order

    def _beyond(self, values: list, backwards: bool) -> Q:
        """Rows after `values` in the page order (before them when reading backwards)."""
        branches, equal = [], Q()
        for key, value in zip(self.keys, values, strict=True):
            step = self._past(key, value, backwards)
            if step is not None:
                branches.append(equal & step)
            equal &= Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})
        condition = Q(pk__in=[])
        for branch in branches:
            condition |= branch
        return condition

    @staticmethod
    def _past(key: _Key, value, backwards: bool) -> Q | None:
        """Rows strictly past `value` on this one field, NULLs counting as the largest value."""
        if backwards:
            if value is None:
                return Q(**{f"{key.name}__isnull": False})
            return Q(**{f"{key.name}__{'gt' if key.descending else 'lt'}": value})
        if value is None:
            return None
        past = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
        return past | Q(**{f"{key.name}__isnull": True}) if key.nullable else past

    # --- the cursor ---------------------------------------------------------------------------

    def _encode(self, row, backwards: bool) -> str:
        values = []
        for key in self.keys:
            value = row
            for part in key.name.split("__"):
                value = None if value is None else getattr(value, part)
            values.append(_plain(value))
        payload = {"o": [key.token for key in self.keys], "v": values, "b": backwards}
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def _decode(self, token: str | None) -> tuple[list, bool] | None:
        if not token:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            order, values, backwards = payload["o"], payload["v"], payload["b"]
            if order != [key.token for key in self.keys] or len(values) != len(self.keys):
                raise ValueError("cursor of another order")
            # Parsed here so a tampered value is an invalid cursor, not a database error.
            values = [
                value if value is None or key.field is None else key.field.to_python(value)
                for key, value in zip(self.keys, values, strict=True)
            ]
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, KeyError, ValidationError):
            raise NotFound(self.invalid_cursor_message) from None
        return values, bool(backwards)

    def get_next_link(self):
        if not (self.has_next and self.page):
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, self._encode(self.page[-1], False))

    def get_previous_link(self):
        if not (self.has_previous and self.page):
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, self._encode(self.page[0], True))

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})
