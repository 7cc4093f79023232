"""Forms of the movement, award decision, recipient, eligibility and year-end review pages (no presentation here)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emulation.enums import LaunchLevel, MovementStatus, RecipientKind
from emulation.models import AwardTitle, Bloc, Movement
from kcn_portal.core.forms import DateField
from zones.models import Board


class MovementForm(forms.ModelForm):
    """Create or change a movement. `launch_boards` limits who may be named as the launching board.

    Board staff (not the ministry) may only launch board-level movements of their own boards,
    so the level is fixed for them (emulation.access.can_write_movement).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    blocs = forms.ModelMultipleChoiceField(
        label=_("Khối tham gia"), queryset=Bloc.objects.order_by("code"), required=False
    )
    boards = forms.ModelMultipleChoiceField(
        label=_("Ban tham gia"), queryset=Board.objects.order_by("code"), required=False
    )

    class Meta:
        model = Movement
        fields = [
            "name", "launched_by_level", "launched_by", "launched_by_board", "kind", "starts_on", "ends_on",
            "decision_no", "decision_date", "slogan", "content",
        ]  # fmt: skip
        field_classes = {"starts_on": DateField, "ends_on": DateField, "decision_date": DateField}
        widgets = {"content": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, launch_boards=None, board_level_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if launch_boards is not None:
            self.fields["launched_by_board"].queryset = launch_boards
        if board_level_only:
            self.fields["launched_by_level"].choices = [(LaunchLevel.BOARD, LaunchLevel.BOARD.label)]
        self.fields["blocs"].widget.attrs["size"] = 6
        self.fields["boards"].widget.attrs["size"] = 8
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["blocs"].initial = list(self.instance.blocs.all())
            self.fields["boards"].initial = list(self.instance.boards.all())


class MovementAdvanceForm(forms.Form):
    status = forms.ChoiceField(choices=MovementStatus.choices)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp đính kèm"))


# --- award decisions -------------------------------------------------------------------------------


class AwardDecisionForm(forms.Form):
    """The decision itself; its recipients are the rows of RecipientFormSet."""

    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    date = DateField(label=_("Ngày quyết định"))
    issuer = forms.CharField(label=_("Cơ quan, người ký"), max_length=255)
    title = forms.ModelChoiceField(label=_("Danh hiệu, hình thức"), queryset=AwardTitle.objects.none())
    year = forms.IntegerField(label=_("Năm thành tích"), min_value=1990, max_value=2100)
    movement = forms.ModelChoiceField(
        label=_("Phong trào"), queryset=Movement.objects.order_by("-starts_on", "name"), required=False
    )
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, current_title=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Retired titles are not offered, except the one an older decision already carries.
        offered = Q(active=True) | Q(pk=current_title.pk) if current_title is not None else Q(active=True)
        self.fields["title"].queryset = AwardTitle.objects.filter(offered).order_by("order", "code")


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=RecipientKind.choices, initial=RecipientKind.PERSON)
    board = forms.ModelChoiceField(label=_("Ban quản lý"), queryset=Board.objects.none())
    name = forms.CharField(label=_("Tên"), max_length=255)
    position = forms.CharField(label=_("Chức vụ, đơn vị"), max_length=255, required=False)

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if boards is not None:
            self.fields["board"].queryset = boards


class BaseRecipientFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled, not deleted rows ({"kind", "board", "name", "position"})."""
        return [
            {key: form.cleaned_data[key] for key in ("kind", "board", "name", "position")}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


RecipientFormSet = forms.formset_factory(
    RecipientForm,
    formset=BaseRecipientFormSet,
    extra=2,
    min_num=1,
    max_num=200,
    validate_min=True,
    validate_max=True,
    can_delete=True,
)


class EligibilityForm(forms.Form):
    title = forms.ModelChoiceField(label=_("Danh hiệu, hình thức cần xét"), queryset=AwardTitle.objects.none())
    year = forms.IntegerField(label=_("Năm xét"), min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = AwardTitle.objects.filter(active=True).order_by("order", "code")


# --- the year-end review ----------------------------------------------------------------------------


class ConcludeForm(forms.Form):
    """Proposals (member × title, as "board id:title id"), next year's leader, deputy and host."""

    proposals = forms.MultipleChoiceField(label=_("Đề nghị khen thưởng"), required=False)
    next_leader = forms.ModelChoiceField(label=_("Khối trưởng năm sau"), queryset=None)
    next_deputy = forms.ModelChoiceField(label=_("Khối phó năm sau"), queryset=None)
    next_host = forms.ModelChoiceField(label=_("Đơn vị đăng cai năm sau"), queryset=None, required=False)

    def __init__(self, members, titles, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
