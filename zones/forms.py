"""Forms for boards and zones; the workbook importer validates its rows with the same forms."""

from django import forms

from kcn_portal.core.forms import DateField

from .models import BOARD_FIELDS, ZONE_FIELDS, Board, Zone
from .specs import ZONE


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = list(BOARD_FIELDS)


class ZoneForm(forms.ModelForm):
    """Create or change a zone. `boards` limits the board choice to what the user may write."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Zone
        fields = list(ZONE_FIELDS)
        field_classes = {"established_on": DateField}

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ZONE.amounts:
            # Areas typed the Vietnamese way or plainly (core.amounts); the label stays the model's.
            model_field = self.fields[name]
            self.fields[name] = ZONE[name].form_field(required=model_field.required, label=model_field.label)
        if boards is not None:
            self.fields["board"].queryset = boards
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
