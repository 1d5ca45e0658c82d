from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin, no_markup
from resources.enums import Language, ResourceKind
from resources.files import ACCEPT, detect
from resources.models import Resource
from upr.forms import theme_filter_field
from upr.models import ReviewCycle, Theme


class ResourceFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *ResourceKind.choices], required=False)
    theme = theme_filter_field()
    cycle = forms.ModelChoiceField(
        label=_("Review"), queryset=ReviewCycle.objects.order_by("number"), required=False, empty_label=_("All reviews")
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any language")), *Language.choices], required=False
    )


class LanguagesField(forms.MultipleChoiceField):
    """The languages as checkboxes, stored as the model's comma-delimited codes."""

    def __init__(self, **kwargs):
        super().__init__(choices=Language.choices, widget=forms.CheckboxSelectMultiple, **kwargs)

    def clean(self, value) -> str:
        codes = super().clean(value)
        return "," + ",".join(sorted(set(codes))) + "," if codes else ""


class ResourceFileMixin:
    """Checks an uploaded file by its bytes (resources.files.detect) and says plainly why one is refused."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            self.detected_type = detect(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        file = cleaned.get("file")
        if file is None:  # nothing uploaded: the stored file stays (False means it is being cleared)
            file = getattr(self.instance, "file", None)
        if not file and not cleaned.get("link") and not self.has_error("file"):
            raise forms.ValidationError(_("Give a file, a link, or both."), code="file_or_link")
        return cleaned


class SuggestResourceForm(ResourceFileMixin, BootstrapMixin, forms.ModelForm):
    """What an organizer fills in to suggest a resource; the national team checks it before anyone sees it."""

    title = forms.CharField(label=_("Title"), max_length=300, validators=[no_markup])
    languages = LanguagesField(label=_("Languages"), required=False)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word, PowerPoint, Excel, OpenDocument, CSV or text; at most 50 MB."),
    )

    class Meta:
        model = Resource
        fields = ["title", "kind", "un_symbol", "cycle", "languages", "date", "link", "description", "suggestion_note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "description": forms.Textarea(attrs={"rows": 4})}
        labels = {"suggestion_note": _("Anything the national team should know (not published)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].empty_label = _("Not about one review")
        self.fields["suggestion_note"].widget.attrs["rows"] = 3


class ResourceAdminForm(ResourceFileMixin, forms.ModelForm):
    languages = LanguagesField(label=_("Languages"), required=False)
    file = forms.FileField(label=_("File"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    class Meta:
        model = Resource
        fields = [
            "title",
            "title_es",
            "slug",
            "kind",
            "un_symbol",
            "cycle",
            "themes",
            "languages",
            "file",
            "link",
            "description",
            "description_es",
            "date",
            "source_note",
            "status",
            "suggestion_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["languages"] = self.instance.language_codes
