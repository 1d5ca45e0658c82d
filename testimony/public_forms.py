from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cities.models import City
from portal.forms import BootstrapMixin
from testimony.enums import Nature
from testimony.models import Testimony
from upr.forms import theme_filter_field


class PublicTestimonyFilterForm(BootstrapMixin, forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities"), to_field_name="slug"
    )
    theme = theme_filter_field()
    nature = forms.ChoiceField(
        label=_("Challenge or positive practice"),
        required=False,
        choices=[
            ("", _("Both")),
            (Nature.CHALLENGE.value, _("Challenges")),
            (Nature.POSITIVE.value, _("Positive practices")),
        ],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *settings.LANGUAGES]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only cities with testimony to show: the list never offers a choice that can only come back empty.
        self.fields["city"].queryset = City.objects.filter(pk__in=Testimony.objects.public().values("city")).order_by(
            "name", "state"
        )
