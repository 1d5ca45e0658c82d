import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from testimony import media
from testimony.enums import Identification, Nature, Status
from tests.testimony.factories import default_city, make_testimony
from upr.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing():
    return Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")


@pytest.fixture
def water():
    return Theme.objects.create(slug="water", name="Water", name_es="Agua")


def titles(response) -> list[str]:
    return [t.title for t in response.context["page"]]


# --- The list -----------------------------------------------------------------------------------------------


def test_list_shows_public_testimony_with_name_city_themes_and_date(client, housing):
    make_testimony(
        title="Evicted in winter",
        body="The landlord changed the locks.",
        identification=Identification.FIRST_NAME,
        display_name="Rosa",
        occurred_on=datetime.date(2025, 1, 14),
        place_text="Elm Street",
        themes=[housing],
    )
    make_testimony(body="Anonymous words " * 3)
    make_testimony(title="Waiting", status=Status.RECEIVED)
    response = client.get("/testimony/")
    assert response.status_code == 200
    assert titles(response) == ["", "Evicted in winter"]
    text = response.text
    assert "Rosa" in text and "Anonymous" in text
    assert "The landlord changed the locks." in text
    assert "Pittsburgh, PA" in text and "Housing" in text
    assert '<time datetime="2025-01-14">' in text and "Elm Street" in text
    assert "Waiting" not in text
    assert 'href="/testimony/' in text
    assert "Anonymous words Anonymous words" in text  # no title: the first words of the public text


def test_list_truncates_long_text_and_uses_public_body(client):
    make_testimony(body="SECRETORIGINAL " * 10, public_body=" ".join(f"w{i}" for i in range(200)))
    text = client.get("/testimony/").text
    assert "w59" in text and "w60" not in text
    assert "SECRETORIGINAL" not in text


def test_list_filters(client, city_factory, housing, water):
    boston = city_factory("Boston", "MA")
    make_testimony(title="A", themes=[housing])
    make_testimony(title="B", city=boston, nature=Nature.POSITIVE, themes=[water])
    make_testimony(title="C", city=boston, language="es", themes=[housing, water])
    assert titles(client.get("/testimony/")) == ["C", "B", "A"]
    assert titles(client.get("/testimony/?city=boston-ma")) == ["C", "B"]
    assert titles(client.get("/testimony/?theme=housing")) == ["C", "A"]
    assert titles(client.get("/testimony/?nature=positive")) == ["B"]
    assert titles(client.get("/testimony/?nature=challenge")) == ["C", "A"]
    assert titles(client.get("/testimony/?language=es")) == ["C"]
    assert titles(client.get("/testimony/?city=boston-ma&theme=water&language=en")) == ["B"]
    # An unknown choice is an error shown with the form; the list is then unfiltered.
    response = client.get("/testimony/?city=nowhere")
    assert "Select a valid choice" in response.text
    assert titles(response) == ["C", "B", "A"]


def test_city_filter_offers_only_cities_with_public_testimony(client, city_factory):
    city_factory("Boston", "MA")
    make_testimony(title="A")
    make_testimony(title="Hidden", city=city_factory("Quiet", "OH"), allows_portal=False)
    form = client.get("/testimony/").context["form"]
    assert [c.slug for c in form.fields["city"].queryset] == ["pittsburgh-pa"]


def test_list_is_paginated_by_20(client):
    for i in range(45):
        make_testimony(title=f"T{i:02}")
    first = client.get("/testimony/")
    assert len(first.context["page"]) == 20
    assert "Page 1 of 3" in first.text and "?page=2" in first.text
    assert titles(client.get("/testimony/?page=3")) == [f"T{i:02}" for i in range(4, -1, -1)]
    filtered = client.get("/testimony/?nature=challenge")
    assert "?nature=challenge&amp;page=2" in filtered.text
    assert len(client.get("/testimony/?page=999").context["page"]) == 5  # the last page


