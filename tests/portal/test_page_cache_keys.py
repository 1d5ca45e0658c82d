"""The page cache's key holds only the query parameters a page reads, so random query strings cannot fill Redis."""

from __future__ import annotations

import secrets

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal.cache import GENERATION_KEY, public_page


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def page_keys() -> list[str]:
    """The stored pages (not the generation), read from the cache itself."""
    client = cache._cache.get_client()
    return sorted(key.decode() for key in client.keys(cache.make_key("page:*")) if GENERATION_KEY not in key.decode())


@pytest.fixture
def redis_cache(settings):
    if "Redis" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("counts the keys Redis holds (set REDIS_URL)")


def test_random_query_parameters_create_at_most_one_cache_entry(client, personas, page_cache, redis_cache):
    answers = {client.get(f"/cities/?x={secrets.token_hex(8)}").status_code for _ in range(50)}
    assert answers == {200}
    assert len(page_keys()) <= 1


def test_unknown_parameters_are_served_from_the_canonical_page(client, personas, page_cache, redis_cache):
    canonical = client.get("/cities/")
    assert len(page_keys()) == 1
    tagged = client.get("/cities/?utm_source=newsletter&x=1")
    assert tagged.content == canonical.content
    assert len(page_keys()) == 1


def test_declared_parameters_are_keyed_sorted(client, personas, page_cache, redis_cache):
    client.get("/cities/?state=PA&status=participating")
    client.get("/cities/?status=participating&state=PA")
    client.get("/cities/?status=participating&state=PA&utm_source=x")
    assert len(page_keys()) == 1


def test_made_up_choices_of_a_filter_form_are_not_stored(client, personas, page_cache, redis_cache):
    answers = [client.get(f"/cities/?state={secrets.token_hex(4)}").status_code for _ in range(5)]
    assert answers == [200] * 5
    assert page_keys() == []


def test_a_page_with_unknown_parameters_is_rendered_when_nothing_is_cached(rf: RequestFactory, db, page_cache):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    seen = []

    @public_page(query=("page",))
    def view(request):
        seen.append(dict(request.GET))
        return HttpResponse("ok")

    def get(url):
        request = rf.get(url)
        request.user = AnonymousUser()
        request._messages = []
        return view(request)

    get("/list/?page=2&x=1")  # rendered for it, not stored
    get("/list/?page=2")  # rendered and stored
    get("/list/?x=9&page=2")  # the stored canonical page
    get("/list/?page=3")
    assert seen == [{"page": ["2"], "x": ["1"]}, {"page": ["2"]}, {"page": ["3"]}]
