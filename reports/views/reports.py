"""Report pages: choose a report, read one (figures grouped like the ministry's forms, member boards,
trend charts, versions, approval marks, what a restated version changed), compare two versions, list the
records behind a figure, the ministry's acceptance of a summary, and the catalogue.

A scope the user may not read, and a malformed scope or period, answer 404 (reports.scopes.can_read; the
URL's converters refuse a malformed one), like another board's objects. Snapshots are read through
reports.selectors.snapshots; a rebuild is queued through reports.services.builds and followed on the task
page. Presentation (text, totals, chart geometry) is in reports.presentation.
"""

from __future__ import annotations

import itertools

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from kcn_portal import periods
from kcn_portal.core.forms import style_form
from kcn_portal.indicators import EVENTS, GROUPS, PROJECTS, REPORTS, ZONE_ROWS, by_group
from reports import presentation, scopes
from reports.engine import sources
from reports.forms.reports import ReportChooseForm
from reports.models import ReportSnapshot
from reports.selectors import approval as approval_selectors
from reports.selectors import deadlines, snapshots
from reports.services import approval as approval_services
from reports.services import builds
from zones import access

RECENT_REPORTS = 30

# --- mixin --------------------------------------------------------------------------------------


class ScopePeriodMixin:
    """The `scope` and `period` of the URL (parsed by reports.converters); 404 when the scope's board or bloc
    does not exist or the user may not read it.

    Put after LoginRequiredMixin, which turns anonymous users away first.
    """

    scope: scopes.Scope
    period: periods.Period

    def dispatch(self, request, *args, **kwargs):
        try:
            self.scope = scopes.known(kwargs["scope"])
        except scopes.ScopeError as exc:
            raise Http404(str(exc)) from exc
        self.period = kwargs["period"]
        if not scopes.can_read(request.user, self.scope):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def scope_context(self) -> dict:
        """The scope and period of the page, parsed and in words, for the templates."""
        return {
            "scope": str(self.scope),
            "scope_obj": self.scope,
            "scope_label": self.scope.label,
            "period": self.period.code,
            "period_obj": self.period,
            "period_label": self.period.label,
            "previous_period": self.period.previous_year().code,
            "is_board": self.scope.kind == scopes.BOARD,
        }

    def snapshot_or_none(self, version: int | None = None) -> ReportSnapshot | None:
        """The latest (or the given) version of this report, None when it has not been built."""
        try:
            return snapshots.snapshot_get(
                user=self.request.user, scope=str(self.scope), period=self.period.code, version=version
            )
        except Http404:
            return None


def _version(request, name: str = "version") -> int | None:
    """A positive integer query parameter, None when absent; 404 when it is not a number."""
    text = request.GET.get(name)
    if text is None or text == "":
        return None
    if not text.isdigit() or int(text) < 1:
        raise Http404
    return int(text)


# --- pages --------------------------------------------------------------------------------------


def default_scope(user, scope_list: list[scopes.Scope]) -> str:
    """The scope the report picker starts on: "national" for those who read every board, else the first one."""
    if access.reads_everything(user) and scopes.Scope(scopes.NATIONAL) in scope_list:
        return str(scopes.Scope(scopes.NATIONAL))
    return str(scope_list[0]) if scope_list else ""


class ReportIndexView(LoginRequiredMixin, TemplateView):
    """Choose a scope and a period (redirects to the report) and see the latest built reports."""

    template_name = "reports/report_index.html"

    def get(self, request, *args, **kwargs):
        this_year = timezone.localdate().year
        scope_list = scopes.readable_scopes(request.user, this_year)
        labels = snapshots.scope_labels(str(scope) for scope in scope_list)
        bound = "scope" in request.GET
        form = style_form(
            ReportChooseForm(
                request.GET if bound else None,
                scopes=list(labels.items()),
                # The ministry and administrators read the nation first ("Cả nước"), a board's people their board.
                initial={"year": this_year - 1, "kind": "", "scope": default_scope(request.user, scope_list)},
            )
        )
        if bound and form.is_valid():
            return redirect(
                "reports:report_detail", scope=form.cleaned_data["scope"], period=form.cleaned_data["period"].code
            )
        recent = []
        for state in snapshots.recent_states(labels, limit=RECENT_REPORTS):
            try:
                period = periods.parse(state.period)
            except periods.PeriodError:
                continue
            recent.append({"state": state, "scope_label": labels[state.scope], "period_label": period.label})
        return self.render_to_response(self.get_context_data(form=form, recent=recent, has_scopes=bool(scope_list)))


