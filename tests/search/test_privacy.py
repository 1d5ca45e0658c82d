"""Search and testimony privacy (DESIGN.md section 5): only what testimony's public scoping query returns is
indexed, only its public version, and a change of consent, a rejection, a new public version or a withdrawal
takes effect in the results and snippets at once. Snippets never show a word outside today's public version."""

from __future__ import annotations

import pytest

from search.enums import DocumentKind
from search.models import SearchDocument
from search.selectors import search
from testimony import moderation
from testimony import services as testimony_services
from testimony.enums import Identification, Status
from tests.testimony.factories import make_testimony

pytestmark = pytest.mark.django_db

ORIGINAL = "Zqoriginalwords"
PUBLIC = "Zqpublicwords"
NAME = "Zqpersonname"


def public_testimony(**fields):
    fields.setdefault("body", f"{ORIGINAL} on Penn Avenue, said {NAME}.")
    fields.setdefault("public_body", f"{PUBLIC}: the heating was off all winter.")
    fields.setdefault("identification", Identification.FULL_NAME)
    fields.setdefault("display_name", NAME)
    return make_testimony(**fields)


def texts(query: str) -> str:
    results = search(query)
    return " ".join(f"{hit.title} {hit.snippet}" for hit in results.page.object_list)


def test_only_the_public_version_is_indexed_and_shown_never_the_original_nor_the_name(client):
    testimony = public_testimony(title="Zqsubmittedtitle", public_title="Heating off")
    row = SearchDocument.objects.get(kind=DocumentKind.TESTIMONY, object_id=testimony.pk)
    for secret in (ORIGINAL, NAME, "Penn Avenue", "Zqsubmittedtitle"):
        assert secret not in f"{row.title} {row.body} {row.keywords}"
    assert search(ORIGINAL).total == 0 and search(NAME).total == 0
    page = client.get(f"/search/?q={PUBLIC}").text
    assert "<mark>Zqpublicwords</mark>" in page and "Heating off" in page
    assert ORIGINAL not in page and NAME not in page


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.RECEIVED},
        {"status": Status.REJECTED},
        {"allows_portal": False},
        {"age_confirmed": False, "guardian_consent": False},
    ],
    ids=["received", "rejected", "portal not allowed", "minor without guardian"],
)
def test_testimony_outside_the_public_scope_is_never_indexed(fields):
    public_testimony(**fields)
    assert not SearchDocument.objects.filter(kind=DocumentKind.TESTIMONY).exists()
    assert search(PUBLIC).total == 0


def test_narrowed_consent_disappears_at_once():
    testimony = public_testimony()
    assert search(PUBLIC).total == 1
    testimony_services.change_consent(testimony, allows_portal=False)
    assert search(PUBLIC).total == 0
    assert not SearchDocument.objects.filter(kind=DocumentKind.TESTIMONY).exists()


def test_withdrawal_disappears_at_once():
    testimony = public_testimony()
    testimony_services.withdraw_testimony(testimony)
    assert search(PUBLIC).total == 0
    assert not SearchDocument.objects.filter(kind=DocumentKind.TESTIMONY).exists()


def test_bulk_rejection_disappears_at_once(user_factory):
    from testimony.models import Testimony

    testimony = public_testimony()
    moderation.bulk_reject(Testimony.objects.filter(pk=testimony.pk), by=user_factory(), reason="Spam")
    assert search(PUBLIC).total == 0


def test_a_narrower_public_version_leaves_the_old_words_out_of_results_and_snippets(user_factory):
    testimony = public_testimony(public_body=f"{PUBLIC} and Zqremovedlater were both public.")
    assert search("Zqremovedlater").total == 1
    moderation.save_public_version(testimony, by=user_factory(), public_body=f"{PUBLIC} only.")
    assert search("Zqremovedlater").total == 0
    assert "Zqremovedlater" not in texts(PUBLIC)


def test_display_rechecks_a_stale_index_row_against_todays_public_scope():
    """Even a row the index still held (a change made outside any signal) shows nothing once the testimony is no
    longer public, and a snippet comes from today's public version, not from the index."""
    from testimony.models import Testimony

    shown = public_testimony()
    hidden = public_testimony(public_body=f"{PUBLIC} second.")
    # Changes no signal sees: the index keeps its old rows, with words the public version no longer has.
    Testimony.objects.filter(pk=hidden.pk).update(allows_portal=False)
    Testimony.objects.filter(pk=shown.pk).update(public_body=f"{PUBLIC} today.")
    SearchDocument.objects.filter(object_id=shown.pk, kind=DocumentKind.TESTIMONY).update(
        body=f"{PUBLIC} {ORIGINAL} yesterday."
    )
    results = search(PUBLIC)
    assert [hit.object_id for hit in results.page.object_list] == [shown.pk]
    snippet = str(results.page.object_list[0].snippet)
    assert "today" in snippet and ORIGINAL not in snippet and "yesterday" not in snippet


def test_search_pages_are_in_the_consent_scope_in_both_languages(client):
    testimony = public_testimony(language="es", public_body=f"{PUBLIC}: la calefacción estaba apagada.")
    for language in ("en", "es"):
        page = client.get(f"/search/?q={PUBLIC}", headers={"accept-language": language}).text
        assert f"/testimony/{testimony.pk}/" in page and NAME not in page and ORIGINAL not in page
