"""An organizer adds a local eviction figure with its source; the city's profile shows it beside the SDSN figures,
with its line over the years and its reading, in English and in Spanish (DESIGN.md section 4, flow 8)."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot

SOURCE = "https://evictionlab.org/map/"


def test_organizer_adds_an_eviction_figure_and_the_profile_shows_it(
    live_server, page, demo_data, request, user_factory
):
    from cities.enums import Role
    from cities.models import City, Membership
    from indicators.models import Indicator, IndicatorValue
    from indicators.services import record_value

    city = City.objects.get(slug="pittsburgh-pa")
    eviction = Indicator.objects.get(slug="eviction-filings")
    organizer = user_factory("organizer@example.org")
    Membership.objects.create(user=organizer, city=city, role=Role.ORGANIZER)
    # Two earlier years, so the profile draws a line.
    for year, value in [(2021, "7.4"), (2022, "6.8")]:
        record_value(eviction, city, year=year, value=Decimal(value), source_url=SOURCE, source_name="Eviction Lab")

    log_in(page.context, live_server, organizer)
    page.goto(live_server.url + "/organize/pittsburgh-pa/profile/")
    page.get_by_role("link", name="Add a local figure").click()
    page.get_by_label("Indicator").select_option(label="Eviction filings (per 100 renter households)")
    page.get_by_label("Year the figure describes").fill("2023")
    page.get_by_role("spinbutton", name=re.compile(r"^Figure")).fill("6.1")
    page.get_by_role("button", name="Save").click()
    # Without a source the figure is refused, and what was typed is kept.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Give the figure's source: a link or a document.")
    expect(page.get_by_role("spinbutton", name=re.compile(r"^Figure"))).to_have_value("6.1")
    page.get_by_label("Source", exact=True).fill("Eviction Lab")
    page.get_by_label("Source link").fill(SOURCE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("“Eviction filings” for 2023 was saved.")
    assert IndicatorValue.objects.current().get(indicator=eviction, city=city, year=2023).entered_by == organizer

    page.goto(live_server.url + "/cities/pittsburgh-pa/profile/")
    housing = page.get_by_role("region", name="Housing and homelessness")
    row = housing.get_by_role("row", name=re.compile(r"^Eviction filings"))
    expect(row).to_contain_text("6.1")
    expect(row).to_contain_text("2023")
    expect(row.get_by_role("img", name="Eviction filings: 2021 7.4; 2022 6.8; 2023 6.1")).to_be_visible()
    expect(row).to_contain_text("No reading")  # the network set no thresholds for it: said in words
    expect(row.get_by_role("link", name="Eviction Lab")).to_have_attribute("href", SOURCE)
    # Beside the SDSN figures of the same theme, with their reading in words and the attribution.
    rent = housing.get_by_role("row", name=re.compile(r"^Rent burdened population"))
    expect(rent).to_contain_text("metro area")
    expect(rent.locator(".reading")).to_have_text(re.compile(r"(✓|!|!!|✗) (Goal reached|.*challenges.*)"))
    expect(page.locator("#sdsn-attribution")).to_contain_text("Lynch, A., LoPresti, A., Fox, C. (2019)")
    save_screenshot(page, request, "profile-en")

    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(live_server.url + "/cities/pittsburgh-pa/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Perfil de derechos humanos de Pittsburgh, Pensilvania")
    vivienda = page.get_by_role("region", name="Vivienda y personas sin hogar")
    row = vivienda.get_by_role("row", name=re.compile(r"^Demandas de desalojo"))
    expect(row.get_by_role("img", name="Demandas de desalojo: 2021 7,4; 2022 6,8; 2023 6,1")).to_be_visible()
    expect(row).to_contain_text("Sin lectura")
    rent = vivienda.get_by_role("row", name=re.compile(r"^Población con sobrecarga de alquiler"))
    expect(rent.locator(".reading")).to_have_text(re.compile(r"(Meta alcanzada|.*[Dd]esafíos.*)"))
    save_screenshot(page, request, "profile-es")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/cities/pittsburgh-pa/profile/")
    save_screenshot(page, request, "profile-es-phone")
