from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.enums import Kind
from indicators.models import Indicator
from portal.forms import BootstrapMixin

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.display_name} ({obj.unit})" if obj.unit else obj.display_name


class LocalValueForm(BootstrapMixin, forms.Form):
    """A value an organizer enters for their city. The checks that need the indicator (type, year, source) are the
    model's, run by services.record_value; their messages land on these fields."""

    kind: str = Kind.OUTCOME

    indicator = IndicatorChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    year = forms.IntegerField(label=_("Year the figure describes"), min_value=1900, max_value=2100)
    source_name = forms.CharField(label=_("Source"), max_length=300, required=False)
    source_url = forms.URLField(
        label=_("Source link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A link or a document is required."),
    )
    document = forms.FileField(label=_("Source document (PDF)"), required=False, help_text=_("At most 10 MB."))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(kind=self.kind).order_by("position", "name")
        self.order_fields(["indicator", "year", "value", "fact", "fact_date"])

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return upload
        if upload.size > DOCUMENT_MAX_BYTES:
            raise ValidationError(_("The document can be at most 10 MB."))
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if not (upload.name or "").lower().endswith(".pdf") or head != b"%PDF-":
            raise ValidationError(_("The document must be a PDF file."))
        return upload


class FigureForm(LocalValueForm):
    value = forms.DecimalField(label=_("Figure"), max_digits=18, decimal_places=6)


class FactForm(LocalValueForm):
    kind = Kind.STRUCTURAL

    fact = forms.TypedChoiceField(
        label=_("Does the city have it?"),
        choices=[(True, _("Yes")), (False, _("No"))],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    fact_date = forms.DateField(
        label=_("Date (of the decision or document)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
