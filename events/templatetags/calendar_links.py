"""Subscriptions to the calendar feeds, for the pages people look for them on (events list, city page, theme
filters)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


def webcal(url: str) -> str:
    """The same address with the webcal scheme, which calendar apps open as a subscription (the app then fetches
    it over HTTPS or HTTP, as the site serves it)."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", parts.netloc, parts.path, parts.query, ""))


@dataclass(frozen=True)
class Feed:
    label: str
    url: str  # absolute: a calendar app has no page to resolve a path against
    key: str  # unique on the page, for the address box's id

    @property
    def webcal_url(self) -> str:
        return webcal(self.url)


def _feed(path: str, label: str, key: str) -> Feed:
    return Feed(label, settings.SITE_URL.rstrip("/") + path, key)


@register.inclusion_tag("events/_subscribe.html")
def calendar_feeds(city=None, theme=None, *, everything: bool = True, heading: str = ""):
    """ "Subscribe" buttons (webcal links, which calendar apps open as a subscription) for one city's events,
    one theme's and, with `everything`, every event; and, for apps that add a calendar from its address (Google
    Calendar, Outlook on the web), the plain addresses to copy."""
    feeds = []
    if city is not None:
        feeds.append(
            _feed(
                reverse("events:feed_city", kwargs={"slug": city.slug}),
                _("Subscribe to the events in %(city)s") % {"city": city.name},
                f"city-{city.slug}",
            )
        )
    if theme is not None:
        feeds.append(
            _feed(
                reverse("events:feed_theme", kwargs={"slug": theme.slug}),
                _("Subscribe to the events on %(theme)s") % {"theme": theme.display_name},
                f"theme-{theme.slug}",
            )
        )
    if everything:
        feeds.append(_feed(reverse("events:feed"), _("Subscribe to every event"), "all"))
    return {"feeds": feeds, "heading": heading or _("Follow the events in your calendar")}
