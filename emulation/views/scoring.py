"""Scoring pages of a bloc's emulation year (DOMAIN.md §8, steps 3–5): the scoring table, a round's dates and
opening, the bloc leader's review centre, one member's scorecard (self score, evidence, submission, review,
return for correction), closing and publishing.

Reads go through emulation.selectors (a card the user may not read is 404), writes through
emulation.services.scoring (evidence files: emulation.services.awards); every decision of who may do what is
emulation.access's. A user who can read a page but not act on it gets 403 when posting (the service refuses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from emulation import access
from emulation.enums import RoundKind, RoundStatus, SubmissionStatus, TieBreak
from emulation.forms.fields import show_points
from emulation.forms.scoring import (
    CriterionForm,
    EvidenceForm,
    GroupForm,
    ReturnForm,
    ReviewForm,
    RoundForm,
    RuleForm,
    SelfScoreForm,
    TableSettingsForm,
    settings_initial,
)
from emulation.models import Attachment, Score
from emulation.selectors import scoring as scoring_selectors
from emulation.selectors import years as years_selectors
from emulation.services import awards, scoring
from emulation.views.mixins import YearMixin, YearObjectsMixin
from kcn_portal.core.concurrency import ConflictError
from kcn_portal.core.enums import AuditSource
from kcn_portal.core.forms import add_service_errors, style_form
from kcn_portal.core.services import require as _require


def report(request, done: str, service, *args, **kwargs) -> None:
    """A button's service call: its refusals become error messages, success says `done`."""
    try:
        service(*args, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


# --- loading what the URL names ---------------------------------------------------------------------


class RoundMixin(YearObjectsMixin):
    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.round = scoring_selectors.round_get(user=request.user, bloc_year=self.bloc_year, kind=kwargs["kind"])
        self.round.bloc_year = self.bloc_year  # one object for the year, its checks and its caches

    def round_url_args(self) -> tuple:
        return (*self.year_url_args(), self.round.kind)


class CardMixin(RoundMixin):
    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.load_card()

    def load_card(self) -> None:
        """The URL's card with everything its page shows (404 if the user may not read it)."""
        board_code = self.kwargs["board"]
        self.card = scoring_selectors.scorecard_get(
            user=self.request.user, scoring_round=self.round, board_code=board_code
        )
        self.card.round = self.round

    def card_url_args(self) -> tuple:
        return (*self.round_url_args(), self.card.board.code)

    def to_card(self):
        return redirect("emulation:scorecard_detail", *self.card_url_args())

    def attachment(self, pk: int) -> Attachment:
        """An evidence file of this card, from what scorecard_get loaded (Http404 if not the card's)."""
        for score in self.card.scores.all():
            for attachment in score.attachments.all():
                if attachment.pk == pk:
                    return attachment
        raise Http404


# --- the scoring table ---------------------------------------------------------------------------------


class TableView(LoginRequiredMixin, YearMixin, TemplateView):
    """The year's scoring table; its managers add, change and delete groups, criteria and rules until it locks."""

    template_name = "emulation/table_detail.html"
    ACTIONS = ("create", "group", "criterion", "rule", "settings", "delete")

    def setup_table(self):
        self.table = scoring_selectors.table_of(self.bloc_year)
        self.can_manage = access.manages_year(self.request.user, self.bloc_year)
        self.can_edit = self.can_manage and (self.table is None or self.table.locked_at is None)

    def get(self, request, *args, **kwargs):
        self.setup_table()
        return self.render_to_response(self.get_context_data())

    def item(self, ref: str):
        """A group, criterion or rule of this table from "kind:pk"; 404 when it is not one of them."""
        kind, _sep, pk = (ref or "").partition(":")
        if self.table is None or not pk.isdigit():
            raise Http404
        return scoring_selectors.table_item(self.table, kind, int(pk))

    def editing(self):
        """The item named by ?edit= (its form is shown filled in), or None."""
        ref = self.request.GET.get("edit")
        return (ref, self.item(ref)) if ref and self.can_edit else (None, None)

    def forms(self):
        ref, item = self.editing()
        groups = list(self.table.groups.all()) if self.table else []
        group_initial, criterion_initial, rule_initial = {}, {}, {}
        if ref and ref.startswith("group:"):
            group_initial = {"order": item.order, "name": item.name}
        elif ref and ref.startswith("criterion:"):
            criterion_initial = {
                "group": item.group_id, "order": item.order, "code": item.code, "name": item.name,
                "max_points": show_points(item.max_points), "guidance": item.guidance,
            }  # fmt: skip
        elif ref and ref.startswith("rule:"):
            rule_initial = {"kind": item.kind, "order": item.order, "name": item.name,
                            "points": show_points(item.points), "cap": show_points(item.cap)}  # fmt: skip
        return {
            "group_form": style_form(GroupForm(initial=group_initial, prefix="group")),
            "criterion_form": style_form(CriterionForm(initial=criterion_initial, groups=groups, prefix="criterion")),
            "rule_form": style_form(RuleForm(initial=rule_initial, prefix="rule")),
            "settings_form": style_form(
                TableSettingsForm(initial=settings_initial(self.table) if self.table else {}, prefix="settings")
            ),
            "editing": ref,
        }

    def get_context_data(self, **kwargs):
        table = self.table
        groups, total = [], Decimal(0)
        # scoring_selectors.table_of prefetched groups and criteria: the sums below read memory, not the database.
        for group in table.groups.all() if table else []:
            criteria = group.criteria.all()
            subtotal = sum((c.max_points for c in criteria), Decimal(0))
            total += subtotal
            rows = [{"criterion": c, "max_points": show_points(c.max_points)} for c in criteria]
            groups.append({"group": group, "criteria": rows, "max_total": show_points(subtotal)})
        rules = [
            {"rule": r, "points": show_points(r.points), "cap": show_points(r.cap)}
            for r in (table.rules.all() if table else [])
        ]
        labels = dict(TieBreak.choices)
        context = {
            "table": table,
            "groups": groups,
            "max_total": show_points(total) if table else None,
            "rules": rules,
            "bonus_cap": show_points(table.bonus_cap) if table else "",
            "penalty_cap": show_points(table.penalty_cap) if table else "",
            "tie_break": [labels.get(rule, rule) for rule in table.tie_break] if table else [],
            "can_manage": self.can_manage,
            "can_edit": self.can_edit,
        }
        if self.can_edit and table:
            context.update(self.forms())
        context.update(kwargs)
        context["editing_kind"] = (context.get("editing") or "").partition(":")[0]
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        self.setup_table()
        if not self.can_manage:
            raise PermissionDenied(_("Chỉ Khối trưởng, Khối phó được sửa bảng chấm điểm."))
        action = request.POST.get("action")
        if action not in self.ACTIONS or (action != "create" and self.table is None):
            raise Http404
        handler = getattr(self, f"post_{action}")
        try:
            result = handler(request.POST)
        except ValidationError as exc:
            # A plain message (e.g. the table locked meanwhile) has no field to sit next to.
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.request.path)
        if isinstance(result, dict):
            return self.render_to_response(self.get_context_data(**result), status=400)
        messages.success(request, result)
        return redirect("emulation:table_detail", code=self.bloc_year.bloc.code, year=self.bloc_year.year)

    def _save(self, key: str, form, save):
        """Run `save(cleaned_data)`; invalid input or a service's field errors come back as the form to show."""
        if form.is_valid():
            try:
                save(form.cleaned_data)
                return None
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                add_service_errors(form, exc)
        context = self.forms() if self.table else {}
        context[key] = style_form(form)
        context["editing"] = self.request.POST.get("item") or None
        return context

    def post_create(self, data):
        scoring.table_create(user=self.request.user, bloc_year=self.bloc_year, source=AuditSource.WEB)
        return _("Đã tạo bảng chấm điểm.")

    def post_group(self, data):
        group = self.item(data["item"]) if data.get("item") else None
        form = GroupForm(data, prefix="group")
        errors = self._save("group_form", form, lambda d: scoring.group_save(
            user=self.request.user, table=self.table, group=group, order=d["order"], name=d["name"]))  # fmt: skip
        return errors or _("Đã lưu nhóm tiêu chí.")

    def post_criterion(self, data):
        criterion = self.item(data["item"]) if data.get("item") else None
        groups = list(self.table.groups.all())
        form = CriterionForm(data, groups=groups, prefix="criterion")

        def save(d):
            group = next(g for g in groups if g.pk == d["group"])
            scoring.criterion_save(
                user=self.request.user, group=group, criterion=criterion, order=d["order"], code=d["code"],
                name=d["name"], max_points=d["max_points"], guidance=d["guidance"],
            )  # fmt: skip

        return self._save("criterion_form", form, save) or _("Đã lưu tiêu chí.")

    def post_rule(self, data):
        rule = self.item(data["item"]) if data.get("item") else None
        form = RuleForm(data, prefix="rule")
        errors = self._save("rule_form", form, lambda d: scoring.rule_save(
            user=self.request.user, table=self.table, rule=rule, **d))  # fmt: skip
        return errors or _("Đã lưu điểm thưởng, điểm trừ.")

    def post_settings(self, data):
        form = TableSettingsForm(data, prefix="settings")
        errors = self._save("settings_form", form, lambda d: scoring.table_settings_save(
            user=self.request.user, table=self.table, bonus_cap=d["bonus_cap"], penalty_cap=d["penalty_cap"],
            tie_break=form.tie_break()))  # fmt: skip
        return errors or _("Đã lưu điểm tối đa và thứ tự xét bằng điểm.")

    def post_delete(self, data):
        scoring.table_item_delete(user=self.request.user, item=self.item(data.get("item")))
        return _("Đã xóa.")


