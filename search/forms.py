from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import City
from portal.forms import BootstrapMixin
from search.enums import DocumentKind, IndexLanguage
from search.selectors import MAX_QUERY_LENGTH, Filters
from upr.forms import theme_filter_field
from upr.models import ReviewCycle


class SearchForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Everything")), *DocumentKind.choices], required=False)
    theme = theme_filter_field()
    cycle = forms.ModelChoiceField(
        label=_("Review"), queryset=ReviewCycle.objects.order_by("number"), required=False, empty_label=_("All reviews")
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.order_by("name"),
        required=False,
        empty_label=_("All cities"),
        to_field_name="slug",
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any language")), *IndexLanguage.choices], required=False
    )

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kind=data.get("kind") or "",
            theme=data.get("theme"),
            cycle=data.get("cycle"),
            city=data.get("city"),
            language=data.get("language") or "",
        )
