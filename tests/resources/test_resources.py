"""The resources library: what is public (published only), filters, files served by their real type, organizers'
suggestions moderated by the national team, constant query counts, and the seed page's real records."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources import services
from resources.demo import load_resources
from resources.enums import ResourceKind, ResourceStatus
from resources.models import Resource, validate_un_symbol
from tests.resources import make_resource
from upr.loaders import load_cycles, load_themes
from upr.models import ReviewCycle, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing(db):
    return Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


# --- what is public -------------------------------------------------------------------------------------------


def test_list_shows_published_resources_only(client):
    shown = make_resource(title="Working Group report", date=dt.date(2015, 7, 1))
    make_resource(title="Waiting suggestion", status=ResourceStatus.SUGGESTED)
    response = client.get("/resources/")
    assert response.status_code == 200
    assert list(response.context["page"]) == [shown]
    assert "Waiting suggestion" not in response.text
    assert f'href="/resources/{shown.slug}/"' in response.text


def test_suggested_resource_page_and_file_are_404(client):
    waiting = make_resource(status=ResourceStatus.SUGGESTED)
    assert client.get(f"/resources/{waiting.slug}/").status_code == 404
    assert client.get(f"/resources/{waiting.slug}/file/").status_code == 404


def test_detail_shows_symbol_with_un_link_and_spanish_title(client):
    resource = make_resource(
        title="Report of the Working Group",
        title_es="Informe del Grupo de Trabajo",
        un_symbol="A/HRC/30/12",
        kind=ResourceKind.UN_DOCUMENT,
        language_codes=["en", "es"],
    )
    html = client.get(f"/resources/{resource.slug}/").text
    assert '<a class="font-monospace" href="https://undocs.org/A/HRC/30/12">A/HRC/30/12</a>' in html
    assert "English, Spanish" in html
    spanish = client.get(f"/resources/{resource.slug}/", headers={"accept-language": "es"}).text
    assert "<h1>Informe del Grupo de Trabajo</h1>" in spanish


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=un_document", ["un"]),
        ("theme=housing", ["housing"]),
        ("language=es", ["un"]),
        ("cycle=CYCLE", ["un"]),
        ("kind=guide&theme=housing", ["housing"]),
        ("kind=slides", []),
    ],
)
def test_list_filters(client, housing, query, expected):
    cycle = ReviewCycle.objects.create(number=2)
    made = {
        "un": make_resource(kind=ResourceKind.UN_DOCUMENT, cycle=cycle, language_codes=["en", "es"]),
        "housing": make_resource(kind=ResourceKind.GUIDE, themes=[housing]),
    }
    response = client.get("/resources/?" + query.replace("CYCLE", str(cycle.pk)))
    assert list(response.context["page"]) == [made[key] for key in expected]


@pytest.mark.parametrize("query", ["kind=nonsense", "theme=%00", "cycle=abc", "language=xx", "page=-1", "page=zz"])
def test_bad_filters_answer_the_page_not_an_error(client, query):
    make_resource()
    # 400 is the portal's answer to bytes no form can hold (a NUL: portal's bad-input middleware).
    assert client.get("/resources/?" + query).status_code in (200, 400)


def test_list_query_count_is_constant(client, housing):
    for _ in range(3):
        make_resource(themes=[housing])
    with CaptureQueriesContext(connection) as few:
        client.get("/resources/?theme=housing")
    for _ in range(22):
        make_resource(themes=[housing])
    with CaptureQueriesContext(connection) as many:
        response = client.get("/resources/?theme=housing")
    assert len(few) == len(many)
    assert len(response.context["page"]) == 25


# --- UN symbols and files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("symbol", ["A/HRC/30/12", "A/HRC/46/15/Add.1", "A/HRC/WG.6/22/USA/1", "E/C.12/USA/CO/1"])
def test_real_un_symbols_are_accepted(symbol):
    validate_un_symbol(symbol)


@pytest.mark.parametrize("symbol", ["A HRC 30 12", "a/hrc/30/12", "A/HRC//12", "HRC", "A/HRC/30/12 ", "<b>A</b>/1"])
def test_malformed_un_symbols_are_refused(symbol):
    with pytest.raises(ValidationError):
        validate_un_symbol(symbol)


def test_resource_needs_a_file_or_a_link():
    resource = Resource(title="Nothing", slug="nothing", kind=ResourceKind.GUIDE)
    with pytest.raises(ValidationError, match="Give a file, a link, or both"):
        resource.full_clean()


# --- suggestions ----------------------------------------------------------------------------------------------


def test_suggest_needs_an_account(client):
    response = client.get("/resources/suggest/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_organizer_suggestion_waits_for_the_national_team_then_is_published(client, personas, superuser_client):
    from django.test import Client

    organizer = Client()
    organizer.force_login(personas["organizer_a"])
    upload = SimpleUploadedFile("toolkit.docx", docx_bytes(), content_type="application/octet-stream")
    response = organizer.post(
        "/resources/suggest/",
        {"title": "Local report toolkit", "kind": "template", "languages": ["en", "es"], "file": upload},
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Local report toolkit")
    assert resource.status == ResourceStatus.SUGGESTED
    assert resource.suggested_by == personas["organizer_a"]
    assert resource.language_codes == ["en", "es"]
    assert resource.file.name.endswith(".docx")
    assert client.get("/resources/").context["page"].paginator.count == 0
    assert client.get(f"/resources/{resource.slug}/file/").status_code == 404

    superuser_client.post(
        "/admin/resources/resource/", {"action": "publish_selected", "_selected_action": [resource.pk]}
    )
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED and resource.published_at is not None
    served = client.get(f"/resources/{resource.slug}/file/")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert served["Content-Disposition"].startswith("attachment")
    assert b"".join(served.streaming_content) == docx_bytes()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary"),  # an executable named .pdf
        ("slides.pptx", b"PK\x03\x04not really a zip"),
        ("archive.docx", b""),
    ],
)
def test_suggestion_with_a_file_that_is_not_what_it_says_is_refused_and_nothing_stored(client, personas, name, content):
    client.force_login(personas["organizer_a"])
    response = client.post(
        "/resources/suggest/",
        {"title": "Kept title", "kind": "guide", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert not Resource.objects.exists()
    assert 'value="Kept title"' in response.text


def test_suggestion_without_file_or_link_says_so(client, personas):
    client.force_login(personas["organizer_a"])
    response = client.post("/resources/suggest/", {"title": "Nothing attached", "kind": "guide"})
    assert response.status_code == 400
    assert "Give a file, a link, or both." in response.text
    assert not Resource.objects.exists()


def test_pdf_file_is_served_inline_as_pdf(client):
    resource = Resource(title="Guide", slug="guide", kind=ResourceKind.GUIDE, status=ResourceStatus.PUBLISHED)
    services.attach_file(resource, SimpleUploadedFile("guide.pdf", b"%PDF-1.7\n%%EOF\n"))
    resource.save()
    served = client.get(f"/resources/{resource.slug}/file/")
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("inline")
    assert b"".join(served.streaming_content).startswith(b"%PDF-")


# --- the real records -----------------------------------------------------------------------------------------


def test_demo_loads_the_seed_pages_resources_with_their_un_symbols_idempotently():
    load_themes()
    load_cycles()
    assert load_resources() == 14
    assert load_resources() == 14
    assert Resource.objects.count() == 14
    assert set(Resource.objects.exclude(un_symbol="").values_list("un_symbol", flat=True)) == {
        "A/HRC/16/11",
        "A/HRC/16/11/Add.1",
        "A/HRC/30/12",
        "A/HRC/30/12/Add.1",
        "A/HRC/46/15",
        "A/HRC/46/15/Add.1",
    }
    baseline = Resource.objects.get(un_symbol="A/HRC/30/12")
    assert baseline.cycle.number == 2 and baseline.link == "https://undocs.org/A/HRC/30/12"
    assert not Resource.objects.exclude(status=ResourceStatus.PUBLISHED).exists()
    assert not Resource.objects.filter(link="").exists()
