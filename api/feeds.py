"""Atom feeds of what the portal publishes: events, webinars (recordings), public testimony, resources and the
changes to the cities' scorecards.

Each feed reads the owning app's public selector, as the pages do, and is registered in `feeds` once: its URL
(/feeds/<key>.atom), the list on the open-data page and the sitemap follow. A feed of another app's items (the
resources library, scorecard changes) is one `PortalFeed` subclass and one `feeds.register(...)` line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from events.selectors import public_events, webinar_archive
from resources.selectors import filter_public_resources
from testimony.selectors import filter_public_testimony
from tracking.selectors import public_status_updates

ITEMS = 50


class PortalFeed(Feed):
    """An Atom feed with absolute links to SITE_URL (not whatever Host the request named)."""

    feed_type = Atom1Feed
    key = ""

    def link(self) -> str:
        return settings.SITE_URL + "/"

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("feed", kwargs={"key": self.key})

    def item_link(self, item) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django's feed id is built from the request's host: ours names the portal itself.
        feed.feed["id"] = self.feed_url()
        return feed

    # Most items have a title, a description and a creation time: a feed whose items differ says how.
    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.description

    def item_pubdate(self, item) -> dt.datetime:
        return item.created_at


class EventFeed(PortalFeed):
    key = "events"
    title = _("UPR Cities: events")
    subtitle = _("Events of the human rights cities taking part in the UN review, newest announced first.")

    def items(self):
        return public_events().order_by("-created_at", "-pk")[:ITEMS]

    def item_updateddate(self, item) -> dt.datetime:
        return item.updated_at


class WebinarFeed(EventFeed):
    key = "webinars"
    title = _("UPR Cities: webinar archive")
    subtitle = _("Past webinars with their recordings, newest first.")

    def items(self):
        return webinar_archive()[:ITEMS]

    def item_link(self, item) -> str:
        return settings.SITE_URL + reverse("events:webinar_detail", kwargs={"slug": item.slug})


class TestimonyFeed(PortalFeed):
    """Testimony shown on the portal (testimony.selectors): the public version only, the name as chosen, and a
    date no more precise than the person allowed (the year alone where they asked for less precision)."""

    key = "testimony"
    title = _("UPR Cities: testimony")
    subtitle = _("Testimony shared with the portal and shown with the consent of the people who gave it.")

    def items(self):
        return filter_public_testimony()[:ITEMS]

    def item_link(self, item) -> str:
        return settings.SITE_URL + reverse("testimony:detail", kwargs={"pk": item.pk})

    def item_title(self, item) -> str:
        return item.shown_title

    def item_description(self, item) -> str:
        return item.public_text

    def item_author_name(self, item) -> str:
        return item.shown_name or str(_("Anonymous"))

    def item_pubdate(self, item) -> dt.datetime:
        shown = item.shown_date(item.created_at)
        if shown.year_only:
            return timezone.make_aware(dt.datetime(shown.value.year, 1, 1))
        return item.created_at

    def item_updateddate(self, item) -> dt.datetime:
        return self.item_pubdate(item)


class ResourceFeed(PortalFeed):
    key = "resources"
    title = _("UPR Cities: resources")
    subtitle = _("Documents, reports, templates and recordings the national team published, newest first.")

    def items(self):
        return filter_public_resources().order_by("-created_at", "-pk")[:ITEMS]

    def item_link(self, item) -> str:
        return settings.SITE_URL + reverse("resources:detail", kwargs={"slug": item.slug})


class ScorecardFeed(PortalFeed):
    """The latest status updates of the directory's cities (tracking.selectors.public_status_updates): the status
    and what changed, linked to the item on the city's scorecard. Never its evidence (quoted testimony is resolved
    against today's consent on the page, which a feed reader's copy could not follow) nor the offices' answers."""

    key = "scorecard"
    title = _("UPR Cities: scorecard changes")
    subtitle = _("Where the recommendations the cities track stand: each new assessment, newest first.")

    def items(self):
        return public_status_updates()[:ITEMS]

    def _item_url(self, update) -> str:
        city = update.item.city
        return settings.SITE_URL + reverse("tracking:scorecard", kwargs={"slug": city.slug})

    def item_link(self, item) -> str:
        return self._item_url(item) + f"#item-{item.item_id}"

    def item_guid(self, item) -> str:
        # One entry per update: several updates of an item share its link.
        return self._item_url(item) + f"#update-{item.pk}"

    item_guid_is_permalink = False

    def item_title(self, item) -> str:
        tracked = item.item
        if tracked.recommendation_id is not None:
            return _("%(city)s: Recommendation %(paragraph)s — %(status)s") % {
                "city": tracked.city.name,
                "paragraph": tracked.recommendation.paragraph,
                "status": item.get_status_display(),
            }
        return _("%(city)s: own recommendation “%(text)s” — %(status)s") % {
            "city": tracked.city.name,
            "text": Truncator(tracked.local_recommendation.text).words(10),
            "status": item.get_status_display(),
        }

    def item_description(self, item) -> str:
        return item.what_changed

    def item_pubdate(self, item) -> dt.datetime:
        return item.recorded_at


@dataclass(frozen=True)
class FeedEntry:
    key: str
    label: str | Promise
    feed: type[PortalFeed]


class FeedRegistry:
    def __init__(self) -> None:
        self._feeds: dict[str, FeedEntry] = {}

    def register(self, feed: type[PortalFeed], label: str | Promise) -> None:
        self._feeds[feed.key] = FeedEntry(feed.key, label, feed)

    def get(self, key: str) -> FeedEntry | None:
        return self._feeds.get(key)

    def __iter__(self) -> Iterator[FeedEntry]:
        return iter(self._feeds.values())


feeds = FeedRegistry()
feeds.register(EventFeed, _("Events"))
feeds.register(WebinarFeed, _("Webinar recordings"))
feeds.register(TestimonyFeed, _("Testimony"))
feeds.register(ResourceFeed, _("Resources"))
feeds.register(ScorecardFeed, _("Scorecard changes"))
