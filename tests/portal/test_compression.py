"""Compression of responses (portal.middleware.PublicGZipMiddleware and portal.cache's stored gzip copies): public
pages are compressed for browsers that accept gzip; a page with a CSRF token, a signed-in person's page and a
private link's page never are (BREACH)."""

from __future__ import annotations

import gzip

import pytest
from django.core.cache import cache

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def city(city_factory):
    return city_factory("Pittsburgh", "PA", latitude=40.44, longitude=-79.99)


@pytest.mark.parametrize("cache_seconds", [0, 60])
def test_public_page_is_compressed_for_browsers_that_accept_gzip(client, city, settings, cache_seconds):
    settings.PUBLIC_PAGE_CACHE_SECONDS = cache_seconds
    for _ in range(2):  # rendered, then (with the cache on) from the cache
        response = client.get("/cities/", **GZIP)
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert "Pittsburgh" in gzip.decompress(response.content).decode()
    plain = client.get("/cities/")
    assert not plain.has_header("Content-Encoding")
    assert "Pittsburgh" in plain.content.decode()


def test_cached_copies_are_kept_apart_by_encoding(client, city, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    client.get("/cities/", **GZIP)
    assert not client.get("/cities/").has_header("Content-Encoding")
    assert client.get("/cities/", **GZIP)["Content-Encoding"] == "gzip"


def test_page_with_a_csrf_token_is_not_compressed(client, city):
    response = client.get(f"/cities/{city.slug}/testimony/new/", **GZIP)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not response.has_header("Content-Encoding")


def test_signed_in_pages_are_not_compressed(client, city, user_factory):
    client.force_login(user_factory())
    response = client.get("/cities/", **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_private_link_page_is_not_compressed(client, city):
    from tests.testimony.factories import make_testimony

    testimony = make_testimony(city=city, body="The clinic closed on weekends. " * 20)
    response = client.get(f"/testimony/mine/{testimony.private_token}/", **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
