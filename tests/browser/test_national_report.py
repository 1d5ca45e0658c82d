"""The national stakeholder report in a real browser: the national team (two-factor login) compiles it in the
admin from three accepted local reports, adds a sentence to one paragraph, sees the word-count check fail with its
figures and a render refused, fixes it by leaving out a recommendation that repeats a shared one, sees every OHCHR
check pass, makes the Word file and the PDF and downloads both; the files are read back."""

from __future__ import annotations

import datetime as dt
import io
import re
from importlib import import_module
from pathlib import Path

import docx
import pypdf
from playwright.sync_api import expect

from national.compile import compile_report
from national.document import build_national_report
from tests.browser.conftest import save_screenshot
from tests.browser.test_cities import PASSWORD, staff_logs_in_with_totp
from tests.conftest import with_totp

TITLE = "Human rights in US cities"
SUBMITTER = "US Human Rights Cities Alliance"
ACRONYM = "USHRCA"
QUOTE = "My children slept in their coats."
# The recommendation Pittsburgh and Boston both link to the same official one (merged, "Shared by 2 cities."),
# and Seattle's own wording of it, not linked, so compiling keeps it apart: the paragraph the team leaves out.
SHARED_PITTSBURGH = "Guarantee the right to adequate housing, with rents capped in line with wages."
SHARED_BOSTON = "Make adequate housing a right in state law and fund it."
# The compiled recommendation cites the official recommendation that Pittsburgh and Boston linked.
FOLLOWS_UP = "This follows up UPR recommendation 26.250 of 2020."
SEATTLE_REPEAT = "Guarantee the right to adequate housing for everyone in Seattle."
# What the national team adds to Pittsburgh's first housing concern.
ADDED = "In March 2025 the city council put off its new rental inspection law for two more years."
# The limit leaves this many words of room over what compiling gives: the compiled text fits, the added sentence
# does not.
ROOM = 6
CHECKS = [
    "Word count",
    "Paragraphs numbered",
    "First page names the submitter, its acronym and a description",
    "Joint submission lists every organisation with its acronym",
    "Period covered",
    "Every quote's consent allows the report to the UN",
    "Follow-up of the previous review's recommendations",
]


def flat(text: str) -> str:
    return " ".join(text.split())


