"""The local report in a real browser: an organizer writes it (a theme section, two quotes of consenting testimony,
a recommendation linked to an official one) and submits it; the national team returns it with a comment in the
admin (two-factor login); the organizer fixes it and submits again; the national team accepts it; the organizer
makes and downloads the PDF, and a visitor reads the published report. And the editor's "Add a quote" by keyboard.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import import_module
from pathlib import Path

import pypdf
from playwright.sync_api import expect

from tests.browser.conftest import log_in, save_screenshot
from tests.browser.test_cities import PASSWORD, staff_logs_in_with_totp
from tests.conftest import with_totp

SLUG = "pittsburgh-pa"
EDITOR = f"/organize/{SLUG}/report/"
PUBLIC = f"/cities/{SLUG}/report/"

EXECUTIVE_SUMMARY = (
    "Rents rose faster than wages in every neighbourhood we visited.\n\n"
    "Residents asked the city to enforce its own housing code."
)
METHODOLOGY = "We held two listening sessions and collected written testimony online."
CHALLENGES = "Families in Homewood wait months for repairs while their rents keep rising."
ADVANCES = "The city opened a tenant help desk in the Hill District."

NAMED_BODY = "Our landlord ignored the broken heating all winter. My children slept in their coats."
NAMED_EXCERPT = "My children slept in their coats."
FIRST_NAME = "Rosa"
ANONYMOUS_BODY = "The eviction notice came two days before Christmas and nobody explained our rights."
# Approved and public, but the person did not agree to be quoted in the local report.
PRIVATE_BODY = "The shelter on Liberty Avenue turned my family away at midnight in January."

OFFICIAL_PARAGRAPH = "26.112"
OFFICIAL_TEXT = "Take effective measures to guarantee the right to adequate housing for all"
RECOMMENDATION = "Fund a right to counsel for every tenant facing eviction in Allegheny County."
RECOMMENDATION_FIXED = "Fund a right to counsel for every tenant facing eviction in Allegheny County by 2027."
SHORT_SUMMARY = "Pittsburgh residents face rising rents and evictions; we ask for a right to counsel for tenants."
RETURN_COMMENT = "Please say by when the right to counsel should be funded."

SUBMITTED = "Editing is locked until they accept or return it."


def exact(text: str) -> re.Pattern:
    """A label's or legend's whole text, whitespace around it ignored."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def required(label: str) -> re.Pattern:
    """A required field's label: its text and the asterisk the field template adds."""
    return re.compile(rf"^\s*{re.escape(label)}\s*\*\s*$")


def flat(text: str) -> str:
    return " ".join(text.split())


def setup_city(user_factory, city_factory) -> dict:
    """Pittsburgh in the current cycle (4) with a Housing theme, an official recommendation of cycle 3, three
    approved testimonies (quotable with a first name, quotable anonymously, not for the local report) and a
    coordinator."""
    from django.apps import apps

    from cities.enums import Role
    from cities.models import Membership
    from testimony.enums import Identification
    from testimony.models import ConsentText
    from tests.testimony.factories import make_testimony
    from upr.enums import Response
    from upr.models import Recommendation, ReviewCycle, Theme

    if not ConsentText.objects.exists():  # emptied by an earlier transactional test's flush
        import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)
    housing, _created = Theme.objects.update_or_create(
        slug="housing", defaults={"name": "Housing", "name_es": "Vivienda", "position": 1}
    )
    cycle3 = ReviewCycle.objects.create(
        number=3, review_date=dt.date(2020, 11, 9), outcome_adopted=dt.date(2021, 3, 17), report_symbol="A/HRC/46/15"
    )
    cycle4 = ReviewCycle.objects.create(number=4, review_date=dt.date(2026, 11, 7))
    assert ReviewCycle.objects.current() == cycle4
    official = Recommendation.objects.create(
        cycle=cycle3,
        document="A/HRC/46/15",
        paragraph=OFFICIAL_PARAGRAPH,
        text=OFFICIAL_TEXT,
        recommending_states="Brazil",
        response=Response.SUPPORTED,
    )
    city = city_factory("Pittsburgh", "PA", coalition_name="Pittsburgh Human Rights City Alliance")
    named = make_testimony(
        city=city,
        body=NAMED_BODY,
        identification=Identification.FIRST_NAME,
        display_name=FIRST_NAME,
        allows_local_report=True,
        themes=[housing],
    )
    anonymous = make_testimony(city=city, body=ANONYMOUS_BODY, allows_local_report=True, themes=[housing])
    private = make_testimony(
        city=city,
        body=PRIVATE_BODY,
        identification=Identification.FIRST_NAME,
        display_name="Dolores",
        allows_local_report=False,
        themes=[housing],
    )
    organizer = user_factory("organizer@example.org", full_name="Alex Organizer")
    Membership.objects.create(user=organizer, city=city, role=Role.COORDINATOR)
    return {
        "city": city,
        "housing": housing,
        "official": official,
        "named": named,
        "anonymous": anonymous,
        "private": private,
        "organizer": organizer,
    }


