"""The Nu HTML checker over every public page, every organizer page and the national team's dashboard, in English
and Spanish, and over the public forms showing their errors: no error.

The pages are fetched with the test client (the checker reads the HTML the server sends) over the world of
tests/pages.py, then checked in one run of the checker.
"""

from __future__ import annotations

from django.conf import settings

from tests.nu_html import nu_errors
from tests.pages import CITY, build_world

LANGUAGES = ["en", "es"]


def fetch(client, path: str, language: str, *, method: str = "get", status: int = 200, data=None) -> str:
    response = getattr(client, method)(path, data or {})
    assert response.status_code == status, f"{path}: HTTP {response.status_code}, expected {status}"
    html = response.content.decode()
    assert f'<html lang="{language}"' in html, f"{path} is not in {language!r}"
    return html


def test_every_page_has_no_nu_html_checker_error(client, user_factory):
    world = build_world(user_factory)
    documents = fetch_every_page(client, world)
    assert len(documents) == 2 * (len(world.public_pages()) + 3 + len(world.organizer_pages()) + 4 + 2)
    errors = nu_errors(documents)
    report = [f"{name}:\n    " + "\n    ".join(messages) for name, messages in sorted(errors.items())]
    assert errors == {}, f"Nu HTML checker: {sum(map(len, errors.values()))} error(s)\n" + "\n".join(report)


def fetch_every_page(client, world) -> dict[str, str]:
    """{name: HTML} of every page in both languages: anonymous, the public forms showing their errors, a
    coordinator's organizer pages (and two forms with errors), the national team's pages."""
    documents: dict[str, str] = {}
    for language in LANGUAGES:
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for path in world.public_pages():
            documents[f"{language} {path}"] = fetch(client, path, language)
        # The public forms showing their errors (nothing filled in).
        for path in [
            f"/cities/{CITY}/testimony/new/",
            "/cities/join/",
            "/events/demo-preparing-local-reports-for-the-fourth-review/register/",
        ]:
            documents[f"{language} {path} (errors shown)"] = fetch(client, path, language, method="post", status=400)

        client.force_login(world.coordinator)
        for path in world.organizer_pages():
            documents[f"{language} {path} (organizer)"] = fetch(client, path, language)
        edit = f"/organize/{CITY}/events/{world.hosted_event.pk}/edit/"
        documents[f"{language} {edit} (errors shown)"] = fetch(client, edit, language, method="post", status=400)
        documents[f"{language} /organize/{CITY}/testimony/enter/ (errors shown)"] = fetch(
            client, f"/organize/{CITY}/testimony/enter/", language, method="post", status=400
        )
        item = f"/organize/{CITY}/tracking/items/{world.tracked_item.pk}/"
        documents[f"{language} {item} (errors shown)"] = fetch(client, item, language, method="post", status=400)
        documents[f"{language} /organize/{CITY}/profile/figure/ (errors shown)"] = fetch(
            client, f"/organize/{CITY}/profile/figure/", language, method="post", status=400
        )

        client.force_login(world.staff)
        for path in world.staff_pages():
            documents[f"{language} {path} (national team)"] = fetch(client, path, language)

    return documents
