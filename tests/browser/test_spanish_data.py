"""A visitor reading Spanish sees the data in Spanish too: the current review's note and the next milestone on the
home page, the About page's timelines, and the states by their Spanish names in the directory's filter and table,
on the map and on the city page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot


def test_spanish_pages_show_the_review_milestones_and_states_in_spanish(live_server, page, demo_data, request):
    from upr.models import Milestone, ReviewCycle

    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    current = ReviewCycle.objects.current()

    page.goto(live_server.url + "/")
    main = page.get_by_role("main")
    expect(main).to_contain_text(current.note_es)
    expect(main).not_to_contain_text(current.note)
    next_milestone = Milestone.objects.public().upcoming().first()
    expect(main).to_contain_text(next_milestone.title_es)
    save_screenshot(page, request, "home-es")

    page.goto(live_server.url + "/about-the-upr/")
    timeline = page.locator("main ul.timeline").first
    expect(timeline).to_contain_text("Examen de los Estados Unidos en el Grupo de Trabajo sobre el EPU")
    expect(page.get_by_role("main")).not_to_contain_text("Review of the United States in the UPR Working Group")
    save_screenshot(page, request, "about-es")

    page.goto(live_server.url + "/cities/")
    state = page.get_by_label("Estado")
    expect(state.locator("option[value=NY]")).to_have_text("Nueva York")
    state.select_option(label="Pensilvania")
    page.get_by_role("button", name="Filtrar").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Pittsburgh")
    expect(rows.first.locator("td").first).to_have_text("Pensilvania")
    dot = page.locator("svg.us-map").get_by_role("link", name="Pittsburgh, Pensilvania", exact=True)
    expect(dot).to_have_count(1)
    save_screenshot(page, request, "directory-es")
    dot.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pittsburgh, Pensilvania")
