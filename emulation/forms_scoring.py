"""Forms of the scoring pages: a round's dates, a member's self score, a review, returning a card,
an evidence file and the year's conclusion.

Points stay text here: the services read Vietnamese decimals ("9,75") and say, in Vietnamese, which
criterion is over its maximum, so the forms only carry what was typed and the version seen.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kcn_portal.core.templatetags.kcn_format import format_number

from .enums import AwardKind
from .models import AwardTitle, Scorecard

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def shown_points(value) -> str:
    """Stored points as a person types them: 9.75 → "9,75", 10.00 → "10", None → ""."""
    return "" if value is None else format_number(value, 2, trim=True)


class RoundForm(forms.Form):
    opens_on = forms.DateField(label=_("Mở từ ngày"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)
    closes_on = forms.DateField(label=_("Hạn chấm"), widget=DATE_WIDGET, input_formats=DATE_FORMATS)


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


class SelfScoreForm(forms.Form):
    """A member's self score: points and evidence per criterion, occurrences and a note per rule."""

    form_id = "self-form"
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"form": "self-form"}))

    def __init__(self, card: Scorecard, *args, **kwargs):
        initial = {"version": card.version}
        for line in card.scores.all():
            initial[f"points_{line.criterion_id}"] = shown_points(line.self_points)
            initial[f"evidence_{line.criterion_id}"] = line.evidence
        for claim in card.claims.all():
            initial[f"count_{claim.rule_id}"] = claim.self_count
            initial[f"note_{claim.rule_id}"] = claim.note
        super().__init__(*args, initial=initial, **kwargs)
        self.card = card
        for line in card.scores.all():
            code = line.criterion.code
            self.fields[f"points_{line.criterion_id}"] = _points_input(self.form_id, _("Điểm tự chấm %s") % code)
            self.fields[f"evidence_{line.criterion_id}"] = _text_input(self.form_id, _("Minh chứng %s") % code)
        for claim in card.claims.all():
            self.fields[f"count_{claim.rule_id}"] = _count_input(self.form_id, _("Số lần tự kê"))
            self.fields[f"note_{claim.rule_id}"] = _text_input(self.form_id, _("Giải trình"), rows=1)

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


class ReviewForm(forms.Form):
    """A reviewer's points and comment per criterion and reviewed occurrences per rule."""

    form_id = "review-form"
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"form": "review-form"}))

    def __init__(self, card: Scorecard, *args, **kwargs):
        initial = {"version": card.version}
        for line in card.scores.all():
            initial[f"rpoints_{line.criterion_id}"] = shown_points(line.reviewed_points)
            initial[f"comment_{line.criterion_id}"] = line.review_comment
        for claim in card.claims.all():
            initial[f"rcount_{claim.rule_id}"] = "" if claim.reviewed_count is None else claim.reviewed_count
        super().__init__(*args, initial=initial, **kwargs)
        self.card = card
        for line in card.scores.all():
            code = line.criterion.code
            self.fields[f"rpoints_{line.criterion_id}"] = _points_input(self.form_id, _("Điểm thẩm định %s") % code)
            self.fields[f"comment_{line.criterion_id}"] = _text_input(self.form_id, _("Nhận xét %s") % code)
        for claim in card.claims.all():
            self.fields[f"rcount_{claim.rule_id}"] = _count_input(self.form_id, _("Số lần thẩm định"))

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


class ConcludeForm(forms.Form):
    """Proposals (member × title, as "board id:title id"), next year's leader, deputy and host."""

    proposals = forms.MultipleChoiceField(label=_("Đề nghị khen thưởng"), required=False)
    next_leader = forms.ModelChoiceField(label=_("Khối trưởng năm sau"), queryset=None)
    next_deputy = forms.ModelChoiceField(label=_("Khối phó năm sau"), queryset=None)
    next_host = forms.ModelChoiceField(label=_("Đơn vị đăng cai năm sau"), queryset=None, required=False)

    def __init__(self, members, titles, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from zones.models import Board

        self.members = {board.pk: board for board in members}
        self.titles = {title.pk: title for title in titles}
        self.fields["proposals"].choices = [
            (f"{board_id}:{title_id}", "") for board_id in self.members for title_id in self.titles
        ]
        for name in ("next_leader", "next_deputy", "next_host"):
            self.fields[name].queryset = Board.objects.filter(pk__in=list(self.members)).order_by("code")

    def chosen(self) -> list[tuple]:
        """The proposals ticked, as (board, title) pairs."""
        pairs = []
        for value in self.cleaned_data["proposals"]:
            board_id, title_id = (int(part) for part in value.split(":"))
            pairs.append((self.members[board_id], self.titles[title_id]))
        return pairs


def proposal_titles():
    """Active titles and forms of commendation a bloc proposes at its year-end review."""
    return list(
        AwardTitle.objects.filter(active=True, kind__in=[AwardKind.TITLE, AwardKind.COMMENDATION]).order_by(
            "order", "code"
        )
    )
