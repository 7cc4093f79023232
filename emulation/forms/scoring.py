"""Forms of the scoring pages: the scoring table (groups, criteria, rules, caps and tie-break), a round's
dates, a member's self score, a review, returning a card and an evidence file.

Points stay text here: the services read Vietnamese decimals ("9,75") and say, in Vietnamese, which
criterion is over its maximum, so the forms only carry what was typed and the version seen.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emulation.enums import RuleKind, TieBreak
from emulation.forms.fields import DecimalTextField, show_points
from emulation.models import Scorecard
from kcn_portal.core.forms import DateField

TIE_BREAK_SLOTS = len(TieBreak.values)


# --- the scoring table ----------------------------------------------------------------------------------


class GroupForm(forms.Form):
    order = forms.IntegerField(label=_("thứ tự"), min_value=1, max_value=999)
    name = forms.CharField(label=_("nhóm tiêu chí"), max_length=500)


class CriterionForm(forms.Form):
    group = forms.TypedChoiceField(label=_("nhóm tiêu chí"), coerce=int)
    order = forms.IntegerField(label=_("thứ tự"), min_value=1, max_value=999)
    code = forms.CharField(label=_("số hiệu"), max_length=12)
    name = forms.CharField(label=_("tiêu chí"), widget=forms.Textarea(attrs={"rows": 2}))
    max_points = DecimalTextField(label=_("điểm chuẩn"), required=True)
    guidance = forms.CharField(label=_("hướng dẫn chấm"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g.pk, f"{g.order}. {g.name}") for g in groups]


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("loại"), choices=RuleKind.choices)
    order = forms.IntegerField(label=_("thứ tự"), min_value=0, max_value=999)
    name = forms.CharField(label=_("nội dung"), max_length=500)
    points = DecimalTextField(label=_("điểm mỗi lần"), required=True)
    cap = DecimalTextField(label=_("tối đa"), required=True)


class TableSettingsForm(forms.Form):
    """Caps of the bonus and penalty totals and the tie-break rules, one select per place in the order."""

    bonus_cap = DecimalTextField(label=_("điểm thưởng tối đa"), required=True)
    penalty_cap = DecimalTextField(label=_("điểm trừ tối đa"), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— không dùng —")), *TieBreak.choices]
        for place in range(1, TIE_BREAK_SLOTS + 1):
            self.fields[f"tie_break_{place}"] = forms.ChoiceField(
                label=_("Thứ %(n)s") % {"n": place}, choices=choices, required=False
            )

    def tie_break_fields(self):
        return [self[f"tie_break_{place}"] for place in range(1, TIE_BREAK_SLOTS + 1)]

    def tie_break(self) -> list[str]:
        """The chosen rules in order, blanks skipped (duplicates are the service's to refuse)."""
        return [
            self.cleaned_data[f"tie_break_{place}"]
            for place in range(1, TIE_BREAK_SLOTS + 1)
            if self.cleaned_data.get(f"tie_break_{place}")
        ]


def settings_initial(table) -> dict:
    initial = {"bonus_cap": show_points(table.bonus_cap), "penalty_cap": show_points(table.penalty_cap)}
    initial.update({f"tie_break_{n}": rule for n, rule in enumerate(table.tie_break, start=1)})
    return initial


# --- rounds and scorecards ------------------------------------------------------------------------------


class RoundForm(forms.Form):
    opens_on = DateField(label=_("Mở từ ngày"))
    closes_on = DateField(label=_("Hạn chấm"))


def _points_input(form_id: str, label: str) -> forms.CharField:
    # inputmode=decimal gives a numeric keypad with a comma on phones; the `form` attribute ties an
    # input placed in a table cell to a form element outside the table (forms cannot nest in rows).
    attrs = {"inputmode": "decimal", "form": form_id, "class": "form-control form-control-sm text-end", "size": 5}
    return forms.CharField(label=label, required=False, max_length=12, widget=forms.TextInput(attrs=attrs))


def _text_input(form_id: str, label: str, rows: int = 2) -> forms.CharField:
    attrs = {"rows": rows, "form": form_id, "class": "form-control form-control-sm"}
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs=attrs))