# --- rounds -----------------------------------------------------------------------------------------


class RoundEditView(YearObjectsMixin, TemplateView):
    """Create or re-date the mid-year or year-end round (the Khối trưởng's and Khối phó's leaders)."""

    template_name = "emulation/round_edit.html"

    def load(self, request, **kwargs) -> None:
        if not access.manages_year(request.user, self.bloc_year):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        self.kind = kwargs["kind"]
        self.round = scoring_selectors.round_find(bloc_year=self.bloc_year, kind=self.kind)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form")
        if form is None:
            initial = {"opens_on": self.round.opens_on, "closes_on": self.round.closes_on} if self.round else {}
            form = style_form(RoundForm(initial=initial))
        context.update(
            bloc_year=self.bloc_year,
            round=self.round,
            kind=self.kind,
            kind_label=RoundKind(self.kind).label,
            form=form,
            editable=self.round is None or self.round.status in (RoundStatus.DRAFT, RoundStatus.OPEN),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = style_form(RoundForm(request.POST))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            scoring.round_save(
                user=request.user, bloc_year=self.bloc_year, kind=self.kind, source=AuditSource.WEB, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Đã lưu ngày của đợt chấm."))
        return redirect("emulation:round_edit", *self.year_url_args(), self.kind)


class RoundActionView(RoundMixin, View):
    """A button on a round (open, close, publish): call the service, say what happened, go back."""

    http_method_names = ["post"]

    def act(self, user) -> None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        report(request, self.done_message(), self.act, request.user)
        return redirect("emulation:round_detail", *self.round_url_args())


class RoundOpenView(RoundActionView):
    """Open a draft round: the table locks and every member gets its card."""

    def act(self, user) -> None:
        scoring.round_open(user=user, scoring_round=self.round, source=AuditSource.WEB)

    def done_message(self) -> str:
        return _("Đã mở đợt chấm: các thành viên có thể tự chấm điểm.")


class RoundCloseView(RoundActionView):
    """The Khối trưởng closes scoring; the ranking is frozen."""

    def act(self, user) -> None:
        scoring.round_close(user=user, scoring_round=self.round, source=AuditSource.WEB)

    def done_message(self) -> str:
        return _("Đã khóa chấm điểm và chốt bảng xếp hạng.")


class RoundPublishView(RoundActionView):
    """The Khối trưởng publishes the closed round's ranking to the members."""

    def act(self, user) -> None:
        scoring.round_publish(user=user, scoring_round=self.round, source=AuditSource.WEB)

    def done_message(self) -> str:
        return _("Đã công bố kết quả xếp hạng.")


class RoundDetailView(RoundMixin, TemplateView):
    """The bloc leader's review centre; a member sees its own line, and the ranking once published."""

    template_name = "emulation/round_detail.html"

    def get_context_data(self, **kwargs):
        user, scoring_round = self.request.user, self.round
        rows = scoring_selectors.progress(user=user, scoring_round=scoring_round)
        manages = access.manages_year(user, self.bloc_year)
        oversees = manages or access.reviews_any(user, self.bloc_year) or access.reads_everything(user)
        preview = []
        if scoring_round.status == RoundStatus.OPEN and oversees:
            boards = {board.pk: board for board in years_selectors.members(self.bloc_year)}
            preview = [(card, boards[card.board_id]) for card in scoring_selectors.ranking_preview(scoring_round)]
        ranking = []
        if scoring_round.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
            ranking = scoring_selectors.published_ranking(user=user, scoring_round=scoring_round)
        leads = access.leads_year(user, self.bloc_year)
        context = super().get_context_data(**kwargs)
        context.update(
            bloc_year=self.bloc_year,
            round=scoring_round,
            rows=rows,
            preview=preview,
            ranking=ranking,
            manages=manages,
            can_open=manages and scoring_round.status == RoundStatus.DRAFT,
            can_close=leads and scoring_round.status == RoundStatus.OPEN,
            can_publish=leads and scoring_round.status == RoundStatus.CLOSED,
            can_conclude=leads
            and scoring_round.kind == RoundKind.YEAR_END
            and scoring_round.status == RoundStatus.PUBLISHED,
        )
        return context


# --- one member's scorecard ---------------------------------------------------------------------------


@dataclass
class Line:
    """A criterion of the card with its form inputs (None when the user cannot edit that side)."""

    score: Score
    self_points: object = None
    evidence: object = None
    reviewed_points: object = None
    comment: object = None
    errors: list = field(default_factory=list)  # why an evidence file was refused

    @property
    def difference(self) -> Decimal | None:
        s = self.score
        if s.self_points is None or s.reviewed_points is None:
            return None
        return s.reviewed_points - s.self_points


@dataclass
class ClaimLine:
    claim: object
    count: object = None
    note: object = None
    reviewed_count: object = None

    @property
    def difference(self) -> int | None:
        c = self.claim
        return None if c.reviewed_count is None else c.reviewed_count - c.self_count


class ScorecardDetailView(CardMixin, TemplateView):
    """One member's card: self score with evidence, reviewed score, and the forms the user may use."""

    template_name = "emulation/scorecard_detail.html"

    def rights(self) -> dict:
        user, card = self.request.user, self.card
        is_open = self.round.status == RoundStatus.OPEN
        draft = card.status == SubmissionStatus.DRAFT
        return {
            "can_edit": is_open and draft and access.can_edit_own_card(user, card),
            "can_submit": is_open and draft and access.can_submit_own_card(user, card),
            "can_review": is_open and not draft and access.can_review(user, card),
        }

    def get_context_data(self, **kwargs):
        card = self.card
        rights = self.rights()
        self_form = kwargs.get("self_form") or (SelfScoreForm(card) if rights["can_edit"] else None)
        review_form = kwargs.get("review_form") or (ReviewForm(card) if rights["can_review"] else None)
        return_form = kwargs.get("return_form") or (style_form(ReturnForm()) if rights["can_review"] else None)
        evidence_errors = kwargs.get("evidence_errors", {})
        groups: dict[int, tuple] = {}
        for score in card.scores.all():
            cid = score.criterion_id
            line = Line(score=score, errors=evidence_errors.get(score.pk, []))
            if self_form:
                line.self_points, line.evidence = self_form[f"points_{cid}"], self_form[f"evidence_{cid}"]
            if review_form:
                line.reviewed_points, line.comment = review_form[f"rpoints_{cid}"], review_form[f"comment_{cid}"]
            groups.setdefault(score.criterion.group_id, (score.criterion.group, []))[1].append(line)
        claims = []
        for claim in card.claims.all():
            line = ClaimLine(claim=claim)
            if self_form:
                line.count, line.note = self_form[f"count_{claim.rule_id}"], self_form[f"note_{claim.rule_id}"]
            if review_form:
                line.reviewed_count = review_form[f"rcount_{claim.rule_id}"]
            claims.append(line)
        figures = scoring_selectors.card_figures(card)
        context = super().get_context_data(**kwargs)
        context.update(
            rights,
            bloc_year=self.bloc_year,
            round=self.round,
            card=card,
            groups=list(groups.values()),
            claims=claims,
            figures=figures,
            # Before any review the reviewed totals are not 0, they are not there yet.
            reviewed_any=any(score.reviewed_points is not None for score in card.scores.all()),
            self_form=self_form,
            review_form=review_form,
            return_form=return_form,
            late=scoring_selectors.submitted_late(card, self.round),
            conflict=kwargs.get("conflict", False),
        )
        return context

    def post(self, request, *args, **kwargs):
        """The member's staff save the self score."""
        _require(access.can_edit_own_card(request.user, self.card))
        form = SelfScoreForm(self.card, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(self_form=form))
        try:
            scoring.scorecard_self_save(
                user=request.user,
                scorecard=self.card,
                scores=form.scores(),
                claims=form.claims(),
                expected_version=form.cleaned_data["version"],
                source=AuditSource.WEB,
            )
        except ConflictError:
            return self.conflict(SelfScoreForm, "self_form")
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(self_form=form))
        messages.success(request, _("Đã lưu điểm tự chấm."))
        return self.to_card()

    def conflict(self, form_class, name: str):
        """Someone saved the card after this form was opened: nothing saved; show the stored card.

        The form keeps what the user typed but now carries the current version, so saving again is
        a deliberate choice made after reading the banner (the page shows the stored value under
        each typed one).
        """
        self.load_card()
        data = self.request.POST.copy()
        data["version"] = str(self.card.version)
        form = form_class(self.card, data)
        form.is_valid()  # show the typed values and their own errors, if any
        return self.render_to_response(self.get_context_data(conflict=True, **{name: form}))


class ScorecardReviewView(ScorecardDetailView):
    """A reviewer (leader or deputy, never the member itself) saves reviewed points and comments."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        _require(access.can_review(request.user, self.card))
        form = ReviewForm(self.card, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(review_form=form))
        try:
            scoring.scorecard_review(
                user=request.user,
                scorecard=self.card,
                reviews=form.reviews(),
                claims=form.claims(),
                expected_version=form.cleaned_data["version"],
                source=AuditSource.WEB,
            )
        except ConflictError:
            return self.conflict(ReviewForm, "review_form")
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(review_form=form))
        messages.success(request, _("Đã lưu điểm thẩm định."))
        return self.to_card()


class ScorecardSubmitView(CardMixin, View):
    """The member's leader submits the self score."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        done = _("Đã gửi phiếu tự chấm.")
        report(request, done, scoring.scorecard_submit, user=request.user, scorecard=self.card, source=AuditSource.WEB)
        return self.to_card()


class ScorecardReturnView(ScorecardDetailView):
    """A reviewer sends a submitted card back to the member, saying why."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = style_form(ReturnForm(request.POST))
        if form.is_valid():
            try:
                scoring.scorecard_return(
                    user=request.user, scorecard=self.card, note=form.cleaned_data["note"], source=AuditSource.WEB
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã trả lại phiếu để Ban sửa."))
                return self.to_card()
        elif not access.can_review(request.user, self.card):
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
        return self.render_to_response(self.get_context_data(return_form=form))


class EvidenceAddView(ScorecardDetailView):
    """Attach an evidence file to one criterion of the member's draft card (checked by core.files)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        _require(access.can_edit_own_card(request.user, self.card))
        form = EvidenceForm(request.POST, request.FILES)
        score_id = request.POST.get("score", "")
        score = next((s for s in self.card.scores.all() if str(s.pk) == score_id), None)
        if score is None:
            raise Http404(_("Tiêu chí không thuộc phiếu này."))
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.render_to_response(self.get_context_data(evidence_errors={score.pk: errors}))
        try:
            attachment = awards.evidence_attach(
                user=request.user, score=score, upload=form.cleaned_data["file"], source=AuditSource.WEB
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(evidence_errors={score.pk: exc.messages}))
        messages.success(request, _("Đã thêm tệp minh chứng %(name)s.") % {"name": attachment.name})
        return self.to_card()


class EvidenceDeleteView(CardMixin, View):
    """Remove an evidence file from the member's draft card."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        attachment = self.attachment(kwargs["pk"])
        done = _("Đã xóa tệp minh chứng %(name)s.") % {"name": attachment.name}
        report(
            request,
            done,
            awards.attachment_delete,
            user=request.user,
            attachment=attachment,
            source=AuditSource.WEB,
        )
        return self.to_card()


class EvidenceDownloadView(CardMixin, View):
    """An evidence file, to whoever may read its card, as a download under the name it was given."""

    def get(self, request, *args, **kwargs):
        attachment = self.attachment(kwargs["pk"])
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
