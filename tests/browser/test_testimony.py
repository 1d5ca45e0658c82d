"""Testimony in a real browser: a resident shares a story in Spanish with a photo, a coordinator writes the public
version and approves it, anyone reads it as the person consented, and the person withdraws it with the private link
from the email; an anonymous testimony is shown without a name in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from django.core import mail
from django.utils import translation
from PIL import ExifTags, Image
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot

CITY_SLUG = "pittsburgh-pa"
CITY_NAME = "Pittsburgh"
FORM_PATH = f"/cities/{CITY_SLUG}/testimony/new/"
RESIDENT_EMAIL = "maria@example.org"
REAL_NAME = "María González Ruiz"
ORIGINAL = (
    "Me llamo María González Ruiz. Nos desalojaron en la calle Penn en marzo, con mis dos hijos, "
    "y nadie del ayuntamiento nos ofreció un lugar donde dormir."
)
NAMED_SENTENCE = "Me llamo María González Ruiz."
PUBLIC_VERSION = (
    "Nos desalojaron en la calle Penn en marzo, con mis dos hijos, y nadie del ayuntamiento nos ofreció un lugar "
    "donde dormir."
)
CAPTION = "La puerta de nuestra casa, cerrada con candado"
PRIVATE_LINK = re.compile(r"http://\S+/testimony/mine/[^/\s]+/")
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (40.0, 26.0, 46.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (79.0, 59.0, 0.0),
}


def in_language(language: str, message: str) -> str:
    """A message as the portal shows it in `language` (its msgid when the catalogue has no translation yet)."""
    with translation.override(language):
        return translation.gettext(message)


def es(message: str) -> str:
    return in_language("es", message)


def photo_with_gps(folder: Path) -> Path:
    """A small JPEG like a phone's: a camera make and the place it was taken in its EXIF."""
    path = folder / "puerta.jpg"
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = GPS
    Image.new("RGB", (320, 240), (180, 90, 40)).save(path, "JPEG", exif=exif)
    with Image.open(path) as written:
        assert written.getexif().get_ifd(ExifTags.IFD.GPSInfo) == GPS  # the upload does carry the location
    return path


