"""A quote in the national report is a reference to the testimony, resolved at every print and every display: the
name as the person chooses it today, the words only while they are inside today's public version and consent
allows the report to the UN. The admin page, the joint submitters' sign-off page, the OHCHR checks and the PDF and
Word files never show a name or words that no longer resolve."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from national.checks import ohchr_checks
from national.compile import compile_report
from national.document import build_national_report
from national.enums import ParagraphKind, SubmissionType
from national.models import JointSubmitter, NationalParagraph
from national.services import merge_paragraphs
from reports import rendering
from reports import services as report_services
from reports.enums import RenderStatus
from testimony import moderation, services
from testimony.enums import Identification
from tests.national.factories import make_national_report
from tests.reports.factories import make_report
from tests.testimony.factories import make_testimony

pytestmark = pytest.mark.django_db

NAME = "Rosalind Okafor"
WORDS = "My children slept in their coats all winter."
CONSENT_CHECK = "Every quote's consent allows the report to the UN"
WARNING = "holds a quote that no longer resolves"


@pytest.fixture
def world(personas):
    city = personas["city_a"]
    quoted = make_testimony(
        city=city,
        body=WORDS,
        public_body=WORDS,
        allows_local_report=True,
        allows_national_report=True,
        identification=Identification.FULL_NAME,
        display_name=NAME,
    )
    report = make_report(city, sections=1, recommendations=1, quotes=[quoted])
    report_services.submit(report, by=None)
    report_services.accept(report, by=None)
    national_report = make_national_report(submission_type=SubmissionType.JOINT)
    submitter = JointSubmitter.objects.create(
        report=national_report, name="Pittsburgh Coalition", acronym="PHRC", contact_email="phrc@example.org"
    )
    compile_report(national_report)
    paragraph = national_report.paragraphs.get(kind=ParagraphKind.QUOTE)
    return {"report": national_report, "quoted": quoted, "paragraph": paragraph, "submitter": submitter}


def _anonymous(testimony, staff):
    services.change_consent(testimony, identification=Identification.ANONYMOUS, display_name="")


def _pseudonym(testimony, staff):
    services.change_consent(testimony, identification=Identification.PSEUDONYM, display_name="Blue Heron")


def _narrowed(testimony, staff):
    services.change_consent(testimony, allows_national_report=False)


def _withdrawn(testimony, staff):
    services.withdraw_testimony(testimony)


def _redacted(testimony, staff):
    moderation.save_public_version(testimony, by=staff, public_body="My children were cold that winter.")


# change -> (name printed now or None, whether the words still print)
CHANGES = {
    "anonymous": (_anonymous, "Anonymous", True),
    "pseudonym": (_pseudonym, "Blue Heron", True),
    "narrowed": (_narrowed, None, False),
    "withdrawn": (_withdrawn, None, False),
    "redacted": (_redacted, None, False),
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> str:
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def _docx_text(data: bytes) -> str:
    """Every run of text of the Word file: body, footnotes, headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
    return _flat(" ".join(" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", part)) for part in parts))


def _files(report, capture) -> tuple[str, str]:
    with capture(execute=True):
        pdf = rendering.request_render(report, "report", "pdf")
        word = rendering.request_render(report, "report", "docx")
    pdf.refresh_from_db()
    word.refresh_from_db()
    assert pdf.status == word.status == RenderStatus.DONE, (pdf.error, word.error)
    with pdf.file.open("rb") as handle:
        pdf_text = _pdf_text(handle.read())
    with word.file.open("rb") as handle:
        word_text = _docx_text(handle.read())
    return pdf_text, word_text


def test_quote_resolved_before_any_change_prints_name_and_words(world, client, django_capture_on_commit_callbacks):
    """The baseline the other tests change: the words and the chosen name print everywhere."""
    pdf_text, word_text = _files(world["report"], django_capture_on_commit_callbacks)
    for text in (pdf_text, word_text):
        assert WORDS in text and NAME in text
    sign_off = client.get(reverse("national:sign_off", args=[world["submitter"].token])).content.decode()
    assert WORDS in sign_off and NAME in sign_off
    checks = {str(c.name): c for c in ohchr_checks(world["report"])}
    assert checks[CONSENT_CHECK].passed and checks[CONSENT_CHECK].figure == "1 of 1 quotes"


