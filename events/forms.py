from __future__ import annotations

import datetime as dt
import zipfile
import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cities.models import City
from events.enums import EventKind
from events.models import Delegate, Event
from events.selectors import IN_PERSON, ONLINE, archive_years
from events.zones import zone_name as zone_label
from portal.forms import BootstrapMixin, no_markup
from upr.forms import theme_filter_field
from upr.models import Theme

# --- Public filters ---------------------------------------------------------------------------------------


class EventFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices])
    theme = theme_filter_field()
    city = forms.ModelChoiceField(
        label=_("Host city"),
        queryset=City.objects.filter(events__isnull=False).distinct().order_by("name", "state"),
        required=False,
        empty_label=_("All cities"),
        to_field_name="slug",
    )
    mode = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[("", _("Either")), (ONLINE, _("Online")), (IN_PERSON, _("In person"))],
    )


class WebinarFilterForm(BootstrapMixin, forms.Form):
    theme = theme_filter_field()
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    speaker = forms.CharField(label=_("Speaker"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in archive_years()]]


# --- Organizer forms --------------------------------------------------------------------------------------

# Offered first in the time zone box; any IANA zone may be typed.
COMMON_TIME_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Pacific/Guam",
    # Geneva, where the Human Rights Council meets, keeps Zurich's time (the IANA database has no Europe/Geneva).
    "Europe/Zurich",
    "UTC",
]

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
SLIDES_MAX_BYTES = 20 * 1024 * 1024
SLIDES_EXTENSIONS = {"pdf", "pptx", "odp"}
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time from a datetime-local input, kept naive: the form applies the event's own time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(str(value).strip()).replace(second=0, microsecond=0)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def _aware(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The wall time in `zone`, or None when it does not exist there (the hour skipped when clocks go forward)."""
    if wall.tzinfo is not None:
        return wall
    aware = wall.replace(tzinfo=zone)
    back = aware.astimezone(dt.UTC).astimezone(zone)
    return aware if back.replace(tzinfo=None) == wall else None


def check_slides(upload) -> None:
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in SLIDES_EXTENSIONS:
        raise ValidationError(_("Slides must be a PDF, PowerPoint (.pptx) or OpenDocument (.odp) file."))
    if upload.size > SLIDES_MAX_BYTES:
        raise ValidationError(_("Slides can be at most 20 MB."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    problem = _("This file is not really a %(kind)s file.") % {"kind": extension.upper()}
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            raise ValidationError(problem)
        return
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError(problem)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if extension == "pptx":
                ok = "ppt/presentation.xml" in names
            else:
                ok = "mimetype" in names and archive.read("mimetype").strip() == ODP_MIMETYPE
    except (zipfile.BadZipFile, KeyError, OSError):
        ok = False
    finally:
        upload.seek(0)
    if not ok:
        raise ValidationError(problem)


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(title) or "event")[:200].strip("-") or "event"
    taken = set(Event.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


class EventForm(BootstrapMixin, forms.ModelForm):
    """An organizer's event. Times are typed as wall-clock times in the event's own time zone."""

    WALL_TIMES = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]

    title = forms.CharField(label=_("Title"), max_length=200, validators=[no_markup])
    starts_at = LocalDateTimeField(label=_("Starts at"), help_text=_("In the event's time zone."))
    ends_at = LocalDateTimeField(label=_("Ends at"), help_text=_("In the event's time zone."))
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        initial="America/New_York",
        help_text=_("Pick one from the list or type another, e.g. America/Chicago."),
        widget=forms.TextInput(attrs={"list": "time-zone-choices", "autocomplete": "off"}),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False, validators=[no_markup])
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Empty means no limit."),
        error_messages={"min_value": _("Capacity must be at least 1, or empty for no limit.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    registration_opens_at = LocalDateTimeField(label=_("Registration opens"), required=False)
    registration_closes_at = LocalDateTimeField(label=_("Registration closes"), required=False)

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "online_url",
            "themes",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "status",
            "recording_url",
            "slides",
            "transcript",
            "materials_elsewhere_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "transcript": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own blank label ("- Select an option -") has no Spanish translation yet.
        self.fields["kind"].choices = [("", _("Choose the kind of event")), *EventKind.choices]
        self.fields["description"].max_length = 20_000
        self.fields["transcript"].max_length = 500_000
        self.fields["slides"].help_text = _("PDF, PowerPoint (.pptx) or OpenDocument (.odp), at most 20 MB.")
        instance = self.instance
        if instance.pk:
            # Show the stored UTC instants as wall-clock times in the event's zone.
            zone = zoneinfo.ZoneInfo(instance.time_zone)
            for name in self.WALL_TIMES:
                value = getattr(instance, name)
                if value is not None:
                    self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"].strip()
        if zone not in _zones():
            raise ValidationError(
                _("“%(zone)s” is not a time zone we know. Give one such as America/Chicago."), params={"zone": zone}
            )
        return zone

    def clean_slides(self):
        slides = self.cleaned_data.get("slides")
        # A new upload has a content_type; the file already stored does not need checking again.
        if slides and hasattr(slides, "content_type"):
            check_slides(slides)
        return slides

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        # Without a valid zone the form is refused anyway (time_zone has the error); UTC keeps the rest checkable.
        zone = zoneinfo.ZoneInfo(zone_name or "UTC")
        for name in self.WALL_TIMES:
            wall = data.get(name)
            if wall is None:
                continue
            aware = _aware(wall, zone)
            if aware is None:
                self.add_error(
                    name,
                    _("%(time)s does not exist in %(zone)s (the clocks go forward then). Pick another time.")
                    % {"time": wall.strftime("%H:%M"), "zone": zone_label(zone_name)},
                )
            else:
                data[name] = aware
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error("registration_closes_at", _("Registration cannot close before it opens."))
        return data

    def save(self, commit: bool = True):
        event = super().save(commit=False)
        if not event.slug:
            event.slug = unique_slug(event.title)
        if commit:
            event.save()
            self.save_m2m()
        return event


class DelegateForm(BootstrapMixin, forms.ModelForm):
    name = forms.CharField(label=_("Name"), max_length=150, validators=[no_markup])
    travel_note = forms.CharField(
        label=_("Travel and access needs"),
        max_length=500,
        required=False,
        validators=[no_markup],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Delegate
        fields = ["name", "email", "needs_travel_support", "travel_note"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if Delegate.objects.filter(event=self.instance.event, email__iexact=email).exists():
            raise ValidationError(_("This person is already a delegate for this event."))
        return email
