from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin, HoneypotMixin, no_markup
from reports.quotes import inside_public_version
from testimony.uploads import prepare
from tracking.enums import EvidenceKind, Level, TrackingStatus
from tracking.models import Office, StatusUpdate, TrackedItem
from tracking.selectors import NOT_ASSESSED, quotable_testimony
from tracking.services import DEFAULT_REPLY_DAYS, MAX_REPLY_DAYS, EvidenceInput
from upr.enums import Response
from upr.forms import ReviewChoiceField, theme_filter_field
from upr.models import ReviewCycle

# Evidence documents are papers and pictures (minutes, letters, photos of a site): no audio or video.
EVIDENCE_CATEGORIES = {"pdf", "image"}


class ScorecardFilterForm(BootstrapMixin, forms.Form):
    theme = theme_filter_field()
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *TrackingStatus.choices, (NOT_ASSESSED, _("Not assessed yet"))],
    )
    level = forms.ChoiceField(
        label=_("Level of government"), required=False, choices=[("", _("Any level")), *Level.choices]
    )
    cycle = forms.ModelChoiceField(
        label=_("Review"),
        queryset=ReviewCycle.objects.order_by("number"),
        required=False,
        empty_label=_("All reviews"),
        to_field_name="number",
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"theme": data["theme"], "status": data["status"], "level": data["level"], "cycle": data["cycle"]}


class ChooseFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Words or paragraph number"), required=False, max_length=200)
    theme = theme_filter_field()
    cycle = ReviewChoiceField(
        label=_("Review"),
        queryset=ReviewCycle.objects.with_recommendations().order_by("number"),
        required=False,
        empty_label=_("All reviews"),
    )
    response = forms.ChoiceField(
        label=_("US response"), choices=[("", _("Any response")), *Response.choices], required=False
    )
    state = forms.CharField(label=_("Recommending state"), required=False, max_length=100)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class OfficeForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Office
        fields = ["name", "level", "contact_email"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        no_markup(name)
        return name

    def validate_unique(self) -> None:
        # The office's city is set by the view, not by the form: check the city's names here.
        super().validate_unique()
        name = self.cleaned_data.get("name")
        if (
            name
            and Office.objects.filter(city=self.instance.city, name__iexact=name).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error("name", _("Your city already lists an office with this name."))


class ItemForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TrackedItem
        fields = ["level", "office"]

    def __init__(self, *args, city, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(city=city).order_by("level", "name")
        self.fields["office"].empty_label = _("Not named yet")


class QuickUpdateForm(BootstrapMixin, forms.Form):
    """The board's one-line update: a status, what changed, observed today unless said otherwise."""

    status = forms.ChoiceField(label=_("New status"), choices=TrackingStatus.choices)
    what_changed = forms.CharField(label=_("What changed"), max_length=2000)
    observed_on = forms.DateField(
        label=_("Date observed"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def clean_observed_on(self):
        value = self.cleaned_data["observed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date observed cannot be in the future."), code="future")
        return value


class UpdateForm(QuickUpdateForm):
    """A full status update: the status, what changed, when, what it corrects, and its evidence."""

    what_changed = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    corrects = forms.ModelChoiceField(
        label=_("This corrects an earlier update"),
        queryset=StatusUpdate.objects.none(),
        required=False,
        empty_label=_("No: it is a new assessment"),
        help_text=_("The earlier update stays in the history, marked as corrected."),
    )
    link_url = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")
    link_title = forms.CharField(label=_("What the link shows"), required=False, max_length=200)
    document = forms.FileField(
        label=_("Evidence document (PDF or image)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )
    document_title = forms.CharField(label=_("Title of the document"), required=False, max_length=200)
    document_public = forms.BooleanField(
        label=_("The document may be shown publicly"),
        required=False,
        help_text=_("Unticked, only your city's organizers can open it."),
    )
    testimony = forms.ModelChoiceField(
        label=_("Quote a testimony"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("Only testimony whose consent allows public advocacy is offered."),
    )
    excerpt = forms.CharField(
        label=_("Excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copied word for word from the testimony's public version; empty quotes all of it."),
    )

    def __init__(self, *args, item: TrackedItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["corrects"].queryset = StatusUpdate.objects.filter(item=item).order_by("-pk")
        self.fields["corrects"].label_from_instance = lambda u: f"{u.observed_on:%Y-%m-%d}: {u.get_status_display()}"
        self.fields["testimony"].queryset = quotable_testimony(item.city)
        self.fields["testimony"].label_from_instance = lambda t: f"#{t.pk} {t.public_title or t.public_body[:60]}"

    def clean_link_title(self) -> str:
        value = self.cleaned_data["link_title"].strip()
        no_markup(value)
        return value

    def clean_document_title(self) -> str:
        value = self.cleaned_data["document_title"].strip()
        no_markup(value)
        return value

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        media, content = prepare(upload)
        if media.category not in EVIDENCE_CATEGORIES:
            raise ValidationError(_("Evidence documents are PDF files or images."), code="bad_type")
        return content

    def clean(self):
        data = super().clean()
        if data.get("link_title") and not data.get("link_url"):
            self.add_error("link_url", _("Give the link the title describes."))
        if data.get("document") and not data.get("document_title"):
            self.add_error("document_title", _("Give the document a title."))
        testimony = data.get("testimony")
        if data.get("excerpt") and testimony is None:
            self.add_error("testimony", _("Choose the testimony the excerpt comes from."))
        if testimony is not None and not inside_public_version(testimony, data.get("excerpt", "")):
            self.add_error(
                "excerpt", _("The excerpt must be copied word for word from the testimony's public version.")
            )
        return data

    def evidence(self) -> list[EvidenceInput]:
        data = self.cleaned_data
        found = []
        if data.get("link_url"):
            found.append(EvidenceInput(EvidenceKind.LINK, title=data["link_title"], url=data["link_url"]))
        if data.get("document"):
            found.append(
                EvidenceInput(
                    EvidenceKind.DOCUMENT,
                    title=data["document_title"],
                    document=data["document"],
                    is_public=data["document_public"],
                )
            )
        if data.get("testimony") is not None:
            found.append(EvidenceInput(EvidenceKind.TESTIMONY, testimony=data["testimony"], excerpt=data["excerpt"]))
        return found


class ReplyRequestForm(BootstrapMixin, forms.Form):
    days = forms.IntegerField(
        label=_("Days to answer"), min_value=1, max_value=MAX_REPLY_DAYS, initial=DEFAULT_REPLY_DAYS
    )


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)
    name = forms.CharField(
        label=_("Your name and title"),
        max_length=200,
        help_text=_("Shown with your answer if the organizers publish it."),
    )

    def clean_name(self) -> str:
        value = self.cleaned_data["name"].strip()
        no_markup(value)
        return value


class FollowForm(HoneypotMixin, BootstrapMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("We send a link to confirm it; nothing is sent before you confirm, and one click stops it."),
    )