def messages(page):
    """The messages shown after a redirect (the files panel has role="status" elements of its own)."""
    return page.locator("main .messages > [role]")


def group(page, legend: str):
    """A fieldset of the editor, by its legend."""
    return page.get_by_role("group", name=exact(legend))


def submit_and_expect_locked(page, version: int) -> None:
    page.get_by_role("button", name="Save and submit to the national team").click()
    # (The browser keeps the #editor of the page it posted from: the redirect names no fragment of its own.)
    expect(page).to_have_url(re.compile(re.escape(EDITOR) + "(#editor)?$"))
    expect(messages(page)).to_have_text([f"Version {version} was submitted to the national team. {SUBMITTED}"])
    expect(page.locator("#report-status")).to_have_text("Submitted, waiting for the national team")
    expect(page.locator("form#editor")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("This version was submitted; editing is locked")


def decide_in_admin(page, live_server, report, decision: str, comment: str = "") -> None:
    """On the report's admin page: choose the decision, write the comments, record it."""
    page.goto(f"{live_server.url}/admin/reports/localreport/{report.pk}/change/")
    form = page.locator("#decision-form")
    form.get_by_role("radio", name=decision).check()
    if comment:
        form.get_by_label("Comments for the city").fill(comment)
    form.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(f"{live_server.url}/admin/reports/localreport/{report.pk}/change/")


def pdf_text(data: bytes) -> str:
    """The PDF's text as laid out on its pages (the paragraph numbers sit in the margin, so the plain extraction,
    in drawing order, puts them after their paragraphs), whitespace flattened."""
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return flat(" ".join(page.extract_text(extraction_mode="layout") for page in pages))


def assert_numbered_in_order(text: str, expected: list[tuple[int, str]]) -> None:
    """Each paragraph is printed with its number just before it, and the numbers come in order."""
    positions = []
    for number, start in expected:
        match = re.search(rf"\b{number}\.\s*“?{re.escape(start)}", text)
        assert match, f"paragraph {number} ({start!r}) not found numbered in: {text}"
        positions.append(match.start())
    assert positions == sorted(positions), f"paragraph numbers out of order: {expected} at {positions}"


# The numbered paragraphs of the accepted report, in order.
# Both testimonies are of challenges: their quotes print under the section's challenges, before its advances.
NUMBERED = [
    (1, "Rents rose faster than wages"),
    (2, "Residents asked the city"),
    (3, "We held two listening sessions"),
    (4, "Families in Homewood"),
    (5, NAMED_EXCERPT),
    (6, "The eviction notice came"),
    (7, "The city opened a tenant help desk"),
    (8, RECOMMENDATION_FIXED),
]
QUOTED = (5, 6)


def test_organizer_writes_submits_fixes_and_publishes_the_local_report(
    live_server, page, new_context, user_factory, city_factory, request
):
    from django.core import mail

    from reports.enums import Decision, ReportStatus
    from reports.models import LocalReport

    data = setup_city(user_factory, city_factory)
    staff = with_totp(user_factory("national@example.org", PASSWORD, staff=True, is_superuser=True))
    log_in(page.context, live_server, data["organizer"])

    # 1. The organizer opens the editor of the city's (new) report.
    page.goto(live_server.url + EDITOR)
    expect(page.get_by_role("heading", level=1)).to_have_text("Local report: Pittsburgh")
    expect(page.locator("#report-status")).to_have_text("Draft")
    page.get_by_label(exact("Executive summary")).fill(EXECUTIVE_SUMMARY)
    page.get_by_label(exact("How the testimony was gathered")).fill(METHODOLOGY)

    section = group(page, "New section")
    section.get_by_label(required("Theme")).select_option(label="Housing")
    section.get_by_label(exact("Challenges")).fill(CHALLENGES)
    section.get_by_label(exact("Positive advances")).fill(ADVANCES)

    # The testimony list offers only the two testimonies whose consent allows the local report.
    first_quote = group(page, "Quote 1")
    testimony = first_quote.get_by_label(required("Testimony"))
    options = testimony.locator("option")
    expect(options).to_have_count(3)  # the empty choice and the two
    offered = flat(" ".join(options.all_inner_texts()))
    assert f"#{data['named'].pk} " in offered and f"#{data['anonymous'].pk} " in offered
    assert f"#{data['private'].pk} " not in offered
    assert "Liberty Avenue" not in offered and "Dolores" not in offered
    expect(testimony.locator(f"option[value='{data['private'].pk}']")).to_have_count(0)
    expect(testimony.locator(f"option[value='{data['named'].pk}']")).to_contain_text(f"{FIRST_NAME}: “Our landlord")
    expect(testimony.locator(f"option[value='{data['anonymous'].pk}']")).to_contain_text("Anonymous: “The eviction")

    testimony.select_option(value=str(data["named"].pk))
    first_quote.get_by_label(required("In the section on")).select_option(label="Housing")
    first_quote.get_by_label(exact("Excerpt")).fill(NAMED_EXCERPT)

    page.get_by_role("button", name="Add a quote").click()
    second_quote = group(page, "New quote")
    expect(second_quote).to_have_count(1)
    second_testimony = second_quote.get_by_label("Testimony")
    expect(second_testimony).to_be_focused()
    expect(second_testimony.locator(f"option[value='{data['private'].pk}']")).to_have_count(0)
    expect(second_testimony.locator("option")).to_have_count(3)
    second_testimony.select_option(value=str(data["anonymous"].pk))
    second_quote.get_by_label("In the section on").select_option(label="Housing")  # whole public version

    recommendation = group(page, "Recommendation 1")
    recommendation.get_by_label(required("Recommendation")).fill(RECOMMENDATION)
    recommendation.get_by_label(required("Who should act")).select_option(label="Local (city or county)")
    recommendation.get_by_label(exact("Theme")).select_option(label="Housing")
    recommendation.get_by_label("Official UPR recommendations it relates to").fill(OFFICIAL_PARAGRAPH)
    recommendation.get_by_role("checkbox", name="Reinforces an earlier recommendation that remains unfulfilled").check()
    page.get_by_label(exact("Short summary (one to two pages)")).fill(SHORT_SUMMARY)

    # 2. Saves: the page comes back with the text saved, each form in its place.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(messages(page)).to_have_text(["Saved."])
    expect(group(page, "Section: Housing").get_by_label(exact("Challenges"))).to_have_value(CHALLENGES)
    expect(group(page, "Quote 2").get_by_label(required("Testimony"))).to_have_value(str(data["anonymous"].pk))
    expect(group(page, "Recommendation 1").get_by_label("Official UPR recommendations it relates to")).to_have_value(
        OFFICIAL_PARAGRAPH
    )
    report = LocalReport.objects.get(city=data["city"])
    assert report.status == ReportStatus.DRAFT
    assert [(q.testimony, q.excerpt) for q in report.quotes.all()] == [
        (data["named"], NAMED_EXCERPT),
        (data["anonymous"], ""),
    ]
    rec = report.recommendations.get()
    assert (rec.text, rec.reinforces_unfulfilled, list(rec.official.all())) == (
        RECOMMENDATION,
        True,
        [data["official"]],
    )
    assert save_screenshot(page, request, "editor").stat().st_size > 0

    # 3. Submits: version 1 is frozen and editing is locked; the national team is told.
    submit_and_expect_locked(page, 1)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [["national-team@uprcities.localhost"]]

    # 4. The national team (email, password and authenticator code) reads it in the admin and returns it.
    staff_page = new_context().new_page()
    staff_logs_in_with_totp(staff_page, live_server, staff)
    staff_page.goto(f"{live_server.url}/admin/reports/localreport/{report.pk}/change/")
    submitted_text = staff_page.locator("#submitted-text")
    expect(submitted_text.get_by_role("heading", level=2)).to_have_text("Version 1 as it will print")
    expect(submitted_text).to_contain_text(f"8. {RECOMMENDATION}")
    expect(submitted_text).to_contain_text(f"“{NAMED_EXCERPT}” — {FIRST_NAME}")
    expect(submitted_text).to_contain_text("— Anonymous")
    expect(submitted_text).not_to_contain_text("Liberty Avenue")
    decision_form = staff_page.locator("#decision-form")
    expect(decision_form.get_by_role("heading", level=2)).to_have_text("Decision on version 1")
    # Laid out below the report's fields, across the page (not squeezed beside the admin's floated main column).
    form_box, fields_box = decision_form.bounding_box(), staff_page.locator("#content-main").bounding_box()
    assert form_box and fields_box and form_box["y"] >= fields_box["y"] + fields_box["height"]
    assert form_box["width"] > fields_box["width"] * 0.9
    assert save_screenshot(staff_page, request, "admin-review").stat().st_size > 0
    decide_in_admin(staff_page, live_server, report, "Return it to the city with comments", RETURN_COMMENT)
    expect(staff_page.locator("ul.messagelist li")).to_have_text(["Version 1 returned to the city."])
    expect(staff_page.locator("#decision-form")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert mail.outbox[-1].to == ["organizer@example.org"]

    # 5. The organizer sees the comments above the editor, fixes the recommendation and submits again.
    page.goto(live_server.url + EDITOR)
    expect(page.locator("#report-status")).to_have_text("Returned with comments")
    comments = page.get_by_role("region", name="The national team returned version 1 with comments")
    expect(comments).to_contain_text(RETURN_COMMENT)
    comments_box, editor_box = comments.bounding_box(), page.locator("form#editor").bounding_box()
    assert comments_box and editor_box and comments_box["y"] + comments_box["height"] <= editor_box["y"]
    assert save_screenshot(page, request, "editor-returned").stat().st_size > 0
    recommendation = group(page, "Recommendation 1")
    expect(recommendation.get_by_label(required("Recommendation"))).to_have_value(RECOMMENDATION)
    recommendation.get_by_label(required("Recommendation")).fill(RECOMMENDATION_FIXED)
    submit_and_expect_locked(page, 2)
    expect(page.get_by_role("region", name="The national team returned version 1 with comments")).to_have_count(0)

    # 6. The national team accepts version 2.
    decide_in_admin(staff_page, live_server, report, "Accept it")
    expect(staff_page.locator("ul.messagelist li")).to_have_text(["Version 2 accepted and published."])
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert list(report.versions.values_list("number", "decision")) == [(1, Decision.RETURNED), (2, Decision.ACCEPTED)]

    # 7. The organizer makes the PDF in the files panel (htmx polls until it is ready) and downloads it.
    page.goto(live_server.url + EDITOR)
    expect(page.locator("#report-status")).to_have_text("Accepted")
    expect(page.get_by_role("heading", name="Files of the submitted version")).to_be_visible()
    pdf_panel = page.locator("#render-report-pdf")
    expect(pdf_panel).to_contain_text("not made yet for this text")
    pdf_panel.get_by_role("button", name="Make the PDF").click()
    download_link = page.locator("#render-report-pdf").get_by_role("link", name=re.compile(r"^Download "))
    expect(download_link).to_be_visible(timeout=60_000)
    expect(page.locator("#render-report-pdf")).to_contain_text("made in")
    with page.expect_download() as downloading:
        download_link.click()
    download = downloading.value
    assert download.suggested_filename == "pittsburgh-pa-local-report-cycle-4-v2.pdf"
    saved = Path(request.getfixturevalue("output_path")) / download.suggested_filename
    download.save_as(saved)  # kept beside the screenshots
    data_pdf = saved.read_bytes()
    assert data_pdf.startswith(b"%PDF-")
    text = pdf_text(data_pdf)
    assert RECOMMENDATION_FIXED in text
    assert FIRST_NAME in text
    assert "Anonymous" in text
    assert "Liberty Avenue" not in text and "Dolores" not in text
    assert RECOMMENDATION not in text.replace(RECOMMENDATION_FIXED, "")  # only the fixed wording
    assert OFFICIAL_PARAGRAPH in text
    assert_numbered_in_order(text, NUMBERED)
    assert save_screenshot(page, request, "editor-accepted").stat().st_size > 0

    # 8. A visitor reads the published report, linked from the city page.
    visitor = new_context().new_page()
    visitor.goto(f"{live_server.url}/cities/{SLUG}/")
    visitor.get_by_role("link", name="Read the local report").click()
    expect(visitor).to_have_url(live_server.url + PUBLIC)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Local report: Pittsburgh, PA")
    article = visitor.locator("article.report-document")
    for number, start in NUMBERED:
        expect(article).to_contain_text(f"{number}. {'“' if number in QUOTED else ''}{start}")
    expect(article.locator("figure figcaption")).to_have_count(2)
    expect(article.locator("figure figcaption").first).to_contain_text(f"— {FIRST_NAME}.")
    expect(article.locator("figure figcaption").last).to_contain_text("— Anonymous.")
    expect(article).to_contain_text(f"Linked UPR recommendations: {OFFICIAL_PARAGRAPH}")
    expect(article).to_contain_text("Reinforces an earlier UPR recommendation that remains unfulfilled.")
    expect(article).not_to_contain_text("Liberty Avenue")
    expect(article).not_to_contain_text(RETURN_COMMENT)
    assert save_screenshot(visitor, request, "public-report").stat().st_size > 0

    # Its PDF link serves the same text.
    answer = visitor.request.get(live_server.url + PUBLIC + "pdf/")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    public_text = pdf_text(answer.body())
    assert RECOMMENDATION_FIXED in public_text and "Anonymous" in public_text and FIRST_NAME in public_text
    assert "Liberty Avenue" not in public_text


def test_add_a_quote_works_by_keyboard(live_server, page, user_factory, city_factory):
    data = setup_city(user_factory, city_factory)
    log_in(page.context, live_server, data["organizer"])
    page.goto(live_server.url + EDITOR)
    add = page.get_by_role("button", name="Add a quote")
    expect(add).to_be_visible()  # shown once the script runs
    expect(page.locator("[data-formset='quotes'] fieldset")).to_have_count(1)

    # Tab from the last field of the first quote reaches the button.
    group(page, "Quote 1").get_by_label(exact("Excerpt")).focus()
    page.keyboard.press("Tab")
    expect(add).to_be_focused()

    # Enter adds a form, and the focus moves into its first field.
    page.keyboard.press("Enter")
    expect(page.locator("[data-formset='quotes'] fieldset")).to_have_count(2)
    new_testimony = group(page, "New quote").get_by_label("Testimony")
    expect(new_testimony).to_be_focused()
    expect(page.locator("input[name='quotes-TOTAL_FORMS']")).to_have_value("2")
    assert new_testimony.get_attribute("name") == "quotes-1-testimony"

    # Choosing by keyboard works in the new form; the non-consenting testimony is not offered there either.
    expect(new_testimony.locator(f"option[value='{data['private'].pk}']")).to_have_count(0)
    page.keyboard.press("ArrowDown")
    expect(new_testimony).not_to_have_value("")

    # Space on the focused button adds another.
    add.focus()
    page.keyboard.press("Space")
    expect(page.locator("[data-formset='quotes'] fieldset")).to_have_count(3)
    expect(page.locator("#id_quotes-2-testimony")).to_be_focused()


def page_estimate(page) -> str:
    return flat(page.locator("[data-live-pages]").inner_text())


def test_page_estimate_follows_the_words_as_the_organizer_types(live_server, page, user_factory, city_factory, request):
    data = setup_city(user_factory, city_factory)
    log_in(page.context, live_server, data["organizer"])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + EDITOR)
    page.get_by_label(exact("Executive summary")).fill(EXECUTIVE_SUMMARY)
    section = group(page, "New section")
    section.get_by_label(required("Theme")).select_option(label="Housing")
    section.get_by_label(exact("Challenges")).fill(CHALLENGES)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(messages(page)).to_have_text(["Saved."])
    saved = page_estimate(page)
    assert saved == "about 3 pages with cover and contents"
    printed = flat(page.locator("[data-live-printed]").inner_text())

    # 300 more words in the challenges: the count and the pages move before anything is saved.
    challenges = group(page, "Section: Housing").get_by_label(exact("Challenges"))
    challenges.fill(CHALLENGES + "\n\n" + " ".join(["rent"] * 300))
    expect(page.locator("[data-live-pages]")).to_have_text("about 4 pages with cover and contents")
    words_now = int(printed.split()[0]) + 300
    expect(page.locator("[data-live-printed]")).to_have_text(re.compile(rf"^\s*{words_now} of "))
    assert save_screenshot(page, request, "editor-estimate-1280").stat().st_size > 0

    # Saving gives the server's own figures, the same as those shown while typing.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(messages(page)).to_have_text(["Saved."])
    expect(page.locator("[data-live-pages]")).to_have_text("about 4 pages with cover and contents")
    expect(page.locator("[data-live-printed]")).to_have_text(re.compile(rf"^\s*{words_now} of "))
    page.set_viewport_size({"width": 390, "height": 844})
    assert save_screenshot(page, request, "editor-estimate-390").stat().st_size > 0

    # Typing the text away again brings the estimate back down.
    group(page, "Section: Housing").get_by_label(exact("Challenges")).fill(CHALLENGES)
    expect(page.locator("[data-live-pages]")).to_have_text(saved)


def test_after_submitting_the_drafts_file_stays_listed_marked_draft(
    live_server, page, user_factory, city_factory, request
):
    from reports import services as report_services
    from tests.reports.factories import make_report

    data = setup_city(user_factory, city_factory)
    make_report(data["city"], sections=1)
    log_in(page.context, live_server, data["organizer"])
    page.goto(live_server.url + EDITOR)
    pdf_panel = page.locator("#render-report-pdf")
    pdf_panel.get_by_role("button", name="Make the PDF").click()
    download_link = pdf_panel.get_by_role("link", name=re.compile(r"^Download "))
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as downloading:
        download_link.click()
    draft_text = pdf_text(Path(downloading.value.path()).read_bytes())
    assert "DRAFT: not submitted to the national team" in draft_text
    assert draft_text.count("DRAFT · made ") == pypdf.PdfReader(downloading.value.path()).get_num_pages() - 1

    submit_and_expect_locked(page, 1)
    pdf_panel = page.locator("#render-report-pdf")
    expect(pdf_panel).to_contain_text(
        "not made yet for this text. The file made before submitting is the draft, marked DRAFT on every page; "
        "the submitted version needs its own file:"
    )
    expect(pdf_panel.get_by_role("link", name=re.compile(r"^Download the draft \("))).to_be_visible()
    assert save_screenshot(page, request, "files-after-submitting").stat().st_size > 0
    pdf_panel.get_by_role("button", name="Make the PDF").click()
    version_link = page.locator("#render-report-pdf").get_by_role("link", name=re.compile(r"^Download .*-v1\.pdf$"))
    expect(version_link).to_be_visible(timeout=60_000)
    with page.expect_download() as downloading:
        version_link.click()
    version_text = pdf_text(Path(downloading.value.path()).read_bytes())
    assert "DRAFT" not in version_text
    assert "Version 1, submitted to the national team on" in version_text
    assert report_services.report_for(data["city"]).versions.count() == 1


def test_cite_resources_by_keyboard_and_reorder_them(live_server, page, user_factory, city_factory, request):
    """The organizer cites two resources of the library with the keyboard only, gives the second one place 1,
    saves, and the preview lists them in that order; a resource not yet published is never offered."""
    from resources.enums import ResourceKind, ResourceStatus
    from tests.resources import make_resource

    data = setup_city(user_factory, city_factory)
    make_resource(
        title="Report of the Working Group (2020 review)",
        slug="a-hrc-46-15",
        kind=ResourceKind.UN_DOCUMENT,
        un_symbol="A/HRC/46/15",
    )
    make_resource(title="Notes on compiling your UPR reports", slug="notes", kind=ResourceKind.GUIDE)
    waiting = make_resource(title="A suggestion not yet checked", slug="waiting", status=ResourceStatus.SUGGESTED)
    log_in(page.context, live_server, data["organizer"])
    page.goto(live_server.url + EDITOR)
    # The report needs a section to be saved: choose its theme.
    page.locator("#id_sections-0-theme").select_option(str(data["housing"].pk))

    first = group(page, "Cited resource 1").get_by_label(required("Resource"))
    first.focus()
    expect(first.locator(f"option[value='{waiting.pk}']")).to_have_count(0)
    page.keyboard.press("End")  # the last title in the list: the Working Group's report
    page.keyboard.press("Tab")  # the note
    page.keyboard.type("paragraph 26")
    cite_another = page.get_by_role("button", name="Cite another resource")
    cite_another.focus()
    page.keyboard.press("Enter")
    second = page.locator("#id_citations-1-resource")
    expect(second).to_be_focused()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")  # the first title: the guide
    page.keyboard.press("Tab")  # its note, left empty
    page.keyboard.press("Tab")  # its place in the list
    expect(page.locator("#id_citations-1-ORDER")).to_be_focused()
    page.keyboard.type("1")  # place 1: printed first
    page.locator("#id_citations-0-ORDER").fill("2")
    page.locator("#citations-heading").scroll_into_view_if_needed()
    save_screenshot(page, request, "citations-in-the-editor")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(messages(page)).to_have_text(["Saved."])

    page.goto(live_server.url + f"/organize/{SLUG}/report/preview/")
    listed = page.locator(".report-document h2#resources ~ div")
    expect(listed).to_have_count(2)
    expect(listed.nth(0)).to_contain_text("Notes on compiling your UPR reports")
    expect(listed.nth(1)).to_contain_text("A/HRC/46/15")
    expect(listed.nth(1)).to_contain_text("Cited for: paragraph 26")
