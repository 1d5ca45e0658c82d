from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin
from upr.enums import Response
from upr.models import AffectedGroup, ReviewCycle, SustainableDevelopmentGoal, Theme


def theme_filter_field() -> forms.ModelChoiceField:
    """The "filter by theme" field of every public list (themes by slug, so URLs stay readable)."""
    return forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        empty_label=_("All themes"),
        to_field_name="slug",
    )


class ReviewChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReviewCycle) -> str:
        # Offered and named as such: a review missing from the list reads as "it made no recommendations".
        if obj.awaits_import:
            return _("%(cycle)s: not yet imported") % {"cycle": obj}
        return str(obj)


class RecommendationFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    cycle = ReviewChoiceField(
        label=_("Review"),
        queryset=ReviewCycle.objects.with_recommendations().order_by("number"),
        required=False,
        empty_label=_("All reviews"),
    )
    theme = theme_filter_field()
    response = forms.ChoiceField(
        label=_("US response"), choices=[("", _("Any response")), *Response.choices], required=False
    )
    affected = forms.ModelChoiceField(
        label=_("Affected persons"),
        queryset=AffectedGroup.objects.all(),
        required=False,
        empty_label=_("Anyone"),
        to_field_name="slug",
    )
    sdg = forms.ModelChoiceField(
        label=_("Sustainable Development Goal"),
        queryset=SustainableDevelopmentGoal.objects.all(),
        required=False,
        empty_label=_("Any goal"),
        to_field_name="number",
    )
