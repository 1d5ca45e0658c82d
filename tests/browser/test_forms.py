"""The testimony form as a resident meets it, at phone and desktop width, in English and Spanish: the consent
wording reads as paragraphs and a list, radio buttons look like the checkboxes beside them, and a failed submit
lands keyboard and screen-reader users on a summary whose links take them to each field."""

from __future__ import annotations

from importlib import import_module

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import save_screenshot

FORM_PATH = "/cities/pittsburgh-pa/testimony/new/"
WIDTHS = [390, 1280]


@pytest.fixture
def testimony_form(transactional_db, city_factory):
    from django.apps import apps

    # The flush after each browser test empties what the migrations wrote: the consent wording is put back.
    import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)
    city_factory("Pittsburgh", "PA")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("language", "first_paragraph", "last_use"),
    [
        (
            "en",
            "Your testimony is yours. You decide how you are named and where your words may be used. Each use below "
            "is a separate choice; you can say yes to some and no to others.",
            "Used in public advocacy: organizers may quote you to the media and to officials.",
        ),
        (
            "es",
            "Su testimonio es suyo. Usted decide cómo se le nombra y dónde se pueden usar sus palabras. Cada uso es "
            "una decisión aparte; puede decir que sí a unos y que no a otros.",
            "Usado en la incidencia pública: el equipo organizador puede citarle ante los medios y las autoridades.",
        ),
    ],
)
def test_consent_wording_reads_as_paragraphs(
    live_server, page, testimony_form, request, width, language, first_paragraph, last_use
):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(live_server.url + FORM_PATH)
    wording = page.locator(".consent-wording")
    expect(wording.locator("p")).to_have_count(2)
    expect(wording.locator("li")).to_have_count(4)
    expect(wording.locator("br")).to_have_count(0)
    # Each paragraph and each use flows as one piece of text, wrapped by the browser at whatever width.
    assert wording.locator("p").first.inner_text() == first_paragraph
    assert wording.locator("li").last.inner_text() == last_use
    box = wording.locator("p").first.bounding_box()
    assert box["width"] > wording.bounding_box()["width"] * 0.9  # the lines fill the box, none cut short
    wording.scroll_into_view_if_needed()
    assert save_screenshot(page, request, f"consent-{language}-{width}").stat().st_size > 0


@pytest.mark.parametrize("width", WIDTHS)
def test_a_failed_submit_lands_on_a_summary_linking_to_each_field(live_server, page, testimony_form, request, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + FORM_PATH)

    # Radio buttons are Bootstrap's, like the checkboxes: the same drawn control, not the browser's own.
    radio = page.get_by_role("radio", name="A challenge: a right not respected")
    checkbox = page.get_by_role("checkbox", name="Show it on this portal, where anyone can read it.")
    for control in (radio, checkbox):
        expect(control).to_have_class("form-check-input")
        assert control.evaluate("node => getComputedStyle(node).appearance") == "none"
    assert radio.bounding_box()["width"] == checkbox.bounding_box()["width"]

    page.get_by_label("A title (optional)").fill("The heat was cut")
    page.get_by_role("button", name="Send my testimony").focus()
    page.keyboard.press("Enter")

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_have_accessible_name("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        [
            "What happened? – Please tell us what happened.",
            "Is it about a challenge or a positive practice? – Please say whether it is a challenge or a positive "
            "practice.",
            "How should we name you where your words appear? – Please choose how we should name you, or to stay "
            "anonymous.",
            "Your age – Please answer the question about your age.",
        ]
    )
    expect(page.get_by_label("A title (optional)")).to_have_value("The heat was cut")  # what was valid is kept
    assert save_screenshot(page, request, f"error-summary-{width}").stat().st_size > 0

    # By keyboard: Tab to the first link, Enter: the focus is in the text box, which is in view with its label.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    body = page.get_by_label("What happened?")
    expect(body).to_be_focused()
    expect(page.locator("label[for=id_body]")).to_be_in_viewport()

    # A radio group's link lands on its first option, with the question (the legend) in view.
    summary.get_by_role("link", name="Your age – Please answer the question about your age.").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name="I am 18 or older")).to_be_focused()
    expect(page.locator("#div_id_age legend")).to_be_in_viewport()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="I am 18 or older")).to_be_checked()


def test_the_summary_speaks_spanish(live_server, page, testimony_form):
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(live_server.url + FORM_PATH)
    page.get_by_role("button", name="Enviar mi testimonio").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_have_accessible_name("Hay un problema")
    expect(summary.get_by_role("link").first).to_have_text("¿Qué ocurrió? – Cuéntenos qué ocurrió.")


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_form_showing_its_error_summary_has_no_serious_or_critical_axe_violations(
    live_server, page, testimony_form, language
):
    from tests.browser.test_accessibility import axe_failures, set_language

    set_language(page, live_server, language)
    page.goto(live_server.url + FORM_PATH)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_focused()
    failures = axe_failures(page, f"{FORM_PATH} (errors shown)", language)
    assert not failures, "\n".join(failures)