class ReportDetailView(LoginRequiredMixin, ScopePeriodMixin, TemplateView):
    """One report (the latest version, or `?version=N`): figures by group, members, charts and versions."""

    template_name = "reports/report_detail.html"

    def get_context_data(self, **kwargs):
        user, scope, period = self.request.user, str(self.scope), self.period
        version = _version(self.request)
        snapshot = self.snapshot_or_none(version)
        if snapshot is None and version is not None:
            raise Http404
        context = super().get_context_data(**kwargs)
        context.update(self.scope_context())
        context.update(
            snapshot=snapshot,
            state=snapshots.report_state(scope=scope, period=period.code),
            versions=[],
            groups=[],
            members=None,
            charts=[],
        )
        if snapshot is None:
            return context
        versions = list(snapshots.snapshot_versions(user=user, scope=scope, period=period.code))
        stored_by_period = snapshots.latest_indicators(scope, [p.code for p in presentation.trend_periods(period)])
        charts = presentation.report_charts(period, stored_by_period)
        context.update(
            versions=[
                {"snapshot": newer, "previous": older.version if older else None}
                for newer, older in itertools.pairwise([*versions, None])
            ],
            is_latest=bool(versions) and versions[0].version == snapshot.version,
            groups=presentation.indicator_rows(snapshot.indicators),
            charts=charts,
            # Every chart has the same gaps: the periods whose report is not built.
            charts_missing=charts[0]["missing"] if charts else [],
        )
        restated = snapshots.restated(snapshot)
        if restated is not None:
            context["restated"] = presentation.restated_banner(restated, board=self.scope.kind == scopes.BOARD)
        # Approval marks only for the reporting periods a board approves (quarters, halves, years).
        marks = period.kind in deadlines.DEADLINE_KINDS
        context["approval_marks"] = marks
        if self.scope.kind == scopes.BOARD:
            if marks:
                approval = approval_selectors.member_approvals(period.code, [self.scope.code]).get(self.scope.code)
                context.update(board_approval=approval, board_approval_text=presentation.board_approval_text(approval))
            return context
        names = snapshots.member_names(self.scope, period.year)
        readable = set(access.readable_boards(user).values_list("code", flat=True))
        members = presentation.member_rows(snapshot.members, snapshot.member_values, names)
        context.update(
            members=members,
            member_totals=presentation.member_totals(snapshot.indicators),
            member_headers=presentation.member_columns(),
            readable_boards=readable,
        )
        if marks:
            acceptance = approval_selectors.summary_acceptance(scope, period.code)
            context.update(
                approvals=presentation.with_approvals(
                    members, approval_selectors.member_approvals(period.code, snapshot.members)
                ),
                acceptance=acceptance,
                acceptance_text=presentation.acceptance_text(acceptance),
                # The ministry and administrators: those reports.services.approval.summary_accept lets accept.
                can_accept=access.reads_everything(user),
            )
        return context


class ReportBuildView(LoginRequiredMixin, ScopePeriodMixin, View):
    """Queue a rebuild of this report and follow it on the task page."""

    def post(self, request, *args, **kwargs):
        try:
            run = builds.report_build_enqueue(user=request.user, period=self.period.code, scope=str(self.scope))
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.info(request, _("Đã đưa việc tính lại báo cáo vào hàng đợi."))
        return redirect("task_detail", pk=run.pk)


class ReportAcceptView(LoginRequiredMixin, ScopePeriodMixin, View):
    """The ministry accepts a bloc's or the nation's summary of a period (reports.services.approval.summary_accept).

    A refusal (a member has not approved, the summary is being rebuilt, a board or a month) is shown as
    the service's message on the report page; a reader who may not accept gets 403.
    """

    def post(self, request, *args, **kwargs):
        try:
            acceptance = approval_services.summary_accept(
                user=request.user, scope=str(self.scope), period=self.period.code
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Đã tiếp nhận báo cáo tổng hợp kỳ %(period)s, phiên bản %(version)s.")
                % {"period": self.period.short_label, "version": acceptance.snapshot.version},
            )
        return redirect("reports:report_detail", scope=str(self.scope), period=self.period.code)


