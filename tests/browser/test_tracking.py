"""DESIGN.md flow 6 in a real browser: a resident follows the city's scorecard; the organizer tracks an official
recommendation, names the office responsible, records progress with evidence (a link and a resident's words),
asks the office to reply; the office answers through its private link; the organizer approves the answer; the
public scorecard shows status, evidence and reply; the follower gets one digest; the officials' brief is made as
PDF and Word and read back. Screenshots of the city scorecard and the network grid, desktop and phone."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pypdf
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot

SLUG = "pittsburgh-pa"
PARAGRAPH = "26.286"
REC_TEXT = "Further enhance activities that will lead to reducing homelessness among vulnerable groups"
WHAT_CHANGED = "The council adopted a plan on homelessness; its shelter beds are not funded yet."
WORDS = "we slept in the car for two weeks"
ANSWER = "The beds are in the draft budget for next year."
PHONE = {"width": 390, "height": 844}


def _setup(user_factory, city_factory):
    from cities.enums import Role
    from cities.models import Membership
    from testimony.enums import Identification
    from tests.testimony.factories import make_testimony
    from tracking.enums import Level
    from tracking.models import Office
    from upr.enums import Response
    from upr.models import Recommendation, ReviewCycle, Theme

    housing, _created = Theme.objects.update_or_create(
        slug="housing", defaults={"name": "Housing", "name_es": "Vivienda", "position": 1}
    )
    cycle3 = ReviewCycle.objects.create(number=3, review_date=dt.date(2020, 11, 9), report_symbol="A/HRC/46/15")
    official = Recommendation.objects.create(
        cycle=cycle3,
        document="A/HRC/46/15",
        paragraph=PARAGRAPH,
        text=REC_TEXT + " across the country",
        recommending_states="Ethiopia",
        response=Response.SUPPORTED,
    )
    official.themes.set([housing])
    city = city_factory("Pittsburgh", "PA", coalition_name="Pittsburgh Human Rights City Alliance")
    organizer = user_factory("organizer@example.org", full_name="Alex Organizer")
    Membership.objects.create(user=organizer, city=city, role=Role.COORDINATOR)
    Office.objects.create(
        city=city, name="Office of Housing", level=Level.CITY, contact_email="housing@pittsburgh.example.org"
    )
    voice = make_testimony(
        city=city,
        body=f"After the eviction {WORDS}.",
        identification=Identification.PSEUDONYM,
        display_name="Blue Heron",
        allows_advocacy=True,
        themes=[housing],
    )
    return city, organizer, voice


def _link_in(message, prefix: str) -> str:
    match = re.search(rf"https?://\S*{re.escape(prefix)}\S*", message.body)
    assert match, message.body
    return match.group(0).split("://", 1)[1].split("/", 1)[1]


def test_flow_6_track_assess_reply_publish_digest_brief(
    live_server, page, new_context, user_factory, city_factory, request, consent_wording
):
    from django.core import mail

    from tracking import digests
    from tracking.models import Follower

    city, organizer, voice = _setup(user_factory, city_factory)

    # A resident follows the city's scorecard (double opt-in).
    resident = new_context().new_page()
    resident.goto(f"{live_server.url}/cities/{SLUG}/scorecard/")
    resident.get_by_role("link", name="Follow this scorecard by email").click()
    resident.get_by_label("Your email").fill("reader@example.org")
    resident.get_by_role("button", name="Follow").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Check your email")
    confirm = _link_in(mail.outbox[-1], "/scorecard/follow/")
    resident.goto(f"{live_server.url}/{confirm}")
    resident.get_by_role("button", name="Confirm").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("You follow it")
    assert Follower.objects.get().confirmed_at is not None

    # The organizer tracks the recommendation (from the housing filter) and names the office.
    log_in(page.context, live_server, organizer)
    page.goto(f"{live_server.url}/organize/{SLUG}/tracking/choose/?theme=housing")
    page.get_by_label(f"Track {PARAGRAPH}").check()
    page.get_by_role("button", name="Track the ticked ones").click()
    expect(page.locator("main")).to_contain_text("Now tracking 1 more recommendations")
    page.get_by_role("link", name=PARAGRAPH).click()
    page.get_by_label("Office responsible").select_option(label="Office of Housing")
    page.locator("form[action$='/who/']").get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Saved who must act.")

    # A status update with a link and a resident's words as evidence.
    page.get_by_label("New status").select_option("partly_implemented")
    page.get_by_label("What changed").fill(WHAT_CHANGED)
    page.get_by_label("Date observed").fill(dt.date.today().isoformat())
    page.get_by_label("Evidence link").fill("https://example.org/council/plan")
    page.get_by_label("What the link shows").fill("The council's plan")
    page.get_by_label("Quote a testimony").select_option(str(voice.pk))
    page.get_by_label("Excerpt").fill(WORDS)
    page.get_by_role("button", name="Record the update").click()
    expect(page.locator("main")).to_contain_text("The update was recorded.")
    expect(page.locator("main")).to_contain_text(WORDS)

    # The office is asked to reply, and answers once through its private link.
    mail.outbox.clear()
    page.get_by_label("Days to answer").fill("14")
    page.get_by_role("button", name="Send the private link").click()
    expect(page.locator("main")).to_contain_text("The office was sent its private link to answer.")
    assert [m.to for m in mail.outbox] == [["housing@pittsburgh.example.org"]]
    reply_path = _link_in(mail.outbox[0], "/tracking/reply/")
    office = new_context().new_page()
    office.goto(f"{live_server.url}/{reply_path}")
    expect(office.locator("main")).to_contain_text(WHAT_CHANGED)
    office.get_by_role("textbox", name=re.compile("^Your answer")).fill(ANSWER)
    office.get_by_label("Your name and title").fill("Dana Reyes, Director of Housing")
    office.get_by_role("button", name="Send the answer").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Thank you for your answer")
    office.goto(f"{live_server.url}/{reply_path}")
    expect(office.get_by_role("heading", level=1)).to_have_text("This link is closed")

    # Not public before the organizer approves it.
    resident.goto(f"{live_server.url}/cities/{SLUG}/scorecard/")
    expect(resident.locator("main")).not_to_contain_text(ANSWER)
    page.reload()
    page.get_by_role("button", name="Approve and show it").click()
    expect(page.locator("main")).to_contain_text("Your decision on the answer was saved.")

    # The public scorecard: status, office, evidence, the resident's words as they chose to be named, the reply.
    resident.goto(f"{live_server.url}/cities/{SLUG}/scorecard/")
    main = resident.locator("main")
    expect(main).to_contain_text("Partly implemented")
    expect(main).to_contain_text("Office of Housing")
    expect(main).to_contain_text(WORDS)
    expect(main).to_contain_text("Blue Heron")
    expect(main).to_contain_text(ANSWER)
    expect(main).to_contain_text("Dana Reyes, Director of Housing")
    expect(resident.get_by_role("img", name=re.compile("Tracked recommendations by theme"))).to_be_visible()
    save_screenshot(resident, request, "city-scorecard-desktop")
    resident.set_viewport_size(PHONE)
    save_screenshot(resident, request, "city-scorecard-phone")
    resident.set_viewport_size({"width": 1280, "height": 900})
    resident.goto(f"{live_server.url}/scorecard/")
    expect(resident.locator("main")).to_contain_text("Pittsburgh, PA")
    save_screenshot(resident, request, "network-desktop")
    resident.set_viewport_size(PHONE)
    save_screenshot(resident, request, "network-phone")

    # The follower gets one digest, once.
    mail.outbox.clear()
    assert digests.send_digests() == 1
    assert digests.send_digests() == 0
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert WHAT_CHANGED in mail.outbox[0].body

    # The officials' brief, as PDF and Word, read back.
    page.goto(f"{live_server.url}/organize/{SLUG}/tracking/brief/")
    for title in ("brief for officials", "the full record"):
        for fmt in ("PDF", "DOCX"):
            row = page.locator("tr", has_text=title).filter(has_text=fmt)
            row.get_by_role("button", name=re.compile("^Make the file")).click()
    texts = []
    for link in page.get_by_role("link", name=re.compile("^Download")).all():
        with page.expect_download() as download:
            link.click()
        data = Path(download.value.path()).read_bytes()
        if data.startswith(b"%PDF"):
            texts.append(" ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages).split()))
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                xml = archive.read("word/document.xml").decode()
            texts.append(" ".join(" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)).split()))
    assert len(texts) == 4
    assert all(PARAGRAPH in text for text in texts)
    assert sum(WORDS in text and ANSWER in text for text in texts) == 2  # the annex, in both formats
