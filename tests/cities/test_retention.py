"""Offers to help and requests to join are deleted a set time after they stop being needed; a resident deletes
their own offer with the private link in the receipt."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cities.enums import RequestKind, RequestStatus
from cities.models import CityRequest, GetInvolvedRequest
from cities.retention import delete_expired_requests
from cities.services import offer_url

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def offer(city, made_days_ago: float, name="Ana") -> GetInvolvedRequest:
    row = GetInvolvedRequest.objects.create(
        city=city, name=name, email=f"{name.lower()}@example.org", help_with=["events"]
    )
    GetInvolvedRequest.objects.filter(pk=row.pk).update(created_at=NOW - dt.timedelta(days=made_days_ago))
    return row


def city_request(status, decided_days_ago: float | None, name="Erie", **extra) -> CityRequest:
    return CityRequest.objects.create(
        state="PA",
        city_name=name,
        coalition_name="Coalition",
        contact_name="Dana Lee",
        contact_email="dana@example.org",
        why="Housing.",
        status=status,
        decided_at=None if decided_days_ago is None else NOW - dt.timedelta(days=decided_days_ago),
        **extra,
    )


def test_request_retention_deletes_offers_and_decided_requests_after_365_days(personas, settings):
    assert (settings.GET_INVOLVED_RETENTION_DAYS, settings.CITY_REQUEST_RETENTION_DAYS_AFTER_DECISION) == (365, 365)
    city = personas["city_a"]
    old_offer, new_offer = offer(city, 365.01, "Old"), offer(city, 364.99, "New")
    approved = city_request(RequestStatus.APPROVED, 365.01, "Approved")
    declined = city_request(RequestStatus.DECLINED, 400, "Declined", kind=RequestKind.JOIN_TEAM, city=city)
    recent = city_request(RequestStatus.DECLINED, 300, "Recent")
    pending = city_request(RequestStatus.PENDING, None, "Pending")
    CityRequest.objects.filter(pk=pending.pk).update(created_at=NOW - dt.timedelta(days=800))

    assert delete_expired_requests(now=NOW) == 3

    assert list(GetInvolvedRequest.objects.values_list("pk", flat=True)) == [new_offer.pk]
    assert sorted(CityRequest.objects.values_list("city_name", flat=True)) == ["Pending", "Recent"]
    assert not GetInvolvedRequest.objects.filter(pk=old_offer.pk).exists()
    assert not CityRequest.objects.filter(pk__in=[approved.pk, declined.pk]).exists()
    assert CityRequest.objects.filter(pk__in=[recent.pk, pending.pk]).count() == 2
    # Idempotent.
    assert delete_expired_requests(now=NOW) == 0


def test_request_retention_follows_the_settings(personas, settings):
    settings.GET_INVOLVED_RETENTION_DAYS = 30
    settings.CITY_REQUEST_RETENTION_DAYS_AFTER_DECISION = 10
    offer(personas["city_a"], 31)
    city_request(RequestStatus.APPROVED, 11)

    assert delete_expired_requests(now=NOW) == 2
    assert (GetInvolvedRequest.objects.count(), CityRequest.objects.count()) == (0, 0)


def test_request_retention_is_two_queries_when_nothing_is_due(personas, django_assert_num_queries):
    offer(personas["city_a"], 10)
    city_request(RequestStatus.APPROVED, 10)
    with django_assert_num_queries(2):
        assert delete_expired_requests(now=NOW) == 0


def test_request_retention_job_is_registered():
    from portal.registry import periodic_jobs

    assert dict(periodic_jobs.items())["cities_request_retention"] is delete_expired_requests


# --- The resident deletes their own offer -------------------------------------------------------------------


def test_get_involved_receipt_links_to_a_private_page_that_deletes_the_offer(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/cities/pittsburgh-pa/get-involved/",
            {"name": "Ana", "email": "ana@example.org", "help_with": ["events"], "message": "Evenings work."},
        )
    stored = GetInvolvedRequest.objects.get()
    receipt = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    assert "We keep your offer for 365 days. To delete it sooner" in receipt.body
    link = re.search(r"http://127\.0\.0\.1:8000(/offers/\S+/)", receipt.body).group(1)
    assert link in receipt.alternatives[0][0]

    page = client.get(link)
    assert "Delete my offer and my details</button>" in page.text
    assert "Evenings work." in page.text
    assert (page["Referrer-Policy"], page["X-Robots-Tag"]) == ("same-origin", "noindex, nofollow")
    assert GetInvolvedRequest.objects.filter(pk=stored.pk).exists()  # a GET (a mail scanner) deletes nothing

    deleted = client.post(link)

    assert "Your offer was deleted" in deleted.text
    assert GetInvolvedRequest.objects.count() == 0
    assert client.get(link).status_code == 404


ROLES = ["anonymous", "resident", "organizer_a", "organizer_b", "staff_mfa"]


@pytest.mark.parametrize("role", ROLES)
def test_offer_private_link_url_by_role(client, personas, role):
    """The private link is the key, whoever is signed in; a forged one is 404 and deletes nothing."""
    row = offer(personas["city_a"], 1)
    path = offer_url(row).removeprefix("http://127.0.0.1:8000")
    if role != "anonymous":
        client.force_login(personas[role])

    assert client.get(path).status_code == 200
    assert client.post(path[:-3] + "xx/").status_code == 404
    assert GetInvolvedRequest.objects.filter(pk=row.pk).exists()
