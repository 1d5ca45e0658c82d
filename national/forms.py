from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from national.enums import ContactTopic
from portal.forms import BootstrapMixin, HoneypotMixin, no_markup


class SentToUNForm(forms.Form):
    """When the national report left for the UN (admin)."""

    sent_on = forms.DateField(
        label=_("Sent to the UN on"),
        initial=lambda: timezone.localdate(),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate():
            raise ValidationError(_("The date it was sent cannot be in the future."))
        return sent_on


class ContactForm(BootstrapMixin, HoneypotMixin, forms.Form):
    """A message to the national team (the contact page)."""

    topic = forms.ChoiceField(
        label=_("What is it about?"),
        choices=[("", _("Choose a topic")), *ContactTopic.choices],
        error_messages={"required": _("Please choose what your message is about.")},
    )
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[no_markup])
    email = forms.EmailField(
        label=_("Your email"), max_length=254, help_text=_("We answer at this address, and use it for nothing else.")
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=200, required=False, validators=[no_markup]
    )
    city_name = forms.CharField(label=_("Your city (optional)"), max_length=120, required=False, validators=[no_markup])
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Up to 5,000 characters."),
        error_messages={"required": _("Please write your message.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Please write your message."))
        return message
