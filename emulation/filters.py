"""FilterSets of emulation's lists — movements and award decisions — shared by their pages and the API.

One query string, two readings, both as they were before these FilterSets:

- the API (`MovementFilter`, `AwardDecisionFilter`, the viewsets' `filterset_class`) reads it leniently and is
  never refused: a year or an id that is not a number is ignored, a year is held to the years a date can have
  (1–9999), an id beyond any stored one and an unknown status, level or board match nothing;
- a list page (`MovementPageFilter`, `AwardDecisionPageFilter`, whose form the page shows) offers choices and
  years 1990–2100, and filters only when every field is valid: otherwise the whole list is shown, with the
  form's errors.

Both narrow a list the same way (the functions below); the other lists of emulation (bloc years, registrations,
scorecards, titles) take no filters, and its downloads are named by their URL (a round, a year).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from emulation.enums import AwardLevel, LaunchLevel, MovementStatus
from emulation.models import AwardDecision, AwardTitle, Movement

BIGGEST_ID = 2**63 - 1  # the databases' largest integer: a bigger one in a query would crash SQLite


def _int(value) -> int | None:
    """An id filter: None when absent or not a number; -1 (matches nothing) when beyond any stored id."""
    # Filters come as query strings (API) or cleaned form values, which may be model instances.
    try:
        number = int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= BIGGEST_ID else -1


def _year(value) -> int | None:
    """A year filter, held to the years a date can have (1–9999); None when absent or not a number."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return min(max(number, 1), 9999) if number else None


# --- how each filter narrows a list (the same for the page and the API) ------------------------------


def running_in(queryset, name, value):
    """Movements running in the year `value`."""
    year = _year(value)
    if year:
        # A movement belongs to every year it runs in; an open-ended one runs on from its start.
        queryset = queryset.filter(starts_on__year__lte=year).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )
    return queryset


def of_year(queryset, name, value):
    """Decisions of the achievement year `value`."""
    if _year(value):
        queryset = queryset.filter(year=_year(value))
    return queryset


def by_id(queryset, name, value):
    """Rows whose `name` (a foreign key's column) is the id `value` (or the object's)."""
    if _int(value):
        queryset = queryset.filter(**{name: _int(value)})
    return queryset


def naming_board(queryset, name, value):
    """Decisions naming a recipient of the board whose code is `value` (any case)."""
    of_board = AwardDecision.recipients.through.objects.filter(
        awarddecision_id=OuterRef("pk"), recipient__board__code=str(value).upper()
    )
    return queryset.filter(Exists(of_board))


class AsGivenFilter(django_filters.Filter):
    """A filter on the value as given, never refused (the API's query string)."""

    field_class = forms.Field


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class PageFilterSet(django_filters.FilterSet):
    """A list page's filter form: it filters only when every field is valid, else the whole list is shown."""

    @property
    def qs(self):
        return super().qs if self.is_valid() else self.queryset.all()


# --- movements ---------------------------------------------------------------------------------------


class MovementFilter(django_filters.FilterSet):
    """The API's movements by status, launch level and a year they run in."""

    status = AsGivenFilter()
    level = AsGivenFilter(field_name="launched_by_level")
    # Types for the schema (the viewsets describe these parameters themselves; this keeps generation quiet).
    year = extend_schema_field(OpenApiTypes.INT)(AsGivenFilter(method=running_in))

    class Meta:
        model = Movement
        fields = ["status", "level", "year"]


class MovementPageFilter(PageFilterSet):
    """The movements page's filter form."""

    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=MovementStatus.choices)
    level = django_filters.ChoiceFilter(
        label=_("Cấp phát động"), field_name="launched_by_level", choices=LaunchLevel.choices
    )
    year = IntegerFilter(label=_("Năm"), method=running_in, min_value=1990, max_value=2100)

    class Meta:
        model = Movement
        fields = ["status", "level", "year"]


# --- award decisions ---------------------------------------------------------------------------------


class AwardDecisionFilter(django_filters.FilterSet):
    """The API's award decisions by achievement year, title (id), title level, a recipient's board (code) and
    movement (id)."""

    year = AsGivenFilter(method=of_year)
    title = AsGivenFilter(field_name="title_id", method=by_id)
    level = AsGivenFilter(field_name="title__level")
    board = extend_schema_field(OpenApiTypes.STR)(AsGivenFilter(method=naming_board))
    movement = AsGivenFilter(field_name="movement_id", method=by_id)

    class Meta:
        model = AwardDecision
        fields = ["year", "title", "level", "board", "movement"]


class AwardDecisionPageFilter(PageFilterSet):
    """The award decisions page's filter form; `boards` are those offered (the boards the user reads)."""

    year = IntegerFilter(label=_("Năm thành tích"), method=of_year, min_value=1990, max_value=2100)
    title = django_filters.ModelChoiceFilter(
        label=_("Danh hiệu, hình thức"),
        field_name="title_id",
        method=by_id,
        queryset=AwardTitle.objects.order_by("order", "code"),
        empty_label=_("Tất cả"),
    )
    level = django_filters.ChoiceFilter(label=_("Cấp"), field_name="title__level", choices=AwardLevel.choices)
    board = django_filters.ChoiceFilter(label=_("Ban quản lý"), method=naming_board, choices=[])

    class Meta:
        model = AwardDecision
        fields = ["year", "title", "level", "board"]

    def __init__(self, *args, boards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["board"].extra["choices"] = [(b.code, f"{b.code} – {b.name}") for b in boards]
