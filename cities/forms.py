from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from cities import geo, states
from cities.enums import ACTIVE_STATUSES, CityStatus, HelpOption, Role
from cities.models import City
from portal.forms import BootstrapMixin, HoneypotMixin, no_markup
from upr.forms import theme_filter_field


def state_choices(empty_label) -> list[tuple[str, str]]:
    return [("", empty_label), *states.state_choices()]


class DirectoryFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *[(s.value, s.label) for s in CityStatus if s in ACTIVE_STATUSES]],
    )
    theme = theme_filter_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = state_choices(_("All states"))


class GetInvolvedForm(BootstrapMixin, HoneypotMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, validators=[no_markup])
    email = forms.EmailField(label=_("Your email"), max_length=254)
    help_with = forms.MultipleChoiceField(
        label=_("How would you like to help?"),
        choices=HelpOption.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one way to help.")},
    )
    message = forms.CharField(
        label=_("Anything else the organizers should know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CityRequestForm(BootstrapMixin, HoneypotMixin, forms.Form):
    state = forms.ChoiceField(label=_("State"))
    place = forms.ChoiceField(
        label=_("City"),
        required=False,
        help_text=_("Places of more than 15,000 people in the state you picked. Not in the list? Type it below."),
    )
    city_name_other = forms.CharField(
        label=_("City not in the list"), required=False, max_length=120, validators=[no_markup]
    )
    coalition_name = forms.CharField(label=_("Coalition or organisation"), max_length=200, validators=[no_markup])
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, validators=[no_markup])
    contact_email = forms.EmailField(label=_("Contact email"), max_length=254)
    why = forms.CharField(
        label=_("Why does your city want to take part?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences: who is involved, what human rights issues matter most locally."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = state_choices(_("Choose a state"))
        # With JavaScript, choosing a state reloads the city list (htmx); without, the list comes with the errors.
        self.fields["state"].widget.attrs.update(
            {
                "data-hx-get": reverse_lazy("cities:join_places"),
                "data-hx-target": "#id_place",
                "data-hx-trigger": "change",
            }
        )
        state = (self.data.get(self.add_prefix("state")) or self.initial.get("state") or "").upper()
        self.fields["place"].choices = place_choices(state)

    def clean(self):
        cleaned = super().clean()
        state = cleaned.get("state")
        place_id = cleaned.get("place")
        other = (cleaned.get("city_name_other") or "").strip()
        if not state or "place" in self.errors:
            return cleaned
        place = geo.place_by_id(int(place_id), state) if place_id else None
        if place is None and not other:
            self.add_error("place", _("Pick your city from the list, or type its name in “City not in the list”."))
            return cleaned
        cleaned["city_name"] = place.name if place else other
        cleaned["geonameid"] = place.geonameid if place else None
        existing = City.objects.active().filter(name__iexact=cleaned["city_name"], state=state).first()
        if existing:
            self.add_error(
                "place" if place else "city_name_other",
                _("%(city)s is already taking part: contact its organizers from the city page.") % {"city": existing},
            )
        return cleaned

    def request_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "state": data["state"],
            "city_name": data["city_name"],
            "geonameid": data["geonameid"],
            "coalition_name": data["coalition_name"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "why": data["why"],
        }


def place_choices(state: str) -> list[tuple[str, str]]:
    places = geo.places_in_state(state) if state else ()
    if not places:
        return [("", _("Choose a state first"))]
    return [("", _("Choose a city")), *[(str(p.geonameid), p.name) for p in places]]


class InviteForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.ORGANIZER)
