"""The public registration form of an event (shown in the registration panel of the event page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.enums import AccessNeed
from portal.forms import BootstrapMixin, HoneypotMixin, no_markup


class RegistrationForm(BootstrapMixin, HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[no_markup])
    email = forms.EmailField(
        label=_("Your email"), max_length=254, help_text=_("We send a link to confirm your registration here.")
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=200, required=False, validators=[no_markup]
    )
    city_name = forms.CharField(label=_("Your city (optional)"), max_length=120, required=False, validators=[no_markup])
    access_needs = forms.MultipleChoiceField(
        label=_("What would help you take part? (optional)"),
        choices=AccessNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    access_note = forms.CharField(
        label=_("Access needs, in your words (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the language you need, or what would make the place accessible to you."),
    )

    def clean(self):
        data = super().clean()
        if AccessNeed.OTHER in data.get("access_needs", []) and not data.get("access_note", "").strip():
            self.add_error("access_note", _("Tell us what you need, so the organizers can arrange it."))
        return data

    def registration_fields(self) -> dict:
        """What services.register takes (not the honeypot)."""
        names = ["name", "email", "organisation", "city_name", "access_needs", "access_note"]
        return {name: self.cleaned_data[name] for name in names}
