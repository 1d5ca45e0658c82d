import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.models import City


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def test_anonymous_public_page_is_rendered_once(client, city_factory, page_cache):
    city_factory("Erie", "PA")
    first = client.get("/cities/")
    City.objects.create(name="Later", state="OH", slug="later-oh", status="participating")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/cities/")
    assert len(queries) == 0
    assert second.content == first.content
    assert "Later" not in second.text
    # Another query string is another page.
    assert "Later" in client.get("/cities/?state=OH").text


def test_pages_are_cached_per_language(client, city_factory, page_cache):
    city_factory("Erie", "PA")
    english = client.get("/cities/")
    client.cookies["django_language"] = "es"
    spanish = client.get("/cities/")
    assert '<html lang="en">' in english.text
    assert '<html lang="es">' in spanish.text


def test_signed_in_people_always_get_a_fresh_page(client, personas, page_cache):
    client.force_login(personas["resident"])
    client.get("/cities/")
    City.objects.create(name="Later", state="OH", slug="later-oh", status="participating")
    assert "Later" in client.get("/cities/").text


def test_a_page_with_a_message_is_neither_served_from_nor_stored_in_the_cache(client, personas, page_cache):
    client.get("/cities/")  # cached without message
    response = client.post(
        "/cities/pittsburgh-pa/get-involved/",
        {"name": "Ana", "email": "ana@example.org", "help_with": ["events"]},
        follow=True,
    )
    assert "Thank you!" in response.text
    response = client.get("/cities/")
    assert list(get_messages(response.wsgi_request)) == []


@pytest.mark.parametrize("path", ["/", "/cities/", "/cities/pittsburgh-pa/", "/cities/join/"])
def test_public_pages_carry_no_csrf_token_and_set_no_cookie(client, personas, page_cache, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/cities/pittsburgh-pa/get-involved/", {"name": "Ana", "email": "ana@example.org", "help_with": ["events"]}),
        (
            "/cities/join/",
            {
                "state": "PA",
                "place": "5188843",
                "coalition_name": "Erie HR",
                "contact_name": "Dana",
                "contact_email": "dana@example.org",
                "why": "Housing.",
            },
        ),
    ],
)
def test_anonymous_public_forms_work_without_a_token(client, personas, path, data):
    client.handler.enforce_csrf_checks = True
    assert client.post(path, data).status_code == 302


def test_language_switch_works_without_a_token(client, db):
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
