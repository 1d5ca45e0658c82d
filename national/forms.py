from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