@pytest.mark.parametrize("path", ["/testimony/", "/testimony/?city=pittsburgh-pa&theme=housing&nature=challenge"])
def test_list_query_count_is_constant(client, city_factory, housing, path):
    def add(i):
        city = city_factory(f"Town {i}", "PA") if i % 2 else default_city()
        make_testimony(title=f"T{i}", city=city, themes=[housing])

    for i in range(3):
        add(i)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for i in range(3, 60):
        add(i)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert len(few) == len(many)
    assert len(response.context["page"]) == 20


# --- The testimony page -------------------------------------------------------------------------------------


def test_detail_shows_full_public_text_and_name(client, housing):
    testimony = make_testimony(
        title="SUBMITTEDTITLE",
        public_title="Water shut off",
        body="ORIGINALBODY with the neighbour's name",
        public_body="Redacted words. " * 80,
        identification=Identification.PSEUDONYM,
        display_name="La Vecina",
        themes=[housing],
        nature=Nature.CHALLENGE,
    )
    response = client.get(f"/testimony/{testimony.pk}/")
    assert response.status_code == 200
    text = response.text
    assert text.count("Redacted words.") == 80
    assert "ORIGINALBODY" not in text and "SUBMITTEDTITLE" not in text
    assert "La Vecina" in text and "Housing" in text
    assert "<h1>Water shut off</h1>" in text


def test_detail_without_public_body_shows_the_body(client):
    testimony = make_testimony(body="Only the original exists.")
    text = client.get(f"/testimony/{testimony.pk}/").text
    assert "Only the original exists." in text
    assert "Anonymous" in text


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.RECEIVED},
        {"status": Status.REJECTED},
        {"status": Status.WITHDRAWN},
        {"allows_portal": False, "allows_advocacy": True, "allows_local_report": True, "allows_national_report": True},
        {"age_confirmed": False},
    ],
)
def test_detail_is_404_unless_public(client, fields):
    testimony = make_testimony(**fields)
    assert client.get(f"/testimony/{testimony.pk}/").status_code == 404


def test_detail_of_missing_testimony_is_404(client):
    assert client.get("/testimony/999999/").status_code == 404


def test_guardian_consent_makes_a_minor_s_testimony_public(client):
    testimony = make_testimony(age_confirmed=False, guardian_consent=True)
    assert client.get(f"/testimony/{testimony.pk}/").status_code == 200


def test_less_precise_shows_only_the_year_and_no_place(client):
    testimony = make_testimony(
        title="Blurred", less_precise=True, occurred_on=datetime.date(2024, 3, 9), place_text="PLACEMARKER Ave"
    )
    for path in ["/testimony/", f"/testimony/{testimony.pk}/", "/cities/pittsburgh-pa/"]:
        text = client.get(path).text
        assert '<time datetime="2024">2024</time>' in text, path
        assert "PLACEMARKER" not in text, path
        assert "2024-03-09" not in text and "March 9" not in text, path


def test_less_precise_without_a_date_shows_the_year_received(client):
    testimony = make_testimony(title="Blurred", less_precise=True)
    year = testimony.created_at.year
    text = client.get(f"/testimony/{testimony.pk}/").text
    assert f'<time datetime="{year}">{year}</time>' in text
    assert testimony.created_at.strftime("%Y-%m-%d") not in text


# --- Media --------------------------------------------------------------------------------------------------


def test_image_is_shown_with_its_caption(client):
    testimony = make_testimony(
        media_file=SimpleUploadedFile("street.png", b"\x89PNG\r\n", content_type="image/png"),
        media_caption="The flooded street",
    )
    text = client.get(f"/testimony/{testimony.pk}/").text
    assert f'src="/testimony/{testimony.pk}/media/"' in text
    assert 'alt="The flooded street"' in text
    assert '<figcaption class="figure-caption">The flooded street</figcaption>' in text


