"""Annual plans pages: the boards' plans by year, and one board's plans for a year (edited by its leaders).

Reads go through reports.selectors.plans (a board outside the user's scope is 404), writes through
reports.services.plans.plans_set; a page of plans is saved in one transaction or not at all.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kcn_portal.indicators import CATALOGUE, by_group
from reports.engine import rollup
from reports.forms.plans import PlanForm, show_amount
from reports.selectors import plans as plan_selectors
from reports.selectors import snapshots
from reports.services import plans as plan_services
from zones import access
from zones import selectors as zone_selectors

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the bounds of Plan.year
CENT = Decimal("0.01")


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


class PlanListView(LoginRequiredMixin, TemplateView):
    """Each board the user may read, with how many indicators have a plan in each year."""

    template_name = "reports/plan_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        this_year = timezone.localdate().year
        counts = plan_selectors.plan_counts(user=user)
        years = sorted({this_year + 1, this_year} | {year for _board, year in counts}, reverse=True)
        chosen = _year(self.request.GET.get("year"))
        shown = [chosen] if chosen else years
        led = set(access.led_boards(user).values_list("pk", flat=True))
        rows = [
            {
                "board": board,
                "can_edit": board.pk in led,
                "cells": [{"year": year, "count": counts.get((board.pk, year), 0)} for year in shown],
            }
            for board in access.readable_boards(user).order_by("code")
        ]
        context = super().get_context_data(**kwargs)
        context.update(
            rows=rows,
            years=years,
            shown=shown,
            year=chosen,
            this_year=this_year,
            indicator_total=len(CATALOGUE),
        )
        return context


class PlanEditView(LoginRequiredMixin, TemplateView):
    """A board's plans for a year, one row per indicator: a form for its leaders, read-only for other readers.

    One POST saves every changed row in one transaction; a row left blank keeps its plan.
    """

    template_name = "reports/plan_edit.html"

    def load(self):
        """Read the year, the board (404 outside scope), its plans for the year and the year's latest report."""
        user = self.request.user
        self.year = _year(self.kwargs["year"])
        if self.year is None:
            raise Http404(_("Năm phải từ 2000 đến 2100."))
        self.board = zone_selectors.board_get(user=user, code=self.kwargs["code"])
        self.can_edit = access.can_lead_board(user, self.board)
        plans = plan_selectors.plan_list(user=user, boards=[self.board.code]).filter(year=self.year)
        self.plans = {plan.indicator: plan for plan in plans.select_related("updated_by")}
        try:
            self.snapshot = snapshots.snapshot_get(user=user, scope=f"board:{self.board.code}", period=str(self.year))
        except Http404:
            self.snapshot = None

    def make_form(self, data=None) -> PlanForm:
        """The plan form with the stored plans as its initial values (bound to `data` when given)."""
        return PlanForm(data, plans={code: plan.value for code, plan in self.plans.items()})

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_page(self.make_form() if self.can_edit else None)

    def post(self, request, *args, **kwargs):
        self.load()
        if not self.can_edit:
            # The board is readable (else board_get answered 404), only not theirs to plan: 403.
            raise PermissionDenied(_("Chỉ lãnh đạo Ban được đặt kế hoạch năm."))
        form = self.make_form(request.POST)
        if form.is_valid() and self.save(form):
            return redirect("plans:plan_edit", code=self.board.code, year=self.year)
        messages.error(request, _("Chưa lưu gì: hãy sửa các dòng có lỗi rồi lưu lại."))
        return self.render_page(form)

    def save(self, form: PlanForm) -> bool:
        """Save every changed row (services.plans.plans_set: all or none); a refused row's message goes next to it."""
        try:
            outcomes = plan_services.plans_set(
                user=self.request.user, board=self.board, year=self.year, values=dict(form.changes())
            )
        except ValidationError as exc:
            for code, errors in exc.message_dict.items():
                form.add_error(code, errors)
            return False
        created, updated = outcomes[plan_services.CREATED], outcomes[plan_services.UPDATED]
        if created or updated:
            messages.success(
                self.request,
                _("Đã lưu kế hoạch năm %(year)s: %(created)s chỉ tiêu đặt mới, %(updated)s chỉ tiêu sửa.")
                % {"year": self.year, "created": created, "updated": updated},
            )
        else:
            messages.info(self.request, _("Không có kế hoạch nào thay đổi."))
        kept = form.blanked(self.plans)
        if kept:
            messages.warning(
                self.request,
                _("%(count)s chỉ tiêu để trống vẫn giữ kế hoạch đã có (trang này chưa xóa được kế hoạch).")
                % {"count": len(kept)},
            )
        return True

    def render_page(self, form: PlanForm | None):
        """The page: indicators by group with plan, input (for leaders), achieved value and % of plan."""
        achieved = self.snapshot.indicators if self.snapshot else {}
        groups = []
        for group, label, indicators in by_group():
            rows = []
            for indicator in indicators:
                plan = self.plans.get(indicator.code)
                value = (achieved.get(indicator.code) or {}).get("value")
                rows.append(
                    {
                        "indicator": indicator,
                        "plan": plan,
                        "plan_text": show_amount(indicator, plan.value if plan else None),
                        "field": form[indicator.code] if form else None,
                        "achieved": show_amount(indicator, value),
                        "pct": rollup.pct(value, plan.value if plan else None),
                    }
                )
            groups.append({"code": group, "label": label, "rows": rows})
        context = self.get_context_data(
            board=self.board,
            year=self.year,
            previous_year=self.year - 1 if self.year > FIRST_YEAR else None,
            next_year=self.year + 1 if self.year < LAST_YEAR else None,
            groups=groups,
            form=form,
            can_edit=self.can_edit,
            snapshot=self.snapshot,
            plan_count=len(self.plans),
            indicator_total=len(CATALOGUE),
        )
        return self.render_to_response(context)
