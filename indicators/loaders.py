"""The network's own indicators (indicators/data/portal_indicators.csv), beside the SDSN set the importer loads."""

from __future__ import annotations

from indicators.importer import DATA, read_csv
from indicators.models import Indicator
from upr.models import Theme

PORTAL_INDICATORS = DATA / "portal_indicators.csv"
FIELDS = ["kind", "value_type", "name", "name_es", "description", "description_es", "unit", "better"]
FIELDS += ["sdg_target", "source_name", "source_url"]


def load_portal_indicators() -> int:
    """Create or update the portal's own indicators; idempotent. Answers how many the file defines."""
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    rows = read_csv(PORTAL_INDICATORS)
    for position, row in enumerate(rows, start=100):
        indicator, _created = Indicator.objects.update_or_create(
            slug=row["slug"], defaults={**{name: row[name] for name in FIELDS}, "position": position}
        )
        indicator.themes.set([themes[slug] for slug in row["themes"].split("; ") if slug in themes])
    return len(rows)
