from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The main navigation; an entry whose page is not installed is left out.
NAVIGATION = [
    ("cities:directory", _("Cities")),
    ("testimony:list", _("Testimony")),
    ("events:list", _("Events")),
    ("events:webinars", _("Webinars")),
    ("upr:recommendations", _("Recommendations")),
    ("resources:list", _("Resources")),
    ("about_upr", _("About the UPR")),
]


def _navigation(path: str) -> list[tuple[str, str, bool]]:
    items = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append((url, label, path.startswith(url)))
    return items


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "DEMO_MODE": settings.DEMO_MODE,
        "main_navigation": _navigation(request.path),
    }
