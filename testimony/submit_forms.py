"""The public testimony form and the private link's consent form (DESIGN.md section 5)."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin, HoneypotMixin, no_markup
from testimony import uploads
from testimony.enums import Identification, Nature
from testimony.models import USE_FIELDS, ConsentText, Testimony
from upr.models import Theme

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish")), ("other", _("Another language"))]

ADULT = "adult"
MINOR_WITH_GUARDIAN = "minor_guardian"
MINOR = "minor"
AGE_CHOICES = [
    (ADULT, _("I am 18 or older")),
    (MINOR_WITH_GUARDIAN, _("I am under 18, and a parent or guardian agrees to my sharing this")),
    (MINOR, _("I am under 18, without a parent's or guardian's agreement: only the organizers will read it")),
]


_phone = RegexValidator(r"^\+?[0-9 ().\-]{5,40}$", _("Please give a phone number with digits only (and + ( ) - .)."))


def age_flags(age: str) -> tuple[bool, bool]:
    """(age_confirmed, guardian_consent) for an answer to the age question."""
    return age == ADULT, age == MINOR_WITH_GUARDIAN


def age_answer(testimony: Testimony) -> str:
    if testimony.age_confirmed:
        return ADULT
    return MINOR_WITH_GUARDIAN if testimony.guardian_consent else MINOR


class ConsentFieldsMixin(forms.Form):
    """How to be identified, each use on its own, contact and precision: shared by both forms."""

    identification = forms.ChoiceField(
        label=_("How should we name you where your words appear?"),
        choices=Identification.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how we should name you, or to stay anonymous."),
            "invalid_choice": _("Please choose one of the ways to be named."),
        },
    )
    display_name = forms.CharField(
        label=_("The name to show"),
        required=False,
        max_length=150,
        validators=[no_markup],
        help_text=_("Your full name, your first name or a pseudonym, as you chose above. Leave empty if anonymous."),
    )
    allows_portal = forms.BooleanField(label=_("Show it on this portal, where anyone can read it."), required=False)
    allows_local_report = forms.BooleanField(
        label=_("Quote it in our city's local report, which is published."), required=False
    )
    allows_national_report = forms.BooleanField(
        label=_("Quote it in the national report sent to the United Nations. Once sent, it cannot be taken back."),
        required=False,
    )
    allows_advocacy = forms.BooleanField(
        label=_("Use it in public advocacy: with journalists, officials and on social media."), required=False
    )
    allows_contact = forms.BooleanField(
        label=_("The organizers may contact me about my testimony (with the email or phone I give below)."),
        required=False,
    )
    less_precise = forms.BooleanField(
        label=_("Make the place and the dates less precise wherever my testimony is used."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")

    def clean(self):
        cleaned = super().clean()
        identification = cleaned.get("identification")
        name = (cleaned.get("display_name") or "").strip()
        if identification == Identification.ANONYMOUS:
            cleaned["display_name"] = ""
        elif identification and "display_name" not in self.errors and not name:
            self.add_error("display_name", _("Please give the name to show, or choose to stay anonymous."))
        else:
            cleaned["display_name"] = name
        return cleaned


class TestimonyForm(BootstrapMixin, HoneypotMixin, ConsentFieldsMixin, forms.Form):
    title = forms.CharField(label=_("A title (optional)"), required=False, max_length=200, validators=[no_markup])
    body = forms.CharField(
        label=_("What happened?"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("In your own words, in any language. Up to 20,000 characters."),
        error_messages={"required": _("Please tell us what happened.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Which themes does it touch? (optional)"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nature = forms.ChoiceField(
        label=_("Is it about a challenge or a positive practice?"),
        choices=Nature.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please say whether it is a challenge or a positive practice.")},
    )
    language = forms.ChoiceField(label=_("Language of your testimony"), choices=LANGUAGE_CHOICES)
    media_link = forms.URLField(
        label=_("A link to a video or audio (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("For example on YouTube or Vimeo."),
    )
    media_file = forms.FileField(
        label=_("Or a file (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
        help_text=_(
            "Images (JPEG, PNG, WebP) up to 10 MB, audio (MP3, M4A, WAV) up to 50 MB, videos (MP4, MOV) up to "
            "200 MB, PDF up to 20 MB. We remove hidden details (location, camera, author) from every file."
        ),
    )
    media_caption = forms.CharField(
        label=_("Caption (optional)"), required=False, max_length=300, validators=[no_markup]
    )
    transcript = forms.CharField(
        label=_("Transcript (optional)"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is said in the video or audio, for people who cannot hear or watch it."),
    )
    place_text = forms.CharField(
        label=_("Where did it happen? (optional)"), required=False, max_length=200, validators=[no_markup]
    )
    occurred_on = forms.DateField(
        label=_("When did it happen? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    age = forms.ChoiceField(
        label=_("Your age"),
        choices=AGE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "Under 18 without a parent's or guardian's agreement, your testimony is read by the organizers only: "
            "it is never shown, quoted or used in public, whatever you tick above."
        ),
        error_messages={"required": _("Please answer the question about your age.")},
    )
    contact_name = forms.CharField(
        label=_("Your name (optional, never shown)"), required=False, max_length=150, validators=[no_markup]
    )
    contact_email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        max_length=254,
        help_text=_("We send you a private link to read, change or withdraw your testimony."),
    )
    contact_phone = forms.CharField(
        label=_("Your phone (optional)"), required=False, max_length=40, validators=[_phone]
    )
    consent_version = forms.CharField(widget=forms.HiddenInput)

    field_order = [
        "title",
        "body",
        "themes",
        "nature",
        "language",
        "media_link",
        "media_file",
        "media_caption",
        "transcript",
        "place_text",
        "occurred_on",
        "identification",
        "display_name",
        *USE_FIELDS,
        "allows_contact",
        "age",
        "less_precise",
        "contact_name",
        "contact_email",
        "contact_phone",
    ]

    def __init__(self, *args, consent_text: ConsentText, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text
        self.fields["consent_version"].initial = consent_text.version
        self.media_type: uploads.MediaType | None = None

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Please tell us what happened."), code="required")
        return body

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."), code="future")
        return day

    def clean_media_file(self):
        upload = self.cleaned_data.get("media_file")
        if upload:
            self.media_type = uploads.check_upload(upload)
        return upload

    def clean_consent_version(self):
        version = self.cleaned_data["consent_version"]
        if version != self.consent_text.version:
            raise forms.ValidationError(
                _("The consent wording has just changed. Please read it again below before sending."),
                code="stale_consent",
            )
        return version

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("media_link") and cleaned.get("media_file"):
            self.add_error("media_file", _("Please give either a link or a file, not both."))
        if cleaned.get("age") == MINOR:
            for name in USE_FIELDS:
                cleaned[name] = False
        has_contact = cleaned.get("contact_email") or cleaned.get("contact_phone")
        if cleaned.get("allows_contact") and not has_contact and not self.has_error("contact_email"):
            self.add_error(
                "contact_email", _("To be contacted, give an email or a phone number (or untick the permission).")
            )
        return cleaned

    def submission(self) -> dict:
        """The keyword arguments of services.submit_testimony."""
        data = self.cleaned_data
        age_confirmed, guardian_consent = age_flags(data["age"])
        return {
            "title": data["title"].strip(),
            "body": data["body"],
            "themes": list(data["themes"]),
            "nature": data["nature"],
            "language": data["language"],
            "media_link": data["media_link"],
            "media_file": data["media_file"] or None,
            "media_caption": data["media_caption"].strip(),
            "transcript": data["transcript"],
            "place_text": data["place_text"].strip(),
            "occurred_on": data["occurred_on"],
            "identification": data["identification"],
            "display_name": data["display_name"],
            **{name: data[name] for name in USE_FIELDS},
            "allows_contact": data["allows_contact"],
            "age_confirmed": age_confirmed,
            "guardian_consent": guardian_consent,
            "less_precise": data["less_precise"],
            "contact_name": data["contact_name"].strip(),
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"].strip(),
        }


class ConsentChangeForm(BootstrapMixin, ConsentFieldsMixin, forms.Form):
    """What the person may change with their private link. The national-report use is locked on once the
    testimony has been sent to the UN: what was sent cannot be recalled."""

    def __init__(self, *args, testimony: Testimony, **kwargs):
        initial = {
            "identification": testimony.identification,
            "display_name": testimony.display_name,
            **{name: getattr(testimony, name) for name in (*USE_FIELDS, "allows_contact", "less_precise")},
            # What the person asked for and organizers have not reviewed yet: shown as asked, so that saving
            # the form again does not take the request back.
            **testimony.pending_consent,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.testimony = testimony
        if testimony.sent_to_un_at and testimony.allows_national_report:
            # A disabled field keeps its initial value whatever is posted.
            self.fields["allows_national_report"].disabled = True
        if not (testimony.age_confirmed or testimony.guardian_consent):
            for name in USE_FIELDS:
                self.fields[name].disabled = True

    @property
    def national_report_locked(self) -> bool:
        return self.fields["allows_national_report"].disabled and self.testimony.allows_national_report

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}
