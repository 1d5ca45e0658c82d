"""The layout a person sees at desktop (1280 px) and phone (390 px) widths: the navigation bar keeps to one row in
English and Spanish, signed out and signed in (an organizer, the national team); the organizer pages and the admin
pages the portal customised fit the phone's screen (nothing to scroll sideways)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot
from tests.browser.test_testimony import in_language
from tests.pages import build_world

LANGUAGES = ["en", "es"]

NAV_ROWS = """() => {
  const items = [...document.querySelectorAll('nav.navbar .navbar-brand, nav.navbar .navbar-nav > .nav-item')];
  const visible = items.filter(e => e.getBoundingClientRect().width > 0);
  return {count: visible.length, rows: new Set(visible.map(e => Math.round(e.getBoundingClientRect().top
    + e.getBoundingClientRect().height / 2))).size, height: document.querySelector('nav.navbar').offsetHeight};
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def set_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


@pytest.mark.parametrize("language", LANGUAGES)
def test_navigation_is_one_row_at_1280px_signed_out_and_signed_in(
    live_server, page, transactional_db, user_factory, request, language
):
    world = build_world(user_factory)
    page.set_viewport_size({"width": 1280, "height": 900})
    set_language(page, live_server, language)
    # Signed out: brand, 7 sections, log in, sign up, the language switch.
    people = [(None, 11), (world.coordinator, 11), (world.staff, 11)]
    for person, items in people:
        if person is not None:
            log_in(page.context, live_server, person)
        page.goto(live_server.url + "/")
        layout = page.evaluate(NAV_ROWS)
        who = person.email if person else "signed out"
        assert (layout["count"], layout["rows"]) == (items, 1), f"{who}, {language}: {layout}"
        assert layout["height"] <= 60, f"{who}, {language}: the bar is {layout['height']} px high"
        save_screenshot(page, request, f"navigation-{language}-{who}")

    # The national team's pages are in the account menu; the other language is one button, named in itself.
    account = page.get_by_role("button", name=in_language(language, "Account"))
    account.click()
    menu = page.locator("nav.navbar .dropdown-menu")
    expect(menu.get_by_role("link", name=in_language(language, "Progress of the cities"))).to_be_visible()
    expect(menu.get_by_role("link", name=in_language(language, "Admin"), exact=True)).to_be_visible()
    other = {"en": "Español", "es": "English"}[language]
    switch = page.locator("nav.navbar form.language-form button")
    expect(switch).to_have_count(1)
    expect(switch).to_have_text(f"{in_language(language, 'Language:')} {other}")
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", {"en": "es", "es": "en"}[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_organizer_and_admin_pages_fit_a_390px_screen(
    live_server, page, transactional_db, user_factory, request, language
):
    """No page scrolls sideways: the moderation queue and the report's versions table stack their cells, the
    admin's joint submitters are stacked, the OHCHR checks table fits."""
    world = build_world(user_factory)
    page.set_viewport_size({"width": 390, "height": 844})
    set_language(page, live_server, language)
    failures = []

    log_in(page.context, live_server, world.coordinator)
    for path in world.organizer_pages():
        page.goto(live_server.url + path)
        if (overflow := page.evaluate(OVERFLOW)) > 0:
            failures.append(f"{path}: {overflow} px wider than the screen")
    page.goto(live_server.url + "/organize/pittsburgh-pa/testimony/")
    # The world's three testimonies, and the one its tracking quotes as evidence.
    expect(page.locator("main table.table-stack tbody tr")).to_have_count(4)
    save_screenshot(page, request, f"moderation-queue-390-{language}")
    page.goto(live_server.url + "/organize/pittsburgh-pa/report/")
    versions = page.locator("main table.table-stack").filter(has_text=world.coordinator.email)
    expect(versions).to_have_count(1)
    versions.scroll_into_view_if_needed()
    save_screenshot(page, request, f"report-versions-390-{language}")

    log_in(page.context, live_server, world.staff)
    for path in [*world.staff_pages(), *world.admin_pages()]:
        page.goto(live_server.url + path)
        if (overflow := page.evaluate(OVERFLOW)) > 0:
            failures.append(f"{path}: {overflow} px wider than the screen")
    page.goto(live_server.url + f"/admin/national/nationalreport/{world.national_report.pk}/change/")
    expect(page.locator("#joint_submitters-group .inline-related:not(.empty-form)")).to_have_count(3)
    save_screenshot(page, request, f"admin-national-report-390-{language}")
    assert not failures, "\n".join(failures)
