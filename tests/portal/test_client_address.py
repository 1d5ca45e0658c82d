"""One place decides the client's address (portal.ratelimit.client_address), for our rate limits and allauth's."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter

from cities.models import GetInvolvedRequest
from portal.ratelimit import client_address

OFFER = {"name": "Ana", "email": "ana@example.org", "help_with": ["events"]}


def request_from(rf, forwarded_for: str | None = None, remote: str = "10.0.0.1"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return rf.get("/", **extra)


def test_client_address_with_no_trusted_proxy_ignores_x_forwarded_for(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from(rf, "203.0.113.7")) == "10.0.0.1"


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the left-most entry is whatever the client wrote
        (2, "6.6.6.6, 198.51.100.2, 203.0.113.7", "198.51.100.2"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, None, "10.0.0.1"),  # not through the proxy at all
        (2, "203.0.113.7", "10.0.0.1"),  # fewer hops than proxies: the header proves nothing
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies_counts_hops_from_the_right(rf, settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(rf, forwarded_for)) == expected


def test_a_spoofed_x_forwarded_for_does_not_bypass_the_rate_limit(client, personas, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "get_involved": (2, 3600)}
    answers = [
        client.post("/cities/pittsburgh-pa/get-involved/", OFFER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert answers == [302, 302, 429]
    assert GetInvolvedRequest.objects.count() == 2


def test_behind_one_proxy_each_client_has_its_own_limit(client, personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "get_involved": (1, 3600)}
    url = "/cities/pittsburgh-pa/get-involved/"
    answers = [
        client.post(url, OFFER, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code,
        # A forged left-most entry does not make a new client: the proxy's own entry is the right-most.
        client.post(url, OFFER, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1").status_code,
        client.post(url, OFFER, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code,
    ]
    assert answers == [302, 429, 302]


@pytest.mark.parametrize(("count", "expected"), [(0, "10.0.0.1"), (1, "203.0.113.7")])
def test_allauth_asks_the_same_function(rf, settings, count, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = request_from(rf, "6.6.6.6, 203.0.113.7")
    assert get_adapter(request).get_client_ip(request) == expected == client_address(request)


def test_allauth_login_limit_is_not_bypassed_by_a_spoofed_x_forwarded_for(client, personas, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    texts = [
        client.post(
            "/accounts/login/",
            {"login": "resident@example.org", "password": "wrong password"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).text
        for n in range(3)
    ]
    assert ["Too many failed login attempts" in text for text in texts] == [False, False, True]