@pytest.mark.parametrize(("name", "tag"), [("voice.mp3", "<audio controls"), ("clip.mp4", "<video controls")])
def test_audio_and_video_files_have_players_and_the_transcript(client, name, tag):
    testimony = make_testimony(
        media_file=SimpleUploadedFile(name, b"data"), transcript="TRANSCRIPT words spoken", media_caption="Cap"
    )
    text = client.get(f"/testimony/{testimony.pk}/").text
    assert tag in text and f'src="/testimony/{testimony.pk}/media/"' in text
    assert "<h2" in text and "Transcript" in text and "TRANSCRIPT words spoken" in text


def test_other_files_are_offered_as_a_link(client):
    testimony = make_testimony(media_file=SimpleUploadedFile("notes.pdf", b"%PDF"))
    text = client.get(f"/testimony/{testimony.pk}/").text
    assert f'<a href="/testimony/{testimony.pk}/media/">Open the attached file</a>' in text
    assert 'alt="Photo shared' not in text and "<audio" not in text and "<video" not in text


def test_youtube_link_is_embedded_without_cookies(client):
    testimony = make_testimony(media_link="https://www.youtube.com/watch?v=dQw4w9WgXcQ", transcript="Said this")
    text = client.get(f"/testimony/{testimony.pk}/").text
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in text
    assert "www.youtube.com/embed" not in text
    assert "Said this" in text


def test_other_links_are_shown_as_links(client):
    testimony = make_testimony(media_link="https://archive.example.org/talk")
    text = client.get(f"/testimony/{testimony.pk}/").text
    assert "<iframe" not in text
    assert 'href="https://archive.example.org/talk"' in text


def test_file_kind():
    assert [media.file_kind(n) for n in ["a.JPG", "b.ogg", "c.webm", "d.pdf", "noext"]] == [
        "image",
        "audio",
        "video",
        "",
        "",
    ]


# --- The city page ------------------------------------------------------------------------------------------


def test_city_page_shows_the_latest_five_and_links_to_the_list(client, city_factory):
    boston = city_factory("Boston", "MA")
    for i in range(7):
        make_testimony(public_title=f"Pgh {i}")
    make_testimony(public_title="Boston one", city=boston)
    make_testimony(public_title="Private one", allows_portal=False)
    text = client.get("/cities/pittsburgh-pa/").text
    assert 'id="city-testimony-title"' in text
    assert [f"Pgh {i}" in text for i in range(7)] == [False, False, True, True, True, True, True]
    assert "Boston one" not in text and "Private one" not in text
    assert 'href="/testimony/?city=pittsburgh-pa"' in text


def test_city_page_without_public_testimony(client):
    make_testimony(title="Waiting", status=Status.RECEIVED)
    text = client.get("/cities/pittsburgh-pa/").text
    assert "No testimony has been shared publicly yet." in text
    assert "Waiting" not in text


def test_city_page_query_count_does_not_grow_with_testimony(client, housing):
    make_testimony(title="First", themes=[housing])
    with CaptureQueriesContext(connection) as few:
        client.get("/cities/pittsburgh-pa/")
    for i in range(20):
        make_testimony(title=f"More {i}", themes=[housing])
    with CaptureQueriesContext(connection) as many:
        client.get("/cities/pittsburgh-pa/")
    assert len(few) == len(many)


def test_navigation_links_to_the_list(client):
    assert 'href="/testimony/"' in client.get("/").text


def test_spanish_pages_render(client):
    testimony = make_testimony(title="Hola")
    client.cookies["django_language"] = "es"
    assert client.get("/testimony/").status_code == 200
    assert client.get(f"/testimony/{testimony.pk}/").status_code == 200


def test_the_title_as_sent_is_never_public_only_the_organizers_public_title(client, db):
    testimony = make_testimony(title="What happened to Maria Lopez", body="We were evicted on Penn Avenue.")
    for path in ("/testimony/", f"/testimony/{testimony.pk}/"):
        page = client.get(path).text
        assert "Maria Lopez" not in page
        assert "We were evicted on Penn Avenue." in page
    testimony.public_title = "An eviction on Penn Avenue"
    testimony.save()
    assert "An eviction on Penn Avenue" in client.get(f"/testimony/{testimony.pk}/").text
