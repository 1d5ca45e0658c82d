from django import forms
from django.utils.translation import gettext_lazy as _

from upr.enums import Response
from upr.models import ReviewCycle, Theme
from uprcities.forms import BootstrapMixin


def theme_filter_field() -> forms.ModelChoiceField:
    """The "filter by theme" field of every public list (themes by slug, so URLs stay readable)."""
    return forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )


class RecommendationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cycle = forms.ModelChoiceField(
        label=_("Review"),
        queryset=ReviewCycle.objects.filter(recommendations__isnull=False).distinct(),
        required=False,
        empty_label=_("All reviews"),
    )
    theme = theme_filter_field()
    response = forms.ChoiceField(
        label=_("US response"), choices=[("", _("Any response")), *Response.choices], required=False
    )
