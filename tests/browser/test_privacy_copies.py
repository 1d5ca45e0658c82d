"""Privacy follows the copies in a real browser: two people quoted in the compiled national report use their
private links, one to stay anonymous from now on and the other to withdraw; the national team (two-factor login)
then finds neither the name nor the withdrawn words on the report's admin page, on the joint submitters' sign-off
page or in a fresh PDF (made in the admin, downloaded and read back), and the files made before are no longer
offered: superseded after the new name, deleted with the withdrawn words."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from national.compile import compile_report
from tests.browser.conftest import save_screenshot
from tests.browser.test_cities import staff_logs_in_with_totp
from tests.browser.test_national_report import QUOTE, admin_messages, check_row, flat, paragraph_inline, pdf_pages
from tests.browser.test_national_report import setup_world as national_world

NAME = "Rosa"  # the first name setup_world's quoted person chose
WITHDRAWN_NAME = "Marcus Bell"
WITHDRAWN_WORDS = "The inspector never came to our building."
CONSENT_CHECK = "Every quote's consent allows the report to the UN"
SUPERSEDED = (
    "Superseded: made before a change to the text or to a quoted person's consent, name or public version; no "
    "longer handed out. Make a fresh one above."
)


def setup_world(user_factory, city_factory) -> dict:
    """The national report world (tests/browser/test_national_report.py), with a second person quoted in
    Pittsburgh's accepted local report, the national report compiled, and its PDF and Word files made."""
    from reports import rendering
    from reports import services as report_services
    from reports.enums import ReportStatus
    from reports.models import LocalReport, Quote
    from testimony.enums import Identification
    from tests.testimony.factories import make_testimony

    world = national_world(user_factory, city_factory)
    pittsburgh = LocalReport.objects.get(city=world["cities"][0])
    housing = world["quoted"].themes.get()
    second = make_testimony(
        city=pittsburgh.city,
        body=WITHDRAWN_WORDS,
        allows_local_report=True,
        allows_national_report=True,
        identification=Identification.FULL_NAME,
        display_name=WITHDRAWN_NAME,
        themes=[housing],
    )
    # The national team returned Pittsburgh's report; the city quoted one more person and it was accepted again.
    LocalReport.objects.filter(pk=pittsburgh.pk).update(status=ReportStatus.RETURNED)
    pittsburgh.refresh_from_db()
    Quote.objects.create(report=pittsburgh, testimony=second, theme=housing, position=1)
    report_services.submit(pittsburgh, by=None)
    report_services.accept(pittsburgh, by=None)
    report = world["report"]
    compile_report(report)
    # Celery is eager and the live server's database commits at once: the files are made here.
    earlier = [rendering.request_render(report, "report", fmt) for fmt in ("pdf", "docx")]
    return {**world, "second": second, "earlier": earlier, "submitter": report.joint_submitters.first()}


def file_text(render) -> str:
    render.refresh_from_db()
    with render.file.open("rb") as handle:
        return " ".join(pdf_pages(handle.read())) if render.format == "pdf" else docx_text(handle.read())


def docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    return flat(" ".join(p.text for p in document.paragraphs))


def files_table(page):
    return page.locator("#renders tbody tr")