def _count_input(form_id: str, label: str) -> forms.CharField:
    attrs = {"inputmode": "numeric", "form": form_id, "class": "form-control form-control-sm text-end", "size": 3}
    return forms.CharField(label=label, required=False, max_length=4, widget=forms.TextInput(attrs=attrs))


class CardForm(forms.Form):
    """Inputs per criterion and per rule of one card, with the card's version as the editor saw it.

    The inputs sit in the score table's cells, so each names the HTML form `form_id` it belongs to.
    """

    form_id = ""
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, card: Scorecard, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.card = card
        self.fields["version"].widget.attrs["form"] = self.form_id
        self.initial["version"] = card.version
        for line in card.scores.all():
            self.add_line(line, line.criterion.code)
        for claim in card.claims.all():
            self.add_claim(claim)

    def add_line(self, line, code: str) -> None:
        raise NotImplementedError

    def add_claim(self, claim) -> None:
        raise NotImplementedError


class SelfScoreForm(CardForm):
    """A member's self score: points and evidence per criterion, occurrences and a note per rule."""

    form_id = "self-form"

    def add_line(self, line, code: str) -> None:
        cid = line.criterion_id
        self.fields[f"points_{cid}"] = _points_input(self.form_id, _("Điểm tự chấm %s") % code)
        self.fields[f"evidence_{cid}"] = _text_input(self.form_id, _("Minh chứng %s") % code)
        self.initial.update({f"points_{cid}": show_points(line.self_points), f"evidence_{cid}": line.evidence})

    def add_claim(self, claim) -> None:
        rid = claim.rule_id
        self.fields[f"count_{rid}"] = _count_input(self.form_id, _("Số lần tự kê"))
        self.fields[f"note_{rid}"] = _text_input(self.form_id, _("Giải trình"), rows=1)
        self.initial.update({f"count_{rid}": claim.self_count, f"note_{rid}": claim.note})

    def scores(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            line.criterion_id: {
                "points": data[f"points_{line.criterion_id}"],
                "evidence": data[f"evidence_{line.criterion_id}"],
            }
            for line in self.card.scores.all()
        }

    def claims(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            claim.rule_id: {"count": data[f"count_{claim.rule_id}"], "note": data[f"note_{claim.rule_id}"]}
            for claim in self.card.claims.all()
        }


class ReviewForm(CardForm):
    """A reviewer's points and comment per criterion and reviewed occurrences per rule."""

    form_id = "review-form"

    def add_line(self, line, code: str) -> None:
        cid = line.criterion_id
        self.fields[f"rpoints_{cid}"] = _points_input(self.form_id, _("Điểm thẩm định %s") % code)
        self.fields[f"comment_{cid}"] = _text_input(self.form_id, _("Nhận xét %s") % code)
        self.initial.update(
            {f"rpoints_{cid}": show_points(line.reviewed_points), f"comment_{cid}": line.review_comment}
        )

    def add_claim(self, claim) -> None:
        self.fields[f"rcount_{claim.rule_id}"] = _count_input(self.form_id, _("Số lần thẩm định"))
        self.initial[f"rcount_{claim.rule_id}"] = "" if claim.reviewed_count is None else claim.reviewed_count

    def reviews(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            line.criterion_id: {
                "points": data[f"rpoints_{line.criterion_id}"],
                "comment": data[f"comment_{line.criterion_id}"],
            }
            for line in self.card.scores.all()
        }

    def claims(self) -> dict[int, dict]:
        return {
            claim.rule_id: {"count": self.cleaned_data[f"rcount_{claim.rule_id}"]} for claim in self.card.claims.all()
        }


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi lý do trả lại phiếu.")},
    )


class EvidenceForm(forms.Form):
    score = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Tệp minh chứng"), error_messages={"required": _("Chưa chọn tệp.")})
