from __future__ import annotations

import pytest


@pytest.fixture
def themes(db):
    from upr.loaders import load_themes

    load_themes()


@pytest.fixture
def real_cities(themes):
    """The portal's real cities (cities/data/cities.csv) and the SDSN figures imported for them."""
    from cities.loaders import load_cities
    from indicators.importer import import_sdsn
    from indicators.loaders import load_portal_indicators

    load_cities()
    load_portal_indicators()
    return import_sdsn()


@pytest.fixture
def eviction(themes):
    from indicators.loaders import load_portal_indicators
    from indicators.models import Indicator

    load_portal_indicators()
    return Indicator.objects.get(slug="eviction-filings")
