"""Bytes the portal cannot read get a 400, never a 500 (and never an email to the admins): portal.middleware."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

from cities.models import GetInvolvedRequest
from tests.events import make_event
from tests.testimony.factories import make_testimony

NEVER = 500
ACCEPTABLE = {200, 301, 302, 400, 403, 404, 405}


def _sample(converter, value_for_text: str) -> str:
    if isinstance(converter, IntConverter):
        return "1"
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=1))
    if isinstance(converter, (SlugConverter, StringConverter, PathConverter)):
        return value_for_text
    return "1"


def _routes(patterns, prefix: str = "", converters: dict | None = None):
    """(route with <name> placeholders, converters by name) for every URL pattern of the project, walked."""
    for entry in patterns:
        pattern = entry.pattern
        route = getattr(pattern, "_route", None)
        if route is None:
            # A regular expression (the admin's app index): named groups become placeholders.
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", pattern.regex.pattern).lstrip("^").rstrip("$")
            route = route.replace("\\", "")
        found = {**(converters or {}), **getattr(pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + route, found)
        elif isinstance(entry, URLPattern):
            yield prefix + route, found


def _paths(value_for_text: str) -> list[str]:
    paths = set()
    for route, converters in _routes(get_resolver().url_patterns):

        def fill(match, converters=converters):
            return _sample(converters.get(match.group(1)), value_for_text)

        paths.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route))
    return sorted(paths)


@pytest.fixture
def some_data(personas):
    """Enough rows that the sample values reach views, not only their 404s."""
    make_event(host_city=personas["city_a"], slug="pittsburgh-pa")
    make_testimony(city=personas["city_a"])
    return personas


def _clients(client, django_user_model, personas):
    from django.test import Client

    organizer = Client()
    organizer.force_login(personas["organizer_a"])
    staff = Client()
    staff_user = personas["staff_mfa"]
    staff_user.is_superuser = True
    staff_user.save()
    staff.force_login(staff_user)
    return {"anonymous": client, "organizer": organizer, "staff": staff}


def test_every_url_with_a_nul_byte_in_the_query_or_a_form_field_answers_400(client, django_user_model, some_data):
    paths = _paths("pittsburgh-pa")
    assert len(paths) > 100  # the walk found the admin's pages too
    answers = {}
    for who, visitor in _clients(client, django_user_model, some_data).items():
        for path in paths:
            answers[(who, "GET ?q=%00", path)] = visitor.get(path + "?q=%00").status_code
            answers[(who, "POST q=\\0", path)] = visitor.post(path, {"q": "a\x00b"}).status_code
    assert {key: status for key, status in answers.items() if status != 400} == {}


def test_every_url_with_a_nul_byte_in_the_path_answers_400(client, some_data):
    answers = {path: client.get(path).status_code for path in _paths("a%00b") if "%00" in path}
    assert len(answers) > 10
    assert {path: status for path, status in answers.items() if status != 400} == {}


def test_every_url_with_ordinary_or_undecodable_input_never_answers_500(client, django_user_model, some_data):
    paths = _paths("pittsburgh-pa")
    failures = {}
    for who, visitor in _clients(client, django_user_model, some_data).items():
        visitor.raise_request_exception = False
        for path in paths:
            for method, response in (
                ("GET", visitor.get(path + "?q=x&page=2&state=PA")),
                ("GET not UTF-8", visitor.get(path + "?q=%ff%fe&page=%c3")),
                ("POST", visitor.post(path, {"q": "x"})),
            ):
                if response.status_code not in ACCEPTABLE:
                    failures[(who, method, path)] = response.status_code
    assert failures == {}


def test_a_nul_byte_in_a_cookie_answers_400(client, db):
    client.cookies["sessionid"] = "abcdefghijklmnop\x00qrstuvwxyz012345"
    assert client.get("/cities/").status_code == 400


GET_INVOLVED = b"name=Ana&email=ana%40example.org&help_with=events"


def test_an_unknown_charset_answers_400_and_stores_nothing(client, personas):
    response = client.generic(
        "POST",
        "/cities/pittsburgh-pa/get-involved/",
        GET_INVOLVED,
        content_type="application/x-www-form-urlencoded; charset=no-such-charset-42",
    )
    assert response.status_code == 400
    assert GetInvolvedRequest.objects.count() == 0


def test_a_form_in_another_charset_than_utf8_answers_400(client, personas):
    response = client.generic(
        "POST",
        "/cities/pittsburgh-pa/get-involved/",
        b"name=+AGEA-\xff\xfe&email=ana%40example.org&help_with=events",
        content_type="application/x-www-form-urlencoded; charset=utf-7",
    )
    assert response.status_code == 400
    assert GetInvolvedRequest.objects.count() == 0


def test_the_same_form_in_utf8_is_accepted(client, personas):
    response = client.generic(
        "POST",
        "/cities/pittsburgh-pa/get-involved/",
        GET_INVOLVED,
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code == 302
    assert GetInvolvedRequest.objects.count() == 1


def test_a_malformed_multipart_body_answers_400(client, personas):
    response = client.generic(
        "POST",
        "/cities/pittsburgh-pa/testimony/new/",
        b'--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nno end',
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400


def test_the_400_page_is_the_portals_and_names_no_detail(client, db):
    response = client.get("/cities/?q=%00")
    assert response.status_code == 400
    assert "We could not read what was sent" in response.text
    assert "\x00" not in response.text


def test_bad_input_sends_no_email_to_the_admins(client, db, settings, mailoutbox):
    settings.ADMINS = ["admin@example.org"]
    answers = [
        client.get("/cities/?q=%00").status_code,
        client.get("/events/registration/a%00b/").status_code,  # was a 500 on PostgreSQL, and an email
        client.post("/cities/pittsburgh-pa/get-involved/", {"name": "\x00"}).status_code,
    ]
    assert answers == [400, 400, 400]
    assert mailoutbox == []
