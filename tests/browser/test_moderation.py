"""Moderation in a real browser, by keyboard: the original with what looks like a name, an email address, a phone
number or a street address highlighted, one key press to replace each by a placeholder in the public version, and
approving that says it was done."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot

BODY = (
    "Me llamo María González Ruiz. Nos desalojaron de 5500 Penn Avenue, Apt 4B en marzo.\n\n"
    "Mi vecina Rosa llamó al (412) 555-0123 y escribió a vivienda@example.org. María no durmió."
)


@pytest.mark.browser_context_args(bypass_csp=True)
def test_organizer_redacts_by_keyboard_and_approves(live_server, page, transactional_db, personas, request):
    from django.apps import apps

    from testimony.enums import Status
    from testimony.models import ContactDetails, Testimony
    from testimony.selectors import current_consent_text
    from tests.browser.test_accessibility import axe_failures

    import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)
    city = personas["city_a"]
    testimony = Testimony.objects.create(
        city=city,
        body=BODY,
        language="es",
        place_text="Calle Penn 5500",
        nature="challenge",
        status=Status.RECEIVED,
        allows_portal=True,
        age_confirmed=True,
        consent_text=current_consent_text(),
        consent_recorded_at=timezone.now(),
    )
    ContactDetails.objects.create(testimony=testimony, name="María González", retain_until=dt.date(2030, 1, 1))
    log_in(page.context, live_server, personas["organizer_a"])
    page.goto(f"{live_server.url}/organize/{city.slug}/testimony/{testimony.pk}/")

    # Highlighted in the original: the names (also the first name alone, from the contact details), the address,
    # the phone number and the email address.
    original = page.get_by_role("region", name="Original (private)")
    expect(original.locator("mark")).to_have_text(
        [
            "María González Ruiz",
            "5500 Penn Avenue, Apt 4B",
            "Rosa",
            "(412) 555-0123",
            "vivienda@example.org",
            "María",
            "Calle Penn 5500",
        ]
    )
    suggestions = page.get_by_role("region", name="Datos que conviene ocultar").or_(
        page.get_by_role("region", name="Suggested redactions")
    )
    buttons = suggestions.get_by_role("button")
    expect(buttons).to_have_count(7)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert save_screenshot(page, request, f"suggestions-{width}").stat().st_size > 0
    assert axe_failures(page, "moderation with suggestions", "en") == []

    # By keyboard: focus the first button, Enter; then Tab to each next one and press Space.
    body = page.get_by_label("Public version: Text")
    first = buttons.first
    first.focus()
    expect(first).to_have_accessible_name("Replace by [nombre] (María González Ruiz)")
    page.keyboard.press("Enter")
    expect(first).to_have_attribute("aria-disabled", "true")
    expect(first).to_have_accessible_name("Replaced by [nombre] (María González Ruiz)")
    expect(first).to_be_focused()  # the focus stays where the organizer is
    expect(suggestions.get_by_role("status")).to_have_text(
        "“María González Ruiz” replaced by [nombre] in Public version: Text."
    )
    # Each suggestion is a link to its place in the original, then its button.
    for index in range(1, 6):
        page.keyboard.press("Tab")
        expect(suggestions.get_by_role("link").nth(index)).to_be_focused()
        page.keyboard.press("Tab")
        expect(buttons.nth(index)).to_be_focused()
        page.keyboard.press("Space")
    expect(body).to_have_value(
        "Me llamo [nombre]. Nos desalojaron de [dirección] en marzo.\n\n"
        "Mi vecina [nombre] llamó al [teléfono] y escribió a [correo]. [nombre] no durmió."
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Public version: Where it happened")).to_have_value("[dirección]")
    expect(buttons.filter(has_text="Reemplazar")).to_have_count(0)

    # Nothing is saved until the organizer saves: then approving says so and offers no second approval.
    assert Testimony.objects.get(pk=testimony.pk).public_body == ""
    page.get_by_role("button", name="Save and approve").click()
    expect(page.get_by_role("status").first).to_have_text(
        "Approved: the public version is shown as the person's consent allows."
    )
    decision = page.get_by_role("region", name="Decision")
    expect(decision).to_contain_text("Approved")
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Save and approve")).to_have_count(0)
    saved = Testimony.objects.get(pk=testimony.pk)
    assert saved.status == Status.APPROVED
    assert "María" not in saved.public_body and "555-0123" not in saved.public_body
    assert saved.public_place_text == "[dirección]"


def test_the_approve_button_says_it_is_working_and_sends_once(live_server, page, transactional_db, personas):
    from django.apps import apps

    from testimony.enums import Status
    from testimony.models import ModerationLog, Testimony
    from testimony.selectors import current_consent_text

    import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)
    city = personas["city_a"]
    testimony = Testimony.objects.create(
        city=city,
        body="The heating was cut for three weeks.",
        public_body="The heating was cut for three weeks.",
        public_reviewed_at=timezone.now(),
        nature="challenge",
        status=Status.RECEIVED,
        allows_portal=True,
        age_confirmed=True,
        consent_text=current_consent_text(),
        consent_recorded_at=timezone.now(),
    )
    log_in(page.context, live_server, personas["organizer_a"])
    url = f"{live_server.url}/organize/{city.slug}/testimony/{testimony.pk}/"
    page.goto(url)
    # Pressed twice in a row (a double click, an impatient second press): the button says it is working, and the
    # form goes once.
    with page.expect_navigation():
        state = page.evaluate(
            """() => {
                const button = document.querySelector("button[data-busy-label]:not([name])");
                button.click();
                const busy = [button.textContent, button.getAttribute("aria-disabled")];
                button.click();
                return busy;
            }"""
        )
    assert state == ["Approving…", "true"]
    expect(page.get_by_role("status").first).to_have_text(
        "Approved: the public version is shown as the person's consent allows."
    )
    assert list(ModerationLog.objects.filter(testimony=testimony).values_list("action", flat=True)) == ["approve"]