def test_resident_shares_in_spanish_with_a_photo_then_it_is_moderated_shown_and_withdrawn(
    live_server, page, new_context, demo_data, user_factory, settings, tmp_path, request
):
    from cities.enums import Role
    from cities.models import City, Membership
    from testimony.enums import Identification, Kind, ModerationAction, Nature, Status
    from testimony.models import ContactDetails, ModerationLog, Testimony
    from testimony.selectors import current_consent_text

    settings.SITE_URL = live_server.url
    city = City.objects.get(slug=CITY_SLUG)
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    Membership.objects.create(user=coordinator, city=city, role=Role.COORDINATOR)
    photo = photo_with_gps(tmp_path)

    # The resident reads the portal in Spanish.
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(live_server.url + FORM_PATH)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    heading = es("Share your testimony: %(city)s") % {"city": CITY_NAME}
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page).to_have_title(re.compile(rf"^{re.escape(heading)}"))
    form = page.locator("main form")
    expect(form.locator("input[name=consent_version]")).to_have_value(current_consent_text().version)
    # The form starts in the page's language.
    expect(form.get_by_role("combobox", name=es("Language of your testimony"))).to_have_value("es")

    form.get_by_role("textbox", name=es("What happened?"), exact=True).fill(ORIGINAL)
    form.get_by_role("radio", name=es("A challenge: a right not respected")).check()
    form.get_by_label(es("Or a file (optional)")).set_input_files(photo)
    form.get_by_role("textbox", name=es("Caption (optional)")).fill(CAPTION)
    form.get_by_role("textbox", name=es("Where did it happen? (optional)")).fill("Calle Penn")
    form.get_by_role("radio", name=es("My full name")).check()
    form.get_by_role("textbox", name=es("The name to show")).fill(REAL_NAME)
    form.get_by_role("checkbox", name=es("Show it on this portal, where anyone can read it.")).check()
    form.get_by_role("radio", name=es("I am 18 or older")).check()
    form.get_by_role("textbox", name=es("Your name (optional, never shown)")).fill(REAL_NAME)
    form.get_by_role("textbox", name=es("Your email (optional)")).fill(RESIDENT_EMAIL)
    assert save_screenshot(page, request, "testimony-form").stat().st_size > 0

    form.get_by_role("button", name=es("Send my testimony")).click()
    expect(page).to_have_url(f"{live_server.url}/cities/{CITY_SLUG}/testimony/thanks/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        es("Thank you: your testimony has reached the organizers")
    )

    # Stored as given, under the consent wording shown, waiting for moderation.
    testimony = Testimony.objects.get()
    assert (testimony.city, testimony.body, testimony.nature, testimony.language, testimony.kind) == (
        city,
        ORIGINAL,
        Nature.CHALLENGE,
        "es",
        Kind.WRITTEN,
    )
    assert (testimony.status, testimony.public_body, testimony.media_caption, testimony.place_text) == (
        Status.RECEIVED,
        "",
        CAPTION,
        "Calle Penn",
    )
    assert (testimony.identification, testimony.display_name) == (Identification.FULL_NAME, REAL_NAME)
    uses = (
        testimony.allows_portal,
        testimony.allows_local_report,
        testimony.allows_national_report,
        testimony.allows_advocacy,
        testimony.allows_contact,
    )
    assert uses == (True, False, False, False, False)
    assert (testimony.age_confirmed, testimony.guardian_consent) == (True, False)
    assert testimony.consent_text == current_consent_text()
    contact = ContactDetails.objects.get(testimony=testimony)
    assert (contact.name, contact.email, contact.phone) == (REAL_NAME, RESIDENT_EMAIL, "")

    # The photo is stored under a random name, without its location or camera data.
    assert re.fullmatch(r"testimony/[0-9a-f]{32}\.jpg", testimony.media_file.name)
    assert "puerta" not in testimony.media_file.name
    with Image.open(testimony.media_file.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (320, 240)
        exif = stored.getexif()
        assert ExifTags.IFD.GPSInfo not in exif
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert ExifTags.Base.Make not in exif

    # Exactly one email to the resident, in Spanish, with the private link; the coordinator is told without the text.
    to_resident = [message for message in mail.outbox if message.to == [RESIDENT_EMAIL]]
    assert len(to_resident) == 1
    confirmation = to_resident[0]
    subject = es("Your testimony reached the organizers in %(city)s") % {"city": CITY_NAME}
    assert confirmation.subject == f"[UPR Cities] {subject}"
    private_link = f"{live_server.url}/testimony/mine/{testimony.private_token}/"
    assert PRIVATE_LINK.findall(confirmation.body) == [private_link]
    to_team = [message for message in mail.outbox if message.to == [coordinator.email]]
    assert len(to_team) == 1 and len(mail.outbox) == 2
    assert "Penn" not in to_team[0].body and REAL_NAME not in to_team[0].body

    # Nothing is public before moderation.
    visitor = new_context().new_page()
    for path in (f"/testimony/{testimony.pk}/", f"/testimony/{testimony.pk}/media/"):
        response = visitor.goto(live_server.url + path)
        assert response is not None and response.status == 404, path

    # The coordinator opens it from the queue, writes the public version without the name, and approves it.
    moderator = new_context().new_page()
    log_in(moderator.context, live_server, coordinator)
    moderator.goto(f"{live_server.url}/organize/{CITY_SLUG}/testimony/")
    expect(moderator.get_by_role("heading", level=1)).to_have_text(f"Testimony to moderate in {CITY_NAME}")
    rows = moderator.locator("main tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Received, waiting for moderation")
    expect(rows.first).to_contain_text("(not yet redacted)")
    rows.first.get_by_role("link", name=f"Written #{testimony.pk}", exact=True).click()
    expect(moderator).to_have_url(f"{live_server.url}/organize/{CITY_SLUG}/testimony/{testimony.pk}/")
    original = moderator.get_by_role("region", name="Original (private)")
    expect(original).to_contain_text(ORIGINAL)
    # Each public field starts as the person wrote it, to edit; nothing is public until it is saved.
    public_version = moderator.get_by_role("textbox", name="Public version: Text")
    expect(public_version).to_have_value(ORIGINAL)
    public_version.fill(PUBLIC_VERSION)
    moderator.get_by_role("button", name="Save the public version").click()
    expect(moderator.locator(".messages")).to_contain_text("Public version saved. The original stays private.")
    expect(moderator.get_by_role("textbox", name="Public version: Text")).to_have_value(PUBLIC_VERSION)
    moderator.get_by_role("button", name="Approve", exact=True).click()
    expect(moderator.locator("main p.text-body-secondary").first).to_contain_text("Approved")
    testimony.refresh_from_db()
    assert (testimony.status, testimony.approved_by, testimony.public_body, testimony.body) == (
        Status.APPROVED,
        coordinator,
        PUBLIC_VERSION,
        ORIGINAL,
    )
    actions = list(ModerationLog.objects.filter(testimony=testimony).order_by("pk").values_list("action", flat=True))
    assert actions == [ModerationAction.RECEIVED, ModerationAction.REDACT, ModerationAction.APPROVE]

    # Anyone now reads the public version, under the name the person chose, and never the original sentence.
    visitor.goto(f"{live_server.url}/cities/{CITY_SLUG}/")
    on_city_page = visitor.get_by_role("region", name="Testimony", exact=True)
    items = on_city_page.locator("li.card")
    expect(items).to_have_count(1)
    expect(items.first.locator("blockquote")).to_have_text(PUBLIC_VERSION)
    expect(items.first.locator("p.small")).to_contain_text(REAL_NAME)
    assert NAMED_SENTENCE not in visitor.content()
    assert visitor.locator("main").inner_text().count(REAL_NAME) == 1

    visitor.goto(f"{live_server.url}/testimony/")
    expect(visitor.get_by_text("1 testimony", exact=True)).to_be_visible()
    items = visitor.locator("main li.card")
    expect(items).to_have_count(1)
    expect(items.first.locator("blockquote")).to_have_text(PUBLIC_VERSION)
    expect(items.first.locator("p.small")).to_contain_text(f"{REAL_NAME} · {CITY_NAME}, PA")
    assert NAMED_SENTENCE not in visitor.content()
    assert visitor.locator("main").inner_text().count(REAL_NAME) == 1

    items.first.get_by_role("link").first.click()
    expect(visitor).to_have_url(f"{live_server.url}/testimony/{testimony.pk}/")
    expect(visitor.locator("main blockquote")).to_have_text(PUBLIC_VERSION)
    expect(visitor.locator("main blockquote")).to_have_attribute("lang", "es")
    expect(visitor.locator("main dl dd").first).to_have_text(REAL_NAME)
    image = visitor.get_by_role("img", name=CAPTION)
    expect(image).to_have_attribute("src", f"/testimony/{testimony.pk}/media/")
    expect(visitor.locator("main figcaption")).to_have_text(CAPTION)
    visitor.wait_for_function("() => document.querySelector('main figure img').naturalWidth === 320")
    assert NAMED_SENTENCE not in visitor.content()
    assert save_screenshot(visitor, request, "testimony-public").stat().st_size > 0

    # The resident withdraws it with the private link: a confirmation page, then the button.
    page.goto(private_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(es("Your testimony"))
    with translation.override("es"):
        approved = str(testimony.get_status_display())
    expect(page.locator("#status")).to_have_text(approved)
    page.get_by_role("link", name=es("Withdraw my testimony")).click()
    expect(page).to_have_url(f"{private_link}withdraw/")
    expect(page.get_by_role("heading", level=1)).to_have_text(es("Withdraw your testimony"))
    testimony.refresh_from_db()
    assert testimony.status == Status.APPROVED  # opening the page withdraws nothing
    page.get_by_role("button", name=es("Yes, withdraw my testimony")).click()
    expect(page).to_have_url(private_link)
    expect(page.locator(".messages")).to_contain_text(
        es("Your testimony is withdrawn. Your contact details are deleted.")
    )
    withdrawn = es("You withdrew this testimony: it is no longer shown or quoted anywhere.")
    erased = es("Your words, your name, any file you sent and your contact details were deleted.")
    expect(page.locator("main p[role=status]")).to_have_text(f"{withdrawn} {erased}")
    testimony.refresh_from_db()
    assert testimony.status == Status.WITHDRAWN and testimony.withdrawn_at is not None
    assert not ContactDetails.objects.filter(testimony=testimony).exists()

    # Gone from every public place.
    visitor.goto(f"{live_server.url}/testimony/")
    expect(visitor.get_by_text("0 testimonies", exact=True)).to_be_visible()
    expect(visitor.locator("main li.card")).to_have_count(0)
    visitor.goto(f"{live_server.url}/cities/{CITY_SLUG}/")
    on_city_page = visitor.get_by_role("region", name="Testimony", exact=True)
    expect(on_city_page).to_contain_text("No testimony has been shared publicly yet.")
    expect(on_city_page.locator("li.card")).to_have_count(0)
    for path in (f"/testimony/{testimony.pk}/", f"/testimony/{testimony.pk}/media/"):
        response = visitor.goto(live_server.url + path)
        assert response is not None and response.status == 404, path
    assert PUBLIC_VERSION not in visitor.content()


def test_anonymous_testimony_is_shown_without_a_name_in_both_languages(
    live_server, page, new_context, demo_data, user_factory
):
    from cities.enums import Role
    from cities.models import City, Membership
    from testimony import moderation
    from testimony.enums import Identification
    from testimony.models import ContactDetails, Testimony

    city = City.objects.get(slug=CITY_SLUG)
    coordinator = user_factory("coordinator@example.org", full_name="Alex Coordinator")
    Membership.objects.create(user=coordinator, city=city, role=Role.COORDINATOR)
    story = "The shelter on Liberty Avenue turned families away every night in January."
    name = "Rosa Díaz"

    # In English this time; a name typed in the name box is dropped when the person chooses to stay anonymous.
    page.goto(live_server.url + FORM_PATH)
    form = page.locator("main form")
    form.get_by_role("textbox", name="What happened?", exact=True).fill(story)
    form.get_by_role("radio", name="A challenge: a right not respected").check()
    form.get_by_role("radio", name="Anonymous: no name at all").check()
    form.get_by_role("textbox", name="The name to show").fill(name)
    form.get_by_role("checkbox", name="Show it on this portal, where anyone can read it.").check()
    form.get_by_role("radio", name="I am 18 or older").check()
    form.get_by_role("textbox", name="Your name (optional, never shown)").fill(name)
    form.get_by_role("button", name="Send my testimony").click()
    expect(page).to_have_url(f"{live_server.url}/cities/{CITY_SLUG}/testimony/thanks/")

    testimony = Testimony.objects.get()
    assert (testimony.identification, testimony.display_name, testimony.language) == (
        Identification.ANONYMOUS,
        "",
        "en",
    )
    assert ContactDetails.objects.get(testimony=testimony).name == name
    # No email given: only the coordinator's notice.
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    moderation.save_public_version(testimony, by=coordinator, public_body=testimony.body)
    moderation.approve(testimony, by=coordinator)

    for language in ("en", "es"):
        anonymous = in_language(language, "Anonymous")
        visitor = new_context().new_page()
        visitor.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in (f"/cities/{CITY_SLUG}/", "/testimony/"):
            visitor.goto(live_server.url + path)
            item = visitor.locator("main li.card")
            expect(item).to_have_count(1)
            expect(item.locator("blockquote")).to_have_text(story)
            expect(item.locator("p.small")).to_have_text(re.compile(rf"^\s*{re.escape(anonymous)}\s+·"))
            assert name not in visitor.content(), f"{path} ({language}) shows the name"
        visitor.goto(f"{live_server.url}/testimony/{testimony.pk}/")
        expect(visitor.locator("main dl dd").first).to_have_text(anonymous)
        assert name not in visitor.content()
