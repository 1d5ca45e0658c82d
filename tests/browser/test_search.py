"""Flow 7 of DESIGN.md: a resident searches from the header in Spanish ("vivienda"), opens a recommendation, a
city's scorecard item, a webinar and a resource from the results, and narrows the results by a facet. Screenshots
of the results page at a phone's width and a desktop's."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot


def search_from_header(page, live_server, words: str) -> None:
    page.goto(live_server.url + "/")
    box = page.get_by_role("search", name="Buscar en el portal").get_by_label("Buscar en el portal")
    box.fill(words)
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Buscar")


def test_search_from_the_header_in_spanish_open_results_and_filter_by_facet(live_server, page, demo_data, request):
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})
    search_from_header(page, live_server, "vivienda")
    results = page.locator("ol.search-results > li")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("resultados para «vivienda»")
    # English texts found through their theme's Spanish name ("Vivienda y personas sin hogar") and through the
    # glossary (housing), and the demo cities' scorecard items on housing.
    expect(results).to_have_count(18)
    save_screenshot(page, request, "search-vivienda-es-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    save_screenshot(page, request, "search-vivienda-es-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A recommendation: its link opens the recommendation list on that paragraph.
    recommendation = results.filter(has_text="Recomendación de la ONU").first
    paragraph = recommendation.get_by_role("heading").inner_text().split(" · ")[0]
    recommendation.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(f"Párrafo {paragraph}")
    page.go_back()

    # A scorecard item: its link opens the city's scorecard at the item.
    scorecard_item = results.filter(has_text="Elemento del seguimiento").first
    scorecard_item.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/cities/[a-z-]+/scorecard/#item-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"#{anchor}")).to_be_visible()
    page.go_back()

    # A webinar.
    results.filter(has_text="Evento o seminario web").get_by_role(
        "link", name="Local & Global Strategies for Advancing the Human Right to Housing"
    ).click()
    expect(page).to_have_url(
        live_server.url + "/webinars/local-and-global-strategies-for-advancing-the-human-right-to-housing/"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Local & Global Strategies for Advancing the Human Right to Housing"
    )

    # A resource, found by its Spanish description.
    search_from_header(page, live_server, "diapositivas")
    page.locator("ol.search-results > li").first.get_by_role("link").click()
    expect(page).to_have_url(live_server.url + "/resources/upr-cities-webinar-2020-05-11-slides/")
    expect(page.get_by_role("main")).to_contain_text("Diapositivas")

    # Narrow by a facet: the kind "UN recommendation".
    search_from_header(page, live_server, "vivienda")
    facets = page.get_by_role("navigation", name="Acotar los resultados")
    total = int(
        facets.get_by_role("link", name="Recomendación de la ONU").locator("xpath=..").inner_text().split("(")[-1][:-1]
    )
    facets.get_by_role("link", name="Recomendación de la ONU").click()
    expect(page).to_have_url(live_server.url + "/search/?q=vivienda&kind=recommendation")
    expect(page.locator("ol.search-results > li")).to_have_count(total)
    expect(page.locator("ol.search-results")).not_to_contain_text("Evento o seminario web")
    expect(facets.get_by_role("link", name="quitar Recomendación de la ONU")).to_be_visible()