def setup_world(user_factory, city_factory) -> dict:
    """Cycle 4 (current) and cycle 3 with an official recommendation; Pittsburgh, Boston and Seattle, each with an
    accepted local report of two theme sections; a quote whose consent allows the report to the UN; the national
    report (a joint submission of two organisations, period set) and a national team member with an
    authenticator."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from accounts.roles import NATIONAL_TEAM
    from national.enums import SubmissionType
    from national.models import JointSubmitter, NationalReport
    from reports import services as report_services
    from reports.models import ReportRecommendation
    from testimony.enums import Identification
    from testimony.models import ConsentText
    from tests.reports.factories import current_cycle, make_report, themes
    from tests.testimony.factories import make_testimony
    from upr.enums import Response
    from upr.models import Recommendation, ReviewCycle

    if not ConsentText.objects.exists():  # emptied by an earlier transactional test's flush
        import_module("testimony.migrations.0002_consent_text_and_permissions").add_first_consent_text(apps, None)
    cycle = current_cycle()
    earlier = ReviewCycle.objects.create(
        number=3, review_date=dt.date(2020, 11, 9), outcome_adopted=dt.date(2021, 3, 18), report_symbol="A/HRC/46/15"
    )
    assert (cycle.number, ReviewCycle.objects.current()) == (4, cycle)
    official = Recommendation.objects.create(
        cycle=earlier,
        document="A/HRC/46/15",
        paragraph="26.250",
        text="Ensure adequate housing for all.",
        recommending_states="Namibia",
        response=Response.SUPPORTED,
    )
    housing, water = themes(2)
    cities = [city_factory("Pittsburgh", "PA"), city_factory("Boston", "MA"), city_factory("Seattle", "WA")]
    quoted = make_testimony(
        city=cities[0],
        body=f"Our landlord ignored the broken heating all winter. {QUOTE}",
        allows_local_report=True,
        allows_national_report=True,
        identification=Identification.FIRST_NAME,
        display_name="Rosa",
        themes=[housing],
    )
    shared = [SHARED_PITTSBURGH, SHARED_BOSTON, SEATTLE_REPEAT]
    locals_ = []
    for index, city in enumerate(cities):
        report = make_report(
            city,
            sections=2,
            paragraphs_per_section=2,
            words_per_paragraph=40,
            recommendations=0,
            seed=index,
            quotes=[quoted] if index == 0 else (),
        )
        rec = ReportRecommendation.objects.create(
            report=report, text=shared[index], level="state", theme=housing, reinforces_unfulfilled=index < 2
        )
        if index < 2:
            rec.official.set([official])
        ReportRecommendation.objects.create(
            report=report,
            text=f"Publish {city.name}'s water shut-off figures every month.",
            level="local",
            theme=water,
            position=1,
        )
        report_services.submit(report, by=None)
        report_services.accept(report, by=None)
        locals_.append(report)

    national_report = NationalReport.objects.create(
        cycle=cycle,
        title=TITLE,
        submitter=SUBMITTER,
        acronym=ACRONYM,
        description="A network of local coalitions working for human rights in US cities.",
        contact_email="national@example.org",
        submission_type=SubmissionType.JOINT,
        period_start=dt.date(2020, 11, 9),
        period_end=dt.date(2025, 4, 1),
    )
    JointSubmitter.objects.create(report=national_report, name="Pittsburgh Human Rights Coalition", acronym="PHRC")
    JointSubmitter.objects.create(
        report=national_report, name="Boston Human Rights Alliance", acronym="BHRA", position=1
    )

    staff = with_totp(user_factory("national@example.org", PASSWORD, staff=True, full_name="Nat Team"))
    # The national team holds every permission on the reports and national apps' models (accounts/roles.py). The
    # flush after each browser test empties the group the migrations made, so it is given them here.
    team, _created = Group.objects.get_or_create(name=NATIONAL_TEAM)
    team.permissions.add(*Permission.objects.filter(content_type__app_label__in=["reports", "national"]))
    staff.groups.add(team)
    return {"report": national_report, "cities": cities, "cycle": cycle, "quoted": quoted, "staff": staff}


def compiled_word_count(report) -> int:
    """The words the compiled report will count, found by compiling in a transaction that is rolled back (so the
    browser compiles a report that has no paragraphs yet)."""
    from django.db import transaction

    with transaction.atomic():
        compile_report(report)
        words = build_national_report(report).word_count()
        transaction.set_rollback(True)
    assert not report.paragraphs.exists()
    return words


def admin_messages(page):
    return page.locator("ul.messagelist li")


def check_row(page, name: str):
    return page.locator("#ohchr-checks tbody tr").filter(has=page.get_by_role("rowheader", name=name, exact=True))


def paragraph_inline(page, paragraph):
    """The stacked inline form of `paragraph` on the report's admin page (found by its hidden id field)."""
    id_field = page.locator(f"#paragraphs-group input[name$='-id'][value='{paragraph.pk}']")
    prefix = id_field.get_attribute("name").removesuffix("-id")
    return page.locator(f"#{prefix}")


def save_and_continue(page, change_url: str) -> None:
    page.get_by_role("button", name="Save and continue editing").click()
    # (After a redirect that names no fragment, the browser keeps the one of the page it posted from.)
    expect(page).to_have_url(re.compile(re.escape(change_url) + "(#[a-z-]+)?$"))
    expect(admin_messages(page)).to_have_text(
        [re.compile(rf"^The national report “{re.escape(TITLE)} \({ACRONYM}\)” was changed successfully")]
    )


def make_and_download(page, request, change_url: str, button: str, suffix: str) -> bytes:
    """Click a render button, reload until the files table links the file (at once here: Celery is eager), download
    it through the link and keep it beside the screenshots."""
    filename = f"ushrca-upr-cycle-4-stakeholder-report.{suffix}"
    page.get_by_role("button", name=button, exact=True).click()
    expect(admin_messages(page)).to_have_text([f"The file {filename} is being made; reload this page to download it."])
    link = page.locator("#renders table").get_by_role("link", name=re.compile(rf"\.{suffix}$"))
    for _attempt in range(30):
        if link.count():
            break
        page.wait_for_timeout(1_000)
        page.goto(change_url)
    expect(link).to_have_count(1)
    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == filename
    saved = Path(request.getfixturevalue("output_path")) / download.suggested_filename
    download.save_as(saved)
    return saved.read_bytes()


def docx_numbered_paragraphs(data: bytes) -> list[tuple[int, str]]:
    """The Word file's numbered paragraphs ("12. text"), after the contents, as (number, text)."""
    document = docx.Document(io.BytesIO(data))
    numbered, started = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            started = True
        if started and (match := re.match(r"^(\d+)\. (.*)$", paragraph.text.strip(), re.S)):
            numbered.append((int(match.group(1)), flat(match.group(2))))
    return numbered


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text as laid out, whitespace flattened and words hyphenated at a line's end joined again."""
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return [re.sub(r"(\w)- (\w)", r"\1\2", flat(page.extract_text(extraction_mode="layout"))) for page in pages]


