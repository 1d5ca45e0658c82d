"""The officials' brief and its annex: what they print (read back from the PDF and the Word file), privacy, the
two-page limit, and who may ask for and download them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from reports import rendering
from reports.enums import RenderStatus
from reports.models import Render
from testimony import services as testimony_services
from testimony.enums import Identification
from tests.http import release
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_tracked
from tracking import brief, services
from tracking.enums import EvidenceKind
from tracking.services import EvidenceInput

TODAY = dt.date(2026, 6, 1)


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    return " ".join(" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)).split())


@pytest.fixture
def tracked(personas):
    city = personas["city_a"]
    item = make_tracked(city, count=1, updates_each=0)[0]
    shown = make_testimony(
        city=city,
        body="The shelter closed and we slept in the car.",
        allows_advocacy=True,
        identification=Identification.PSEUDONYM,
        display_name="Blue Heron",
    )
    unshown = make_testimony(city=city, body="Words kept from advocacy.", allows_advocacy=False)
    update = services.record_update(
        item,
        status="regressed",
        what_changed="The family shelter closed.",
        observed_on=TODAY,
        by=None,
        evidence=[
            EvidenceInput(EvidenceKind.LINK, title="News", url="https://example.org/shelter"),
            EvidenceInput(
                EvidenceKind.DOCUMENT, title="Zqprivatememo", document=SimpleUploadedFile("m.pdf", b"%PDF-1.4")
            ),
            EvidenceInput(EvidenceKind.TESTIMONY, testimony=shown, excerpt="we slept in the car"),
        ],
    )
    # Testimony that does not allow advocacy can never be recorded as evidence; stored directly, it still never prints.
    from tracking.models import Evidence

    Evidence.objects.create(update=update, kind=EvidenceKind.TESTIMONY, testimony=unshown)
    return city, item, shown


def test_the_annex_prints_the_record_and_only_what_may_print(tracked):
    city, _item, _shown = tracked
    document = rendering.build_document(city, brief.ANNEX)
    pdf, pages = rendering.render_bytes(document, "pdf")
    text = _pdf_text(pdf)
    assert "The family shelter closed." in text
    assert "we slept in the car" in text and "Blue Heron" in text
    assert "https://example.org/shelter" in text
    assert "Words kept from advocacy" not in text
    assert "Zqprivatememo" not in text
    assert "We are working on it." not in text  # the reply of make_tracked's second item only
    docx, _pages = rendering.render_bytes(document, "docx")
    assert "The family shelter closed." in _docx_text(docx)


def test_the_brief_fits_in_two_pages_with_sixty_items(personas):
    city = personas["city_a"]
    make_tracked(city, count=60, updates_each=2, evidence=False)
    document = rendering.build_document(city, brief.BRIEF)
    pdf, pages = rendering.render_bytes(document, "pdf")
    assert pages <= 2, pages
    assert "Also tracked, in the full annex" in _pdf_text(pdf)


def test_withdrawal_deletes_the_brief_files(tracked, django_capture_on_commit_callbacks):
    city, _item, shown = tracked
    with django_capture_on_commit_callbacks(execute=True):
        render = rendering.request_render(city, brief.ANNEX, "pdf")
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    testimony_services.withdraw_testimony(shown)
    assert not Render.objects.filter(pk=render.pk).exists()


def test_organizers_make_and_download_the_brief_others_get_404(
    client, tracked, personas, django_capture_on_commit_callbacks
):
    city, _item, _shown = tracked
    client.force_login(personas["organizer_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organize/{city.slug}/tracking/brief/", {"document": brief.BRIEF, "format": "pdf"})
    assert response.status_code == 302
    render = Render.objects.get(document=brief.BRIEF)
    page = client.get(f"/organize/{city.slug}/tracking/brief/").content.decode()
    assert f"/organize/{city.slug}/tracking/brief/{render.pk}/" in page
    download = client.get(f"/organize/{city.slug}/tracking/brief/{render.pk}/")
    assert download.status_code == 200
    assert "brief for officials" in _pdf_text(b"".join(download.streaming_content)).lower()
    release(download)
    assert client.post(f"/organize/{city.slug}/tracking/brief/", {"document": "x", "format": "pdf"}).status_code == 400
    client.force_login(personas["organizer_b"])
    assert client.get(f"/organize/{city.slug}/tracking/brief/").status_code == 404
    assert client.get(f"/organize/{city.slug}/tracking/brief/{render.pk}/").status_code == 404
    # Boston's organizer cannot reach Pittsburgh's file through Boston's address either.
    assert client.get(f"/organize/{personas['city_b'].slug}/tracking/brief/{render.pk}/").status_code == 404
