"""Signed-in people on public pages (issue 19): they get the stored anonymous copy with their own account menu, and
what they get is exactly what rendering the page for them gives, on every public page of the world."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cities.models import City
from tests.pages import build_world
from tests.testimony.factories import make_testimony

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _same(html: str) -> str:
    return CSRF.sub('name="csrfmiddlewaretoken" value="…"', html)


def test_every_public_page_from_the_cache_is_what_rendering_it_for_them_gives(client, user_factory, settings):
    """For each public page of the world, in English and Spanish: the coordinator's page from the cache (stored by
    their own first visit, served on the second) is byte for byte the page rendered for them with the cache off,
    but for the CSRF token of the log-out button, which is new on every request anyway."""
    world = build_world(user_factory)
    client.force_login(world.coordinator)
    compared = 0
    for language in ("en", "es"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in world.public_pages():
            settings.PUBLIC_PAGE_CACHE_SECONDS = 0
            rendered = client.get(path)
            settings.PUBLIC_PAGE_CACHE_SECONDS = 60
            client.get(path)
            served = client.get(path)
            assert served.status_code == rendered.status_code, path
            assert _same(served.content.decode()) == _same(rendered.content.decode()), f"{language} {path}"
            compared += 1
    assert compared == 2 * len(world.public_pages())


def test_a_signed_in_person_gets_the_stored_page_with_their_own_menu(client, personas, page_cache):
    client.get("/cities/")  # stored by an anonymous visit
    client.force_login(personas["organizer_a"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cities/")
    text = response.content.decode()
    # The session and the person only: the page itself came from the cache.
    assert len(queries) <= 2, [q["sql"] for q in queries]
    assert "organizer-a@example.org" in text and "Log out" in text and ">Log in<" not in text
    assert 'name="csrfmiddlewaretoken"' in text
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert response.get("Content-Encoding") is None  # a page with a token is never compressed (BREACH)
    # The next anonymous visitor gets the anonymous copy: nothing of the person went into the cache.
    client.logout()
    anonymous = client.get("/cities/").content.decode()
    assert "organizer-a@example.org" not in anonymous and "csrfmiddlewaretoken" not in anonymous


def test_a_page_first_visited_signed_in_is_stored_as_anonymous_visitors_see_it(client, personas, page_cache):
    client.force_login(personas["organizer_b"])
    assert "organizer-b@example.org" in client.get("/cities/").content.decode()
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        anonymous = client.get("/cities/").content.decode()
    assert len(queries) == 0
    assert "organizer-b@example.org" not in anonymous and ">Log in<" in anonymous


def test_signed_in_people_see_each_committed_change_at_once(client, personas, page_cache, on_commit):
    client.force_login(personas["resident"])
    client.get("/cities/")
    with on_commit():
        City.objects.create(name="Later", state="OH", slug="later-oh", status="participating")
    assert "Later" in client.get("/cities/").content.decode()


def test_testimony_taken_off_the_portal_leaves_the_signed_in_copy_at_once(client, personas, page_cache, on_commit):
    from testimony.services import withdraw_testimony

    testimony = make_testimony(city=personas["city_a"], public_body="The rent doubled in one year.")
    client.force_login(personas["resident"])
    assert "The rent doubled" in client.get("/testimony/").content.decode()
    with on_commit():
        withdraw_testimony(testimony)
    assert "The rent doubled" not in client.get("/testimony/").content.decode()


def test_a_page_with_other_parameters_or_a_message_is_rendered_for_them(client, personas, page_cache):
    client.force_login(personas["organizer_a"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cities/?utm_source=newsletter")
    assert response.status_code == 200 and len(queries) > 2
    assert "organizer-a@example.org" in response.content.decode()


def test_a_missing_page_is_a_404_with_their_menu(client, personas, page_cache):
    client.force_login(personas["organizer_a"])
    response = client.get("/cities/nowhere-xx/")
    assert response.status_code == 404
