"""Moderation services and pages: approve, reject with a reason, the redacted public version, bulk actions,
the private view log, and a constant number of queries on the queue."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from testimony import moderation
from testimony.enums import ConsentMethod, Identification, Kind, ModerationAction, Nature, Status
from testimony.models import AccessLog, ContactDetails, ModerationLog
from testimony.models import Testimony as Story
from testimony.selectors import current_consent_text
from upr.models import Theme


def make_testimony(city, **extra) -> Story:
    values = {
        "body": "The landlord at 12 Elm St, Mr Smith, cut the heat.",
        "nature": Nature.CHALLENGE,
        "consent_text": current_consent_text(),
        "consent_recorded_at": timezone.now(),
        "age_confirmed": True,
        "allows_portal": True,
    }
    if extra.pop("reviewed", False):
        # An organizer saved the public version as written: approving needs that first.
        values.update(public_body=extra.get("body", values["body"]), public_reviewed_at=timezone.now())
    values.update(extra)
    return Story.objects.create(city=city, **values)


@pytest.fixture
def city(personas):
    return personas["city_a"]


@pytest.fixture
def organizer(personas):
    return personas["organizer_a"]


# --- services ----------------------------------------------------------------------------------------------


def test_approve_sets_status_and_logs(city, organizer):
    testimony = make_testimony(city, reviewed=True)
    moderation.approve(testimony, by=organizer)
    testimony.refresh_from_db()
    assert testimony.status == Status.APPROVED
    assert testimony.approved_by == organizer
    assert testimony.approved_at is not None
    assert list(ModerationLog.objects.filter(testimony=testimony).values_list("actor", "action", "note")) == [
        (organizer.pk, ModerationAction.APPROVE, "")
    ]


def test_reject_needs_a_reason_and_logs_it(city, organizer):
    testimony = make_testimony(city)
    with pytest.raises(moderation.ModerationError):
        moderation.reject(testimony, by=organizer, reason="   ")
    assert ModerationLog.objects.count() == 0
    moderation.reject(testimony, by=organizer, reason="Names a private person")
    testimony.refresh_from_db()
    assert (testimony.status, testimony.rejection_reason) == (Status.REJECTED, "Names a private person")
    assert list(ModerationLog.objects.values_list("actor", "action", "note")) == [
        (organizer.pk, ModerationAction.REJECT, "Names a private person")
    ]


def test_approve_after_reject_clears_the_reason(city, organizer):
    testimony = make_testimony(city, reviewed=True)
    moderation.reject(testimony, by=organizer, reason="Too vague")
    moderation.approve(testimony, by=organizer)
    testimony.refresh_from_db()
    assert (testimony.status, testimony.rejection_reason) == (Status.APPROVED, "")
    assert list(ModerationLog.objects.values_list("action", flat=True)) == [
        ModerationAction.REJECT,
        ModerationAction.APPROVE,
    ]


def test_withdrawn_testimony_cannot_be_moderated(city, organizer):
    testimony = make_testimony(city, status=Status.WITHDRAWN, withdrawn_at=timezone.now())
    with pytest.raises(moderation.ModerationError):
        moderation.approve(testimony, by=organizer)
    with pytest.raises(moderation.ModerationError):
        moderation.reject(testimony, by=organizer, reason="x")
    with pytest.raises(moderation.ModerationError):
        moderation.save_public_version(testimony, by=organizer, public_body="x")
    testimony.refresh_from_db()
    assert testimony.status == Status.WITHDRAWN
    assert ModerationLog.objects.count() == 0


def test_public_version_keeps_the_original_private(city, organizer):
    testimony = make_testimony(city)
    original = testimony.body
    moderation.save_public_version(testimony, by=organizer, public_body="  The landlord cut the heat.  ")
    testimony.refresh_from_db()
    assert testimony.body == original
    assert testimony.public_body == "The landlord cut the heat."
    assert testimony.public_text == "The landlord cut the heat."
    assert list(ModerationLog.objects.values_list("actor", "action")) == [(organizer.pk, ModerationAction.REDACT)]


def test_bulk_approve_and_reject_skip_withdrawn_and_log_each(city, organizer):
    first, second = make_testimony(city, reviewed=True), make_testimony(city, reviewed=True)
    withdrawn = make_testimony(city, status=Status.WITHDRAWN, withdrawn_at=timezone.now())
    everything = Story.objects.filter(pk__in=[first.pk, second.pk, withdrawn.pk])
    assert moderation.bulk_approve(everything, by=organizer) == 2
    assert set(Story.objects.values_list("pk", "status")) == {
        (first.pk, Status.APPROVED),
        (second.pk, Status.APPROVED),
        (withdrawn.pk, Status.WITHDRAWN),
    }
    assert Story.objects.get(pk=first.pk).approved_by == organizer
    with pytest.raises(moderation.ModerationError):
        moderation.bulk_reject(everything, by=organizer, reason="")
    assert moderation.bulk_reject(everything, by=organizer, reason="Duplicate") == 2
    assert set(Story.objects.values_list("pk", "status", "rejection_reason")) == {
        (first.pk, Status.REJECTED, "Duplicate"),
        (second.pk, Status.REJECTED, "Duplicate"),
        (withdrawn.pk, Status.WITHDRAWN, ""),
    }
    assert Story.objects.get(pk=first.pk).approved_by is None
    assert sorted(ModerationLog.objects.values_list("testimony", "actor", "action")) == sorted(
        [
            (first.pk, organizer.pk, ModerationAction.APPROVE),
            (second.pk, organizer.pk, ModerationAction.APPROVE),
            (first.pk, organizer.pk, ModerationAction.REJECT),
            (second.pk, organizer.pk, ModerationAction.REJECT),
        ]
    )


# --- pages -------------------------------------------------------------------------------------------------


def test_detail_logs_each_opening(client, city, organizer):
    testimony = make_testimony(city)
    client.force_login(organizer)
    url = f"/organize/{city.slug}/testimony/{testimony.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert list(AccessLog.objects.values_list("testimony", "user")) == [
        (testimony.pk, organizer.pk),
        (testimony.pk, organizer.pk),
    ]


def test_outsider_opening_detail_is_not_logged_and_sees_nothing(client, city, personas):
    testimony = make_testimony(city)
    client.force_login(personas["organizer_b"])
    response = client.get(f"/organize/{city.slug}/testimony/{testimony.pk}/")
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0


def test_detail_shows_consent_and_contact_only_when_allowed(client, city, organizer):
    kept = make_testimony(city, allows_contact=False, identification=Identification.PSEUDONYM, display_name="Rosa")
    ContactDetails.objects.create(testimony=kept, email="hidden@example.org", retain_until="2030-01-01")
    shared = make_testimony(
        city, allows_contact=True, consent_method=ConsentMethod.PAPER, consent_recorded_by=organizer
    )
    ContactDetails.objects.create(testimony=shared, email="shown@example.org", retain_until="2030-01-01")
    client.force_login(organizer)
    hidden_page = client.get(f"/organize/{city.slug}/testimony/{kept.pk}/").content.decode()
    assert "hidden@example.org" not in hidden_page
    assert "Rosa" in hidden_page
    assert "12 Elm St" in hidden_page  # the original is shown on the private page
    shown_page = client.get(f"/organize/{city.slug}/testimony/{shared.pk}/").content.decode()
    assert "shown@example.org" in shown_page
    assert "recorded by organizer-a@example.org" in shown_page
    assert "2026-1" in shown_page


def test_queue_shows_public_excerpt_never_the_original(client, city, organizer):
    make_testimony(city, title="Heat", public_body="The landlord cut the heat.")
    make_testimony(city, title="Water")
    client.force_login(organizer)
    page = client.get(f"/organize/{city.slug}/testimony/").content.decode()
    assert "The landlord cut the heat." in page
    assert "(not yet redacted)" in page
    assert "12 Elm St" not in page
    assert AccessLog.objects.count() == 0


def test_queue_filters(client, city, organizer, personas):
    theme = Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")
    housing = make_testimony(city, title="Housing story", kind=Kind.VIDEO)
    housing.themes.add(theme)
    make_testimony(city, title="Approved story", status=Status.APPROVED)
    make_testimony(personas["city_b"], title="Boston story")
    client.force_login(organizer)
    base = f"/organize/{city.slug}/testimony/"
    page = client.get(base).content.decode()
    assert ("Housing story" in page, "Approved story" in page, "Boston story" in page) == (True, True, False)
    page = client.get(base, {"status": "approved"}).content.decode()
    assert ("Housing story" in page, "Approved story" in page) == (False, True)
    page = client.get(base, {"theme": theme.pk}).content.decode()
    assert ("Housing story" in page, "Approved story" in page) == (True, False)
    page = client.get(base, {"kind": "video"}).content.decode()
    assert ("Housing story" in page, "Approved story" in page) == (True, False)


def test_queue_query_count_is_constant(client, city, organizer):
    theme = Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")
    client.force_login(organizer)
    url = f"/organize/{city.slug}/testimony/"

    def count_for(n):
        Story.objects.all().delete()
        for i in range(n):
            make_testimony(city, title=f"T{i}").themes.add(theme)
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count_for(3) == count_for(60)


def test_pages_approve_reject_and_redact(client, city, organizer):
    testimony = make_testimony(city)
    client.force_login(organizer)
    base = f"/organize/{city.slug}/testimony/{testimony.pk}/"
    response = client.post(base + "reject/", {"reason": ""})
    assert response.status_code == 400
    assert Story.objects.get(pk=testimony.pk).status == Status.RECEIVED
    assert client.post(base + "public-version/", {"public_body": "Redacted"}).status_code == 302
    assert client.post(base + "approve/").status_code == 302
    assert client.post(base + "reject/", {"reason": "Changed our mind"}).status_code == 302
    testimony.refresh_from_db()
    assert (testimony.status, testimony.rejection_reason, testimony.public_body) == (
        Status.REJECTED,
        "Changed our mind",
        "Redacted",
    )
    assert list(ModerationLog.objects.values_list("actor", "action")) == [
        (organizer.pk, ModerationAction.REDACT),
        (organizer.pk, ModerationAction.APPROVE),
        (organizer.pk, ModerationAction.REJECT),
    ]


def test_bulk_page(client, city, organizer, personas):
    first, second = make_testimony(city, reviewed=True), make_testimony(city, reviewed=True)
    untouched = make_testimony(city, reviewed=True)
    other_city = make_testimony(personas["city_b"], reviewed=True)
    client.force_login(organizer)
    url = f"/organize/{city.slug}/testimony/bulk/"
    # Rejecting without a reason changes nothing.
    assert client.post(url, {"action": "reject", "reason": "", "selected": [first.pk]}).status_code == 302
    assert Story.objects.filter(status=Status.RECEIVED).count() == 4
    # Another city's id is not a valid choice: nothing is done.
    client.post(url, {"action": "approve", "selected": [first.pk, other_city.pk]})
    assert Story.objects.filter(status=Status.RECEIVED).count() == 4
    client.post(url, {"action": "approve", "selected": [first.pk, second.pk]})
    assert set(Story.objects.filter(status=Status.APPROVED).values_list("pk", flat=True)) == {first.pk, second.pk}
    client.post(url, {"action": "reject", "reason": "Off topic", "selected": [second.pk]})
    assert Story.objects.get(pk=second.pk).rejection_reason == "Off topic"
    assert Story.objects.get(pk=untouched.pk).status == Status.RECEIVED
    assert list(ModerationLog.objects.values_list("testimony", "action", "note")) == [
        (first.pk, ModerationAction.APPROVE, "bulk"),
        (second.pk, ModerationAction.APPROVE, "bulk"),
        (second.pk, ModerationAction.REJECT, "Off topic"),
    ]


def test_approving_says_so_and_the_page_shows_the_new_state(client, city, organizer):
    testimony = make_testimony(city, reviewed=True)
    client.force_login(organizer)
    base = f"/organize/{city.slug}/testimony/{testimony.pk}/"
    before = client.get(base).text
    assert f'action="{base}approve/"' in before and "data-busy-label=" in before
    response = client.post(base + "approve/", follow=True)
    assert response.redirect_chain == [(base, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Approved: the public version is shown as the person's consent allows."
    ]
    assert f'action="{base}approve/"' not in response.text  # no button to approve it again
    assert '<span class="badge text-bg-success">Approved</span>' in response.text
    response = client.post(base + "reject/", {"reason": "It names a neighbour."}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Rejected: the testimony is not shown anywhere, and the reason is in the log."
    ]


def test_a_refused_approval_says_why_and_nothing_else(client, city, organizer):
    testimony = make_testimony(city)  # public version never reviewed
    client.force_login(organizer)
    response = client.post(f"/organize/{city.slug}/testimony/{testimony.pk}/approve/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Write the public version first: public places show only what you reviewed, never the original."
    ]


def test_detail_suggests_redactions_in_the_original_with_the_contact_name(client, city, organizer):
    testimony = make_testimony(
        city,
        body="Me llamo Ana Ruiz. Ana vive en la calle Penn 12; llame al 412-555-0123.",
        language="es",
        place_text="5500 Penn Avenue",
    )
    ContactDetails.objects.create(testimony=testimony, name="Ana Ruiz", retain_until=timezone.localdate())
    client.force_login(organizer)
    page = client.get(f"/organize/{city.slug}/testimony/{testimony.pk}/").text
    # Highlighted in the original, every occurrence ...
    assert (
        '<p>Me llamo <mark class="redaction-suggestion" id="suggestion-body-1" data-kind="name">Ana Ruiz</mark>. '
        '<mark class="redaction-suggestion" id="suggestion-body-2" data-kind="name">Ana</mark> vive en la '
        '<mark class="redaction-suggestion" id="suggestion-body-3" data-kind="address">calle Penn 12</mark>; '
        'llame al <mark class="redaction-suggestion" id="suggestion-body-4" data-kind="phone">412-555-0123</mark>.'
        "</p>"
    ) in page
    # ... and one button per distinct text, for the field it belongs to, with the placeholder in Spanish.
    buttons = re.findall(
        r'data-redact-target="([^"]+)" data-redact-text="([^"]+)" data-redact-placeholder="([^"]+)"', page
    )
    assert buttons == [
        ("id_public_body", "Ana Ruiz", "[nombre]"),
        ("id_public_body", "Ana", "[nombre]"),
        ("id_public_body", "calle Penn 12", "[dirección]"),
        ("id_public_body", "412-555-0123", "[teléfono]"),
        ("id_public_place_text", "5500 Penn Avenue", "[dirección]"),
    ]
    assert '<script src="/static/js/redaction.js" defer></script>' in page
    # The original is still what the form starts with: nothing is replaced until the organizer chooses to.
    assert "Me llamo Ana Ruiz. Ana vive en la calle Penn 12; llame al 412-555-0123.</textarea>" in page


def test_detail_without_anything_to_redact_offers_no_suggestions(client, city, organizer):
    testimony = make_testimony(city, body="The heating was cut for three weeks in January.")
    client.force_login(organizer)
    page = client.get(f"/organize/{city.slug}/testimony/{testimony.pk}/").text
    assert "data-redaction-suggestions" not in page and "<mark" not in page
