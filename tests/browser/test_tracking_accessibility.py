"""axe-core on the tracking pages, in English and Spanish: the public scorecards, the office's private reply page
and the organizers' tracking pages over the world of tests/pages.py."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import LANGUAGES, check_pages, set_language
from tests.pages import CITY, build_world


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_tracking_pages_have_no_serious_or_critical_axe_violations(
    live_server, page, transactional_db, user_factory, language
):
    from django.conf import settings

    from tracking import services

    world = build_world(user_factory)
    set_language(page, live_server, language)
    public = [
        "/scorecard/",
        f"/cities/{CITY}/scorecard/",
        f"/cities/{CITY}/scorecard/?status=partly_implemented",
        f"/cities/{CITY}/",
        f"/scorecard/follow/?city={CITY}",
        services.reply_url(world.reply).removeprefix(settings.SITE_URL),
    ]
    check_pages(page, live_server, public, language)
    log_in(page.context, live_server, world.coordinator)
    check_pages(page, live_server, [path for path in world.organizer_pages() if "/tracking/" in path], language)
