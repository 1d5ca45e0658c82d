"""sitemap.xml: every public page, each list read from the owning app's public selector."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cities.selectors import directory_cities
from events.selectors import archived_webinars, public_events
from reports.selectors import cities_with_published_report
from resources.selectors import public_resources
from testimony.selectors import filter_public_testimony
from tracking.selectors import public_scorecard_cities


def _bare(items):
    """A public selector's rows without the relations its pages load: the sitemap needs their addresses only."""
    return items.select_related(None).prefetch_related(None)


class PortalSitemap(Sitemap):
    """Addresses on SITE_URL, whatever the sites framework's row says."""

    limit = 5000

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(PortalSitemap):
    """The portal's fixed public pages."""

    def items(self) -> list[str]:
        return [
            "home",
            "about_upr",
            "upr:recommendations",
            "cities:directory",
            "events:list",
            "events:webinars",
            "testimony:list",
            "open_data",
            "api_reference",
            "tracking:network",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class CitySitemap(PortalSitemap):
    def items(self):
        return _bare(directory_cities()).only("slug")

    def location(self, item) -> str:
        return item.get_absolute_url()


class LocalReportSitemap(PortalSitemap):
    def items(self) -> list[str]:
        return cities_with_published_report()

    def location(self, item: str) -> str:
        return reverse("reports:public", kwargs={"slug": item})


class EventSitemap(PortalSitemap):
    def items(self):
        return _bare(public_events()).only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class WebinarSitemap(PortalSitemap):
    def items(self):
        return archived_webinars().only("slug", "updated_at")

    def location(self, item) -> str:
        return reverse("events:webinar_detail", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at


class TestimonySitemap(PortalSitemap):
    """No lastmod: a date more precise than the person allowed must not reach a public place."""

    def items(self):
        return _bare(filter_public_testimony()).only("pk")

    def location(self, item) -> str:
        return reverse("testimony:detail", kwargs={"pk": item.pk})


class ResourceSitemap(PortalSitemap):
    def items(self):
        return _bare(public_resources()).only("slug")

    def location(self, item) -> str:
        return reverse("resources:detail", kwargs={"slug": item.slug})


class ScorecardSitemap(PortalSitemap):
    """The scorecard of each city of the directory that tracks something."""

    def items(self):
        return public_scorecard_cities().only("slug")

    def location(self, item) -> str:
        return reverse("tracking:scorecard", kwargs={"slug": item.slug})


SITEMAPS = {
    "pages": PagesSitemap,
    "cities": CitySitemap,
    "reports": LocalReportSitemap,
    "events": EventSitemap,
    "webinars": WebinarSitemap,
    "testimony": TestimonySitemap,
    "resources": ResourceSitemap,
    "scorecards": ScorecardSitemap,
}
