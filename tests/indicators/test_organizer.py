"""Organizers add their city's figures and facts; everyone else gets 404 (URL x role)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cities.enums import Role
from cities.models import Membership
from indicators.enums import Origin
from indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "resident", "coordinator_a", "organizer_a", "organizer_b", "national_team"]
SOURCE = "https://evictionlab.org/map/"


@pytest.fixture
def world(personas, eviction):
    plain = personas["resident"].__class__.objects.create_user("plain-a@example.org", "pw-long-enough")
    Membership.objects.create(user=plain, city=personas["city_a"], role=Role.ORGANIZER)
    users = {
        "resident": personas["resident"],
        "coordinator_a": personas["organizer_a"],
        "organizer_a": plain,
        "organizer_b": personas["organizer_b"],
        "national_team": personas["staff_mfa"],
    }
    return {"city": personas["city_a"], "users": users, "eviction": eviction}


def _post_figure(world):
    return {"indicator": world["eviction"].pk, "year": 2023, "value": "6.1", "source_url": SOURCE, "note": ""}


@pytest.mark.parametrize("role", ROLES)
def test_url_by_role(client, world, role):
    slug = world["city"].slug
    expected = {
        ("GET", f"/organize/{slug}/profile/"): [302, 404, 200, 200, 404, 404],
        ("GET", f"/organize/{slug}/profile/figure/"): [302, 404, 200, 200, 404, 404],
        ("GET", f"/organize/{slug}/profile/fact/"): [302, 404, 200, 200, 404, 404],
        ("POST", f"/organize/{slug}/profile/figure/"): [302, 404, 302, 302, 404, 404],
        ("GET", f"/organize/{slug}/profile/eviction-filings/history/"): [302, 404, 200, 200, 404, 404],
        ("GET", f"/cities/{slug}/profile/"): [200] * 6,
        ("GET", f"/cities/{slug}/profile.csv"): [200] * 6,
    }
    if role != "anonymous":
        client.force_login(world["users"][role])
    for (method, url), statuses in expected.items():
        data = _post_figure(world) if method == "POST" else None
        response = client.post(url, data) if method == "POST" else client.get(url)
        assert response.status_code == statuses[ROLES.index(role)], (method, url, role)
    stored = IndicatorValue.objects.filter(city=world["city"]).count()
    assert stored == (1 if role in ("coordinator_a", "organizer_a") else 0)


def test_organizer_adds_a_figure_and_a_correction_keeps_history(client, world):
    organizer = world["users"]["organizer_a"]
    client.force_login(organizer)
    url = f"/organize/{world['city'].slug}/profile/figure/"
    response = client.post(url, _post_figure(world), follow=True)
    assert "“Eviction filings” for 2023 was saved." in response.text
    client.post(url, {**_post_figure(world), "value": "5.9", "note": "Court records corrected."})
    values = IndicatorValue.objects.filter(city=world["city"]).order_by("entered_at", "pk")
    assert [(v.value, v.replaced_at is None, v.entered_by, v.origin) for v in values] == [
        (Decimal("6.1"), False, organizer, Origin.ORGANIZER),
        (Decimal("5.9"), True, organizer, Origin.ORGANIZER),
    ]
    history = client.get(f"/organize/{world['city'].slug}/profile/eviction-filings/history/")
    assert [(row.value, row.replaced_at is None) for row in history.context["values"]] == [
        (Decimal("5.9"), True),
        (Decimal("6.1"), False),
    ]
    assert "Court records corrected." in history.text and "No: replaced on" in history.text


def test_history_of_an_indicator_the_city_has_no_value_for_is_404(client, world):
    client.force_login(world["users"]["organizer_a"])
    assert client.get(f"/organize/{world['city'].slug}/profile/eviction-filings/history/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"source_url": ""}, "source_url", "Give the figure&#x27;s source: a link or a document."),
        ({"year": dt.date.today().year + 1}, "year", "is in the future: give the year the figure describes."),
        ({"value": "-2"}, "value", "This figure cannot be below zero."),
        ({"value": "many"}, "value", "Enter a number."),
    ],
)
def test_bad_figures_are_refused_with_a_clear_message_and_kept(client, world, change, field, message):
    client.force_login(world["users"]["organizer_a"])
    data = {**_post_figure(world), "note": "Kept after an error", **change}
    response = client.post(f"/organize/{world['city'].slug}/profile/figure/", data)
    assert response.status_code == 400
    assert message in response.text
    assert "Kept after an error" in response.text
    assert f'href="#id_{field}"' in response.text  # the error summary links to the field
    assert not IndicatorValue.objects.exists()


def test_organizer_adds_a_structural_fact_with_its_document(client, world, themes):
    client.force_login(world["users"]["coordinator_a"])
    resolution = Indicator.objects.get(slug="human-rights-resolution")
    document = SimpleUploadedFile("resolution.pdf", b"%PDF-1.4 resolution text", content_type="application/pdf")
    data = {"indicator": resolution.pk, "year": 2011, "fact": "True", "fact_date": "2011-12-06", "document": document}
    response = client.post(f"/organize/{world['city'].slug}/profile/fact/", data)
    assert response.status_code == 302
    fact = IndicatorValue.objects.get(indicator=resolution)
    assert (fact.fact, fact.fact_date, fact.document.name.endswith(".pdf")) == (True, dt.date(2011, 12, 6), True)
    profile = client.get(f"/cities/{world['city'].slug}/profile/").text
    assert "Human rights city resolution" in profile and "Dec. 6, 2011" in profile


def test_a_document_that_is_not_a_pdf_is_refused(client, world):
    client.force_login(world["users"]["organizer_a"])
    fake = SimpleUploadedFile("report.pdf", b"MZ not a pdf", content_type="application/pdf")
    data = {**_post_figure(world), "source_url": "", "document": fake}
    response = client.post(f"/organize/{world['city'].slug}/profile/figure/", data)
    assert response.status_code == 400
    assert "The document must be a PDF file." in response.text


def test_organizer_home_links_the_profile_figures(client, world):
    client.force_login(world["users"]["organizer_a"])
    client.post(f"/organize/{world['city'].slug}/profile/figure/", _post_figure(world))
    response = client.get("/organize/")
    assert f'href="/organize/{world["city"].slug}/profile/"' in response.text
