"""The blank testimony form kept rendered (portal.cache.blank_form_page, issue 19): each visitor gets the stored page
with a CSRF token of their own, which works and is nobody else's; the stored copy holds no token at all; a new
consent wording or a signed-in person's menu are right at once."""

from __future__ import annotations

import datetime
import re

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.cache import TOKEN_MARKER
from testimony import models
from testimony.models import ConsentText
from tests.testimony.test_submit import GOOD, URL

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _visitor() -> Client:
    return Client(enforce_csrf_checks=True)


def _token(response) -> str:
    tokens = set(TOKEN.findall(response.content.decode()))
    assert len(tokens) == 1
    return tokens.pop()


def test_each_visitor_gets_the_stored_page_with_a_token_of_their_own_that_works(personas, page_cache):
    first, second = _visitor(), _visitor()
    page_a = first.get(URL)
    with CaptureQueriesContext(connection) as queries:
        page_b = second.get(URL)
    assert len(queries) == 0  # from the cache: no city, consent wording or themes read again
    token_a, token_b = _token(page_a), _token(page_b)
    assert token_a != token_b
    assert TOKEN_MARKER.decode() not in page_a.content.decode() + page_b.content.decode()
    assert TOKEN.sub("", page_a.content.decode()) == TOKEN.sub("", page_b.content.decode())
    assert "csrftoken" in page_b.cookies
    assert "private" in page_b["Cache-Control"] and page_b.get("Content-Encoding") is None
    # Each visitor's own token passes the CSRF check; the other's cookie does not go with it.
    data = {**GOOD, "csrfmiddlewaretoken": token_b}
    assert second.post(URL, data).status_code == 302
    assert models.Testimony.objects.count() == 1
    third = _visitor()
    third.get("/cities/")  # no CSRF cookie of the second visitor
    assert third.post(URL, {**GOOD, "csrfmiddlewaretoken": token_b}).status_code == 403


def test_the_stored_copy_holds_no_token(personas, page_cache):
    page = _visitor().get(URL)
    stored = list(_form_entries().values())
    assert stored, "the blank form was not stored"
    for _generation, response in stored:
        content = response.content.decode()
        assert TOKEN_MARKER.decode() in content
        assert _token(page) not in content and "csrftoken" not in str(response.cookies)


def _form_entries() -> dict:
    keys = [f"form:{language}:" for language in ("en", "es")]
    found = {}
    # The keys are hashed paths: read back the one this page uses (the wrapper's own formula).
    import hashlib

    digest = hashlib.sha256(URL.encode()).hexdigest()[:32]
    for prefix in keys:
        value = cache.get(f"{prefix}{digest}")
        if value is not None:
            found[prefix] = value
    return found


def test_a_new_consent_wording_is_on_the_form_at_once(personas, page_cache, on_commit):
    assert "(version 2026-1)" in _visitor().get(URL).content.decode()
    with on_commit():
        ConsentText.objects.create(
            version="2027-1", text_en="New wording.", text_es="Texto nuevo.", effective_from=datetime.date(2027, 1, 1)
        )
    page = _visitor().get(URL).content.decode()
    assert "(version 2027-1)" in page and '<input type="hidden" name="consent_version" value="2027-1"' in page


def test_english_and_spanish_are_kept_apart(personas, page_cache):
    english = _visitor().get(URL).content.decode()
    spanish = _visitor().get(URL, headers={"accept-language": "es"}).content.decode()
    again = _visitor().get(URL, headers={"accept-language": "es"}).content.decode()
    assert '<html lang="en"' in english and '<html lang="es"' in spanish and '<html lang="es"' in again


def test_a_signed_in_person_gets_their_menu_and_is_recorded_as_submitter(personas, page_cache):
    _visitor().get(URL)  # stored by an anonymous visit
    client = _visitor()
    client.force_login(personas["resident"])
    page = client.get(URL)
    text = page.content.decode()
    assert "resident@example.org" in text and ">Log in<" not in text
    # The form's token and the log-out button's: two maskings of the person's one secret, both good.
    tokens = sorted(set(TOKEN.findall(text)))
    assert len(tokens) == 2
    assert client.post(URL, {**GOOD, "csrfmiddlewaretoken": tokens[0]}).status_code == 302
    assert models.Testimony.objects.get().submitted_by == personas["resident"]


def test_errors_and_parameters_are_rendered_for_the_visitor(personas, page_cache):
    client = _visitor()
    token = _token(client.get(URL))
    response = client.post(URL, {**GOOD, "body": "", "csrfmiddlewaretoken": token})
    assert response.status_code == 400 and "Our landlord" not in response.content.decode()
    assert "Evicted in winter" in response.content.decode()  # what was valid is kept
    assert client.get(URL + "?from=newsletter").status_code == 200
