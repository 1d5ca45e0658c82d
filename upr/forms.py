from django import forms
from django.utils.translation import gettext_lazy as _

from upr.enums import Response
from upr.models import ReviewCycle, Theme
from uprcities.forms import BootstrapMixin


class RecommendationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cycle = forms.ModelChoiceField(
        label=_("Review"),
        queryset=ReviewCycle.objects.filter(recommendations__isnull=False).distinct(),
        required=False,
        empty_label=_("All reviews"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )
    response = forms.ChoiceField(
        label=_("US response"), choices=[("", _("Any response")), *Response.choices], required=False
    )