class ReportCompareView(LoginRequiredMixin, ScopePeriodMixin, TemplateView):
    """What changed between two versions of a report (`?a=1&b=2`)."""

    template_name = "reports/report_compare.html"

    def get_context_data(self, **kwargs):
        first, second = _version(self.request, "a"), _version(self.request, "b")
        if first is None or second is None:
            raise Http404
        old, new = (self.snapshot_or_none(number) for number in (first, second))
        if old is None or new is None:
            raise Http404
        context = super().get_context_data(**kwargs)
        context.update(self.scope_context())
        context.update(old=old, new=new, rows=presentation.difference_rows(snapshots.compare(old, new)))
        return context


# Joins and order of each source's drill-down rows.
_DRILLDOWN_ROWS = {
    EVENTS: (("project__zone__board",), ("event_date", "project__code", "pk")),
    PROJECTS: (("zone__board",), ("issued_on", "code")),
    ZONE_ROWS: (("board",), ("board__code", "code")),
    REPORTS: (("project__zone__board",), ("project__zone__board__code", "project__code", "year", "quarter")),
}


DRILLDOWN_COLUMNS = {EVENTS: 11, PROJECTS: 7, ZONE_ROWS: 9, REPORTS: 14}


class ReportDrilldownView(LoginRequiredMixin, ScopePeriodMixin, ListView):
    """The records behind one figure of a report (optionally of one member board), 50 a page, with
    their total, which equals the figure for counts and amounts."""

    template_name = "reports/report_drilldown.html"
    context_object_name = "rows"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        self.indicator = kwargs["code"]  # an Indicator of the catalogue (reports.converters)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.members = list(scopes.members(self.scope, self.period.year).values_list("pk", "code", "name"))
        # A bloc's or the nation's figures are shared with its readers; the records behind them only with
        # those who may read the board they belong to (a board's people see their own board's records).
        self.partial = False
        if not access.reads_everything(self.request.user) and self.scope.kind != scopes.BOARD:
            readable = set(access.readable_boards(self.request.user).values_list("pk", flat=True))
            self.partial = any(member[0] not in readable for member in self.members)
            self.members = [member for member in self.members if member[0] in readable]
        self.board = self.request.GET.get("board") or ""
        if self.board:
            chosen = [member for member in self.members if member[1] == self.board]
            if self.scope.kind == scopes.BOARD or not chosen:
                raise Http404
            board_ids = [chosen[0][0]]
            self.partial = False
        elif self.scope.kind == scopes.NATIONAL and not self.partial:
            board_ids = None  # the nation adds up every board: no list of ids to pass
        else:
            board_ids = [member[0] for member in self.members]
        self.source, queryset = sources.drilldown(self.indicator.code, self.period, board_ids)
        self.records = queryset
        related, order = _DRILLDOWN_ROWS[self.source]
        return queryset.select_related(*related).order_by(*order)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code, unit = self.indicator.code, self.indicator.unit
        snapshot = self.snapshot_or_none()
        value = None
        if snapshot is not None:
            if self.board:
                value = snapshot.member_values.get(self.board, {}).get(code)
            else:
                value = (snapshot.indicators.get(code) or {}).get("value")
        total = sources.drilldown_total(code, self.period, self.records)
        context.update(self.scope_context())
        context.update(
            indicator=self.indicator,
            group_label=GROUPS[self.indicator.group],
            source=self.source,
            columns=DRILLDOWN_COLUMNS[self.source],
            snapshot=snapshot,
            value=value,
            value_text=presentation.value_text(value, unit) if snapshot else "",
            total=total,
            total_text=presentation.figure(total, unit),
            matches=snapshot is not None and total is not None and value is not None and float(total) == float(value),
            partial=self.partial,
            board=self.board,
            board_choices=[(member[1], member[2]) for member in self.members]
            if self.scope.kind != scopes.BOARD
            else [],
        )
        return context


class IndicatorListView(LoginRequiredMixin, TemplateView):
    """The indicator catalogue (DOMAIN.md §5) by group: code, name, unit and definition."""

    template_name = "reports/indicator_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=by_group(), **kwargs)
