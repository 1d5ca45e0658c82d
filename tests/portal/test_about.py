"""The About page's reviews: each says whether the portal holds its recommendations, and where to read them."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from upr.models import ReviewCycle


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def _words(html: str) -> str:
    return " ".join(html.split())


def test_about_says_the_2015_review_is_not_yet_imported(client, demo):
    response = client.get("/about-the-upr/")

    assert [(c.number, c.awaits_import) for c in response.context["cycles"]] == [
        (1, False),
        (2, True),
        (3, False),
        (4, False),
    ]
    text = _words(response.text)
    assert text.count("Not yet imported into the portal") == 1
    assert (
        "This review's 343 recommendations are not yet imported into the portal. Read them in the UN Working "
        'Group\'s report, <a href="https://undocs.org/A/HRC/30/12">A/HRC/30/12</a>.'
    ) in text


def test_about_links_each_imported_review_to_its_recommendations(client, demo):
    response = client.get("/about-the-upr/")

    text = _words(response.text)
    for number, year in ((1, 2010), (3, 2020)):
        pk = ReviewCycle.objects.get(number=number).pk
        link = f'<a class="small" href="/recommendations/?cycle={pk}">'
        assert f"{link}Read the recommendations of Cycle {number} ({year})</a>" in text
    second = ReviewCycle.objects.get(number=2).pk
    assert f"/recommendations/?cycle={second}" not in text


def test_about_timeline_and_home_note_in_spanish_show_the_spanish(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    about = _words(client.get("/about-the-upr/").content.decode())
    assert (
        "9 de noviembre de 2020</time>: Examen de los Estados Unidos en el Grupo de Trabajo sobre el EPU "
        "(36.º período de sesiones)"
    ) in about
    assert "Review of the United States" not in about
    home = _words(client.get("/").content.decode())
    assert ReviewCycle.objects.current().note_es in home
    assert ReviewCycle.objects.current().note not in home
