"""Forms of the organizers' testimony pages: moderation, paper entry, CSV import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cities.models import City
from events.selectors import events_hosted_by
from portal.forms import bootstrap_choice_widget
from testimony.entry import IMPORT_FIELDS, MAX_IMPORT_BYTES, NATURE_ALL_CHALLENGE, NATURE_ALL_POSITIVE
from testimony.enums import Identification, Kind, Status
from testimony.models import CONSENT_FIELDS, PUBLIC_TEXT_FIELDS, Testimony
from upr.models import Theme


class BootstrapMixin:
    """Bootstrap classes on the widgets, so the templates can render fields one by one with their labels."""

    def style_fields(self) -> None:
        for bound in self.fields.values():
            widget = bound.widget
            if bootstrap_choice_widget(widget):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class QueueFilterForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("Any theme")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *Kind.choices], required=False)


class PublicVersionForm(BootstrapMixin, forms.Form):
    """The public version of every field in PUBLIC_TEXT_FIELDS, one form field each (named like the model's public
    field). A field left empty is not shown anywhere; the text is required, since it is what public places show."""

    HELP = {
        "public_title": _(
            "Without one, public pages show the first words of the public version, never the title as sent."
        ),
        "public_body": _("Remove names, addresses and any detail that could identify the person or others."),
        "public_transcript": _("Redact it like the text; leave it empty to keep the transcript private."),
        "public_media_caption": _("Also read aloud as the image's description; leave it empty to keep it private."),
        "public_place_text": _(
            "A neighbourhood rather than a street is usually enough; never shown when the person asked for less "
            "precision."
        ),
    }

    def __init__(self, *args, testimony: Testimony, **kwargs):
        super().__init__(*args, **kwargs)
        self.originals = {f.public: getattr(testimony, f.original) for f in PUBLIC_TEXT_FIELDS}
        for text_field in PUBLIC_TEXT_FIELDS:
            original = Testimony._meta.get_field(text_field.original)
            if text_field.original != "body" and not getattr(testimony, text_field.original):
                continue  # nothing was written there: nothing to publish
            if isinstance(original, models.TextField):
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))
            else:
                field = forms.CharField(max_length=original.max_length)
            field.label = _("Public version: %(field)s") % {"field": text_field.label}
            field.required = text_field.original == "body"
            field.help_text = self.HELP.get(text_field.public, "")
            self.fields[text_field.public] = field
        self.style_fields()

    @classmethod
    def initial_for(cls, testimony: Testimony) -> dict[str, str]:
        """What the form starts with: the saved public versions once reviewed; before that, each original, to edit
        (nothing is public until saved)."""
        if testimony.public_reviewed_at is not None:
            return {f.public: getattr(testimony, f.public) for f in PUBLIC_TEXT_FIELDS}
        return {f.public: getattr(testimony, f.public) or getattr(testimony, f.original) for f in PUBLIC_TEXT_FIELDS}

    def pairs(self):
        """(original value, bound public field) for the template, in PUBLIC_TEXT_FIELDS order."""
        return [(self.originals[name], self[name]) for name in self.fields]


class RejectForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    reason = forms.CharField(label=_("Reason for rejecting"), widget=forms.Textarea(attrs={"rows": 3}))


class BulkActionForm(BootstrapMixin, forms.Form):
    APPROVE, REJECT = "approve", "reject"

    action = forms.ChoiceField(label=_("Action"), choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    reason = forms.CharField(label=_("Reason for rejecting"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    selected = forms.ModelMultipleChoiceField(label=_("Selected testimony"), queryset=Testimony.objects.none())

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = queryset
        self.style_fields()

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for rejecting."))
        return data


class PaperEntryForm(BootstrapMixin, forms.ModelForm):
    """One testimony given on paper, at a meeting or in a survey, with the consent the person gave there."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Testimony
        fields = [
            "kind",
            "title",
            "body",
            "nature",
            "language",
            "themes",
            "place_text",
            "occurred_on",
            "collected_at",
            *CONSENT_FIELDS,
            "age_confirmed",
            "guardian_consent",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5}),
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"collected_at": _("Collected at event")}

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_at"].queryset = events_hosted_by(city)
        self.fields["collected_at"].required = False
        self.style_fields()

    def clean(self):
        data = super().clean()
        identification = data.get("identification")
        if identification == Identification.ANONYMOUS:
            data["display_name"] = ""
        elif identification and not (data.get("display_name") or "").strip():
            self.add_error("display_name", _("Give the name to show, or choose to stay anonymous."))
        return data


class BasePaperEntryFormSet(forms.BaseFormSet):
    def __init__(self, *args, city: City, **kwargs):
        self.city = city
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "city": self.city}


PaperEntryFormSet = forms.formset_factory(
    PaperEntryForm, formset=BasePaperEntryFormSet, extra=3, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class CsvUploadForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    file = forms.FileField(label=_("CSV file (UTF-8)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class ColumnMappingForm(BootstrapMixin, forms.Form):
    """Each portal field <- a column of the file, or "not in file"."""

    def __init__(self, *args, columns: list[str], city: City, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in file —")), *((str(i), name) for i, name in enumerate(columns))]
        for name, label, required in IMPORT_FIELDS:
            field_choices = choices
            if name == "nature":
                field_choices = [
                    *choices,
                    (NATURE_ALL_CHALLENGE, _("— every row is a challenge —")),
                    (NATURE_ALL_POSITIVE, _("— every row is a positive practice —")),
                ]
            self.fields[name] = forms.ChoiceField(label=label, choices=field_choices, required=required)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind of every row"), choices=Kind.choices, initial=Kind.SURVEY, required=True
        )
        self.fields["collected_at"] = forms.ModelChoiceField(
            label=_("Collected at event"), queryset=events_hosted_by(city), required=False
        )
        self.style_fields()

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _label, _required in IMPORT_FIELDS if self.cleaned_data[name]}