def test_anonymous_and_withdrawn_quotes_leave_the_national_report_pages_and_files(
    live_server, page, new_context, user_factory, city_factory, request
):
    from national.enums import ParagraphKind
    from reports.enums import RenderStatus
    from reports.models import Render
    from testimony.enums import Identification, Status

    world = setup_world(user_factory, city_factory)
    report, quoted, second = world["report"], world["quoted"], world["second"]
    # Before: the files made hold both people's names and words.
    earlier = world["earlier"]
    for render in earlier:
        render.refresh_from_db()
    assert [r.status for r in earlier] == [RenderStatus.DONE, RenderStatus.DONE], [r.error for r in earlier]
    for render in earlier:
        text = file_text(render)
        assert all(marker in text for marker in (NAME, QUOTE, WITHDRAWN_NAME, WITHDRAWN_WORDS)), render.format

    # 1. Rosa opens her private link and chooses to stay anonymous from now on: that narrows, so it applies at once.
    person = new_context().new_page()
    private_link = f"{live_server.url}/testimony/mine/{quoted.private_token}/"
    person.goto(private_link)
    person.get_by_role("radio", name="Anonymous: no name at all").check()
    person.get_by_role("button", name="Save my choices").click()
    expect(person).to_have_url(private_link)
    expect(person.get_by_text("Your choices are saved. Thank you.")).to_be_visible()
    quoted.refresh_from_db()
    assert (quoted.identification, quoted.display_name, quoted.pending_consent) == (Identification.ANONYMOUS, "", {})

    # 2. The national team signs in and opens the report: the name is gone, the quote stays ("Anonymous"); the
    #    files made before are superseded, without a link, and a fresh one is offered.
    staff_logs_in_with_totp(page, live_server, world["staff"])
    change_url = f"{live_server.url}/admin/national/nationalreport/{report.pk}/change/"
    page.goto(change_url)
    expect(files_table(page)).to_have_count(2)
    expect(files_table(page).locator("td:nth-child(2)")).to_have_text([SUPERSEDED, SUPERSEDED])
    expect(files_table(page).get_by_role("link")).to_have_count(0)
    assert NAME not in page.content() and QUOTE in flat(page.content())
    assert [r.status for r in Render.objects.filter(pk__in=[r.pk for r in earlier])] == [RenderStatus.SUPERSEDED] * 2
    assert save_screenshot(page, request, "after-anonymous").stat().st_size > 0

    # 3. Marcus withdraws his testimony through its private link.
    withdraw_link = f"{live_server.url}/testimony/mine/{second.private_token}/withdraw/"
    person.goto(withdraw_link)
    person.get_by_role("button", name="Yes, withdraw my testimony").click()
    expect(person.get_by_text("Your testimony is withdrawn. Your contact details are deleted.")).to_be_visible()
    second.refresh_from_db()
    assert second.status == Status.WITHDRAWN

    # 4. The national team reloads: neither name nor the withdrawn words; the earlier files were deleted with the
    #    words; the consent check names the paragraph that no longer resolves.
    page.goto(change_url)
    content = flat(page.content())
    for marker in (NAME, WITHDRAWN_NAME, WITHDRAWN_WORDS):
        assert marker not in content, marker
    assert QUOTE in content
    assert not Render.objects.filter(pk__in=[r.pk for r in earlier]).exists()
    expect(files_table(page)).to_have_text(["No file made yet."])
    withdrawn_paragraph = report.paragraphs.get(kind=ParagraphKind.QUOTE, testimony=second)
    consent = check_row(page, CONSENT_CHECK)
    expect(consent).to_have_class("check-fail")
    expect(consent).to_contain_text("1 of 2 quotes")
    expect(consent).to_contain_text(f"quote of testimony #{second.pk}")

    # 5. The team leaves out the paragraph of the withdrawn quote; every check passes again.
    paragraph_inline(page, withdrawn_paragraph).get_by_role("checkbox", name=re.compile(r"^Leave out:?$")).check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(admin_messages(page)).to_contain_text([re.compile("was changed successfully")])
    expect(page.locator("#ohchr-checks tr.check-fail")).to_have_count(0)
    expect(check_row(page, CONSENT_CHECK)).to_contain_text("1 of 1 quotes")

    # 6. The joint submitters' sign-off page shows neither.
    sign_off = new_context().new_page()
    sign_off.goto(f"{live_server.url}/sign-off/{world['submitter'].token}/")
    signed = flat(sign_off.content())
    assert QUOTE in signed and "Anonymous" in signed
    for marker in (NAME, WITHDRAWN_NAME, WITHDRAWN_WORDS):
        assert marker not in signed, marker

    # 7. A fresh PDF made in the admin, downloaded from the files table and read back: neither, and the quote that
    #    may still print is there, anonymous.
    page.get_by_role("button", name="Make the PDF", exact=True).click()
    expect(admin_messages(page)).to_have_text([re.compile(r"^The file \S+\.pdf is being made")])
    page.goto(change_url)
    link = files_table(page).get_by_role("link", name=re.compile(r"\.pdf$"))
    expect(link).to_have_count(1)
    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    text = " ".join(pdf_pages(Path(download.path()).read_bytes()))
    assert QUOTE in text and "Anonymous" in text
    for marker in (NAME, WITHDRAWN_NAME, WITHDRAWN_WORDS):
        assert marker not in text, marker
    expect(files_table(page)).to_have_count(1)
    assert save_screenshot(page, request, "fresh-file").stat().st_size > 0