@pytest.mark.parametrize("change", CHANGES)
def test_quote_after_change_never_shows_the_old_name_or_words(
    world, change, client, superuser_client, django_capture_on_commit_callbacks
):
    apply, name_now, words_print = CHANGES[change]
    report, quoted, paragraph = world["report"], world["quoted"], world["paragraph"]
    apply(quoted, superuser_client.user)

    pdf_text, word_text = _files(report, django_capture_on_commit_callbacks)
    admin_page = superuser_client.get(reverse("admin:national_nationalreport_change", args=[report.pk]))
    paragraph_list = superuser_client.get(
        reverse("admin:national_nationalparagraph_changelist") + f"?report__id__exact={report.pk}"
    )
    paragraph_page = superuser_client.get(reverse("admin:national_nationalparagraph_change", args=[paragraph.pk]))
    sign_off = client.get(reverse("national:sign_off", args=[world["submitter"].token]))
    pages = {
        "admin": admin_page.content.decode(),
        "paragraph list": paragraph_list.content.decode(),
        "paragraph page": paragraph_page.content.decode(),
        "sign-off": sign_off.content.decode(),
    }
    assert [r.status_code for r in (admin_page, paragraph_list, paragraph_page, sign_off)] == [200, 200, 200, 200]
    printed = {"pdf": pdf_text, "docx": word_text, **pages}

    assert [where for where, text in printed.items() if NAME in text] == []
    checks = {str(c.name): c for c in ohchr_checks(report)}
    consent = checks[CONSENT_CHECK]
    if words_print:
        # Still quoted, under the name the person chose today.
        assert [where for where in ("pdf", "docx", "sign-off") if WORDS not in printed[where]] == []
        assert name_now in pdf_text and name_now in word_text
        assert consent.passed and consent.figure == "1 of 1 quotes"
        assert [where for where, text in pages.items() if WARNING in text] == []
    else:
        assert [where for where, text in printed.items() if "slept in their coats" in text] == []
        assert not consent.passed and consent.figure == "0 of 1 quotes"
        label = f"the paragraph in order {paragraph.position} (quote of testimony #{quoted.pk})"
        assert label in consent.detail
        # The admin pages name the paragraph and warn, in place of its words.
        assert [where for where in ("admin", "paragraph list", "paragraph page") if label not in pages[where]] == []
        assert [where for where in ("admin", "paragraph list", "paragraph page") if WARNING not in pages[where]] == []


def test_edited_quote_no_longer_word_for_word_is_flagged_and_not_printed(world, superuser_client):
    paragraph = world["paragraph"]
    paragraph.text = "My children slept in their coats, and so did I."
    paragraph.save()

    document = build_national_report(world["report"])
    consent = {str(c.name): c for c in ohchr_checks(world["report"], document)}[CONSENT_CHECK]
    page = superuser_client.get(reverse("admin:national_nationalreport_change", args=[world["report"].pk]))

    assert [b for b in document.blocks if b.kind == "quote"] == []
    assert not consent.passed
    assert f"the paragraph in order {paragraph.position} (quote of testimony #{world['quoted'].pk})" in consent.detail
    html = page.content.decode()
    assert WARNING in html and "and so did I" not in html and NAME not in html


def test_saving_the_admin_page_keeps_an_unresolved_quote_unchanged(world, superuser_client):
    """The warning stands in for the words; saving the page does not blank or change them."""
    from tests.national.test_national_report import admin_post_data

    services.change_consent(world["quoted"], allows_national_report=False)
    url = reverse("admin:national_nationalreport_change", args=[world["report"].pk])
    page = superuser_client.get(url)
    data = admin_post_data(page)

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    assert NationalParagraph.objects.get(pk=world["paragraph"].pk).text == WORDS


def test_merging_a_quote_into_another_paragraph_is_refused(world):
    finding = world["report"].paragraphs.filter(kind=ParagraphKind.CHALLENGE).first()
    with pytest.raises(ValueError, match="A quote stays a paragraph of its own"):
        merge_paragraphs([finding, world["paragraph"]])
    assert not NationalParagraph.objects.get(pk=world["paragraph"].pk).omitted


def test_paragraph_merged_with_a_quote_earlier_is_left_out_when_its_consent_goes(world, superuser_client):
    """A paragraph merged before merging quotes was refused still holds the words: it follows the quote's consent."""
    finding = world["report"].paragraphs.filter(kind=ParagraphKind.CHALLENGE).order_by("position").first()
    finding.text = f"{finding.text} {WORDS}"
    finding.trail = [*finding.trail, *world["paragraph"].trail]
    finding.save()
    NationalParagraph.objects.filter(pk=world["paragraph"].pk).update(omitted=True)

    services.change_consent(world["quoted"], allows_national_report=False)

    document = build_national_report(world["report"])
    consent = {str(c.name): c for c in ohchr_checks(world["report"], document)}[CONSENT_CHECK]
    assert "slept in their coats" not in " ".join(b.text for b in document.blocks)
    assert not consent.passed and consent.figure == "0 of 1 quotes"
    assert f"the paragraph in order {finding.position} (quote of testimony #{world['quoted'].pk})" in consent.detail
    page = superuser_client.get(reverse("admin:national_nationalreport_change", args=[world["report"].pk]))
    html = page.content.decode()
    assert WARNING in html and "slept in their coats" not in html


def test_compiling_stores_no_name(world):
    paragraph = world["paragraph"]
    assert not hasattr(paragraph, "attribution")
    assert str(paragraph) == f"Quote of testimony #{world['quoted'].pk}"
    assert NAME not in str(NationalParagraph.objects.filter(pk=paragraph.pk).values().get())