def test_national_team_compiles_edits_fixes_a_failing_check_renders_and_downloads(
    live_server, page, user_factory, city_factory, request
):

    from national.enums import ParagraphKind
    from national.models import NationalParagraph
    from reports.document import count_words
    from reports.enums import RenderStatus
    from reports.models import Render

    data = setup_world(user_factory, city_factory)
    report, cycle = data["report"], data["cycle"]
    pittsburgh, seattle = data["cities"][0], data["cities"][2]
    compiled_words = compiled_word_count(report)
    limit = compiled_words + ROOM
    cycle.word_limit_joint = limit
    cycle.save(update_fields=["word_limit_joint"])
    added_words = count_words(ADDED)
    assert added_words > ROOM

    # 1. The national team signs in (email, password, authenticator code) and opens the report in the admin:
    #    nothing compiled yet, so the numbering check fails.
    staff_logs_in_with_totp(page, live_server, data["staff"])
    change_url = f"{live_server.url}/admin/national/nationalreport/{report.pk}/change/"
    page.goto(change_url)
    expect(page.get_by_role("heading", name="OHCHR checks")).to_be_visible()
    expect(page.locator("#ohchr-checks tbody th")).to_have_text(CHECKS)
    expect(check_row(page, "Paragraphs numbered")).to_contain_text("fail")
    expect(check_row(page, "Paragraphs numbered")).to_contain_text("0 numbered paragraphs")
    # Every failing check says what to do in its last column.
    failing = page.locator("#ohchr-checks tr.check-fail")
    expect(failing).to_have_count(2)
    for row in failing.all():
        assert row.locator("td").last.inner_text().strip()
    expect(check_row(page, "Paragraphs numbered").locator("td").last).to_have_text(
        "The report has no paragraphs yet: compile it from the accepted local reports."
    )
    expect(page.locator("#compile")).to_contain_text("3 accepted local reports can be compiled.")
    expect(page.locator("#paragraphs-group .inline-related.has_original")).to_have_count(0)

    # 2. Compiles: the paragraphs appear in the inline, every check passes, the text fits with ROOM words to spare.
    page.get_by_role("button", name="Compile from accepted local reports").click()
    expect(page).to_have_url(change_url)
    count = NationalParagraph.objects.filter(report=report).count()
    assert count > 10
    expect(admin_messages(page)).to_have_text(
        [
            f"{TITLE} ({ACRONYM}) compiled: {count} paragraphs added, 0 updated, 0 edited by hand kept, 0 removed, "
            "0 to look at (their sources changed)."
        ]
    )
    expect(page.locator("#paragraphs-group .inline-related.has_original")).to_have_count(count)
    expect(page.locator("#compile")).to_contain_text(re.compile(r"Last compiled \w+\.? \d+, \d{4} at \d\d:\d\d\.\s"))
    expect(page.locator("#ohchr-checks tr.check-fail")).to_have_count(0)
    expect(check_row(page, "Word count")).to_contain_text(f"{compiled_words:,} of {limit:,} words (joint submission")
    expect(check_row(page, "Paragraphs numbered")).to_contain_text(f"{count} numbered paragraphs")
    # Boston's wording (first by name), citing the linked official recommendation.
    shared = NationalParagraph.objects.get(report=report, text=f"{SHARED_BOSTON} {FOLLOWS_UP}")
    expect(check_row(page, "Follow-up of the previous review's recommendations")).to_contain_text(
        "1 earlier recommendation followed up (26.250)"
    )
    assert shared.note == "Shared by 2 cities."
    expect(paragraph_inline(page, shared).get_by_label(re.compile(r"^Note:?$"))).to_have_value("Shared by 2 cities.")
    expect(paragraph_inline(page, shared)).to_contain_text("Boston, MA, v1")  # the trail, in the admin only

    # 3. Adds a sentence to Pittsburgh's first housing concern and saves.
    concern = NationalParagraph.objects.get(report=report, source_key=f"challenge:{pittsburgh.pk}:housing:0")
    edited_text = f"{concern.text} {ADDED}"
    concern_form = paragraph_inline(page, concern)
    expect(concern_form.get_by_label(re.compile(r"^Text:?$"))).to_have_value(concern.text)
    concern_form.get_by_label(re.compile(r"^Text:?$")).fill(edited_text)
    save_and_continue(page, change_url)
    concern.refresh_from_db()
    assert concern.text == edited_text and concern.edited
    expect(paragraph_inline(page, concern)).to_contain_text("Edited by hand.")

    # 4. The word-count check fails, with its figures; the other checks still pass.
    over = compiled_words + added_words
    word_count = check_row(page, "Word count")
    expect(word_count).to_have_class("check-fail")
    expect(word_count).to_contain_text(f"{over:,} of {limit:,} words (joint submission")
    expect(word_count).to_contain_text(f"{over - limit:,} words too many.")
    expect(page.locator("#ohchr-checks tr.check-fail")).to_have_count(1)
    assert save_screenshot(page, request, "checks-failing").stat().st_size > 0

    # 5. "Make the PDF" without "render anyway" is refused, naming the check; nothing is rendered.
    anyway = page.get_by_role("checkbox", name="Render anyway, although a check fails")
    expect(anyway).to_be_visible()
    expect(anyway).not_to_be_checked()
    page.get_by_role("button", name="Make the PDF", exact=True).click()
    expect(page).to_have_url(change_url + "#ohchr-checks")
    expect(admin_messages(page)).to_have_text(
        ["Not rendered: these checks fail: Word count. Fix them, or tick “render anyway”."]
    )
    expect(page.locator("ul.messagelist li.error")).to_have_count(1)
    assert not Render.objects.exists()

    # 6. The fix: Seattle's recommendation says what the shared one already says; the team leaves it out.
    repeat = NationalParagraph.objects.get(report=report, kind=ParagraphKind.RECOMMENDATION, text=SEATTLE_REPEAT)
    assert [c.pk for c in repeat.cities.all()] == [seattle.pk]
    repeat_words = count_words(SEATTLE_REPEAT, f"Source: local reports of {seattle.name}, {seattle.state}.")
    assert over - repeat_words <= limit
    repeat_form = paragraph_inline(page, repeat)
    repeat_form.get_by_role("checkbox", name=re.compile(r"^Leave out:?$")).check()
    save_and_continue(page, change_url)
    repeat.refresh_from_db()
    assert repeat.omitted

    # 7. Every check passes; "render anyway" is no longer offered.
    final_words = over - repeat_words
    expect(page.locator("#ohchr-checks tr.check-fail")).to_have_count(0)
    expect(page.locator("#ohchr-checks tr.check-pass")).to_have_count(len(CHECKS))
    expect(check_row(page, "Word count")).to_contain_text(f"{final_words:,} of {limit:,} words (joint submission")
    expect(check_row(page, "Paragraphs numbered")).to_contain_text(f"{count - 1} numbered paragraphs")
    expect(check_row(page, "Joint submission lists every organisation with its acronym")).to_contain_text(
        "2 organisations"
    )
    expect(check_row(page, "Every quote's consent allows the report to the UN")).to_contain_text("1 of 1 quotes")
    expect(page.get_by_role("checkbox", name="Render anyway, although a check fails")).to_have_count(0)
    assert save_screenshot(page, request, "checks-passing").stat().st_size > 0
    page.locator("#ohchr-checks").screenshot(path=str(Path(request.getfixturevalue("output_path")) / "checks.png"))

    # 8. Makes the Word file (for the UN) and the PDF, and downloads both from the files table.
    word = make_and_download(page, request, change_url, "Make the Word file (for the UN)", "docx")
    pdf = make_and_download(page, request, change_url, "Make the PDF", "pdf")
    renders = Render.objects.order_by("format")
    assert [(r.format, r.status) for r in renders] == [("docx", RenderStatus.DONE), ("pdf", RenderStatus.DONE)]
    expect(page.locator("#renders tbody tr")).to_have_count(2)
    assert save_screenshot(page, request, "files").stat().st_size > 0
    document = build_national_report(report)
    assert document.word_count() == final_words

    # The Word file: every kept paragraph numbered, 1 to the end in order; the team's sentence in Pittsburgh's
    # paragraph; Seattle's repeat left out; the shared recommendation there once.
    numbered = docx_numbered_paragraphs(word)
    assert [n for n, _text in numbered] == list(range(1, count))
    assert [n for n, _text in numbered] == [b.number for b in document.blocks if b.number]
    edited = [text for _n, text in numbered if ADDED in text]
    assert len(edited) == 1 and edited[0].startswith(flat(concern.generated_text))
    assert edited[0].endswith(f"{ADDED} (Pittsburgh, PA)")
    texts = " ".join(text for _n, text in numbered)
    assert SEATTLE_REPEAT not in texts
    assert texts.count(SHARED_BOSTON) == 1 and SHARED_PITTSBURGH not in texts  # merged under the first wording
    assert QUOTE in texts

    # The PDF: the submitter, its acronym and the joint submitters on the first page; the team's sentence in the
    # body; Seattle's repeat left out.
    pages = pdf_pages(pdf)
    assert renders.get(format="pdf").pages == len(pages) >= 2
    assert f"{SUBMITTER} ({ACRONYM})" in pages[0]
    assert "Pittsburgh Human Rights Coalition (PHRC)" in pages[0] and "Boston Human Rights Alliance (BHRA)" in pages[0]
    body = " ".join(pages)
    assert ADDED in body
    assert SEATTLE_REPEAT not in body
    assert "Shared by 2 cities." in body and QUOTE in body
