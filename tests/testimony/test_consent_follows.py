"""Privacy that follows the words: public versions per field, reviewed before anything is public; wider consent
reviewed by organizers, narrower at once; withdrawal erases; one "less precise" rule; the private token never in the
admin; exports logged like openings (DESIGN.md section 5)."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from testimony import moderation, services
from testimony.enums import AccessKind, Identification, ModerationAction, Status
from testimony.models import PUBLIC_TEXT_FIELDS, AccessLog, ContactDetails, ModerationLog
from testimony.models import Testimony as Story
from tests.testimony.factories import make_testimony

ORIGINALS = {
    "title": "Zqtitleasent",
    "body": "Zqbodyoriginal: Mr Smith at 12 Elm St cut the heat.",
    "transcript": "Zqtranscriptoriginal",
    "media_caption": "Zqcaptionoriginal",
    "place_text": "Zqplaceoriginal",
}


@pytest.fixture
def received(personas):
    return services.submit_testimony(
        personas["city_a"],
        nature="challenge",
        identification=Identification.FULL_NAME,
        display_name="Ana Pérez",
        allows_portal=True,
        age_confirmed=True,
        contact_email="ana@example.org",
        contact_name="Ana Pérez",
        occurred_on=datetime.date(2025, 6, 14),
        **ORIGINALS,
    )


def _organizer_post(client, personas, testimony, suffix, data):
    client.force_login(personas["organizer_a"])
    return client.post(f"/organize/{testimony.city.slug}/testimony/{testimony.pk}/{suffix}", data)


# --- 2. every free-text field has a public version; nothing is public before review ---------------------------


def test_approve_before_review_is_refused(personas, received):
    with pytest.raises(moderation.ModerationError):
        moderation.approve(received, by=personas["organizer_a"])
    received.refresh_from_db()
    assert received.status == Status.RECEIVED


def test_moderation_form_has_one_field_per_public_text_field_prefilled_with_the_original(client, personas, received):
    client.force_login(personas["organizer_a"])
    page = client.get(f"/organize/{received.city.slug}/testimony/{received.pk}/")
    form = page.context["public_form"]
    assert list(form.fields) == [f.public for f in PUBLIC_TEXT_FIELDS]
    assert form.initial == {f.public: ORIGINALS[f.original] for f in PUBLIC_TEXT_FIELDS}


def test_save_and_approve_publishes_only_the_public_versions(client, personas, received):
    response = _organizer_post(
        client,
        personas,
        received,
        "public-version/",
        {
            "public_title": "Heat cut in winter",
            "public_body": "The landlord cut the heat.",
            "public_transcript": "Zqtranscriptpublic",
            "public_media_caption": "",
            "public_place_text": "Zqplacepublic",
            "approve": "1",
        },
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.APPROVED
    assert received.public_reviewed_by == personas["organizer_a"]
    client.logout()
    page = client.get(f"/testimony/{received.pk}/").text
    assert "The landlord cut the heat." in page and "Heat cut in winter" in page
    assert "Zqtranscriptpublic" in page and "Zqplacepublic" in page
    for original in ORIGINALS.values():
        assert original not in page
    # The caption was left empty: kept private, never used as alt text or link text.
    assert "Zqcaption" not in page
    assert list(ModerationLog.objects.filter(testimony=received).values_list("action", flat=True)) == [
        ModerationAction.RECEIVED,
        ModerationAction.REDACT,
        ModerationAction.APPROVE,
    ]


def test_missing_public_text_is_refused_and_keeps_what_was_typed(client, personas, received):
    response = _organizer_post(
        client, personas, received, "public-version/", {"public_title": "Kept title", "public_body": "", "approve": "1"}
    )
    assert response.status_code == 400
    assert response.context["public_form"]["public_title"].value() == "Kept title"
    received.refresh_from_db()
    assert (received.status, received.public_reviewed_at, received.public_title) == (Status.RECEIVED, None, "")


def test_bulk_approve_leaves_unreviewed_testimony_and_says_so(client, personas, received):
    reviewed = make_testimony(city=personas["city_a"], status=Status.RECEIVED, public_body="Reviewed.")
    Story.objects.filter(pk=reviewed.pk).update(public_reviewed_at=timezone.now())
    client.force_login(personas["organizer_a"])
    response = client.post(
        f"/organize/{received.city.slug}/testimony/bulk/",
        {"action": "approve", "selected": [received.pk, reviewed.pk]},
        follow=True,
    )
    assert dict(Story.objects.filter(pk__in=[received.pk, reviewed.pk]).values_list("pk", "status")) == {
        received.pk: Status.RECEIVED,
        reviewed.pk: Status.APPROVED,
    }
    assert "1 not approved: write their public version first" in response.text


# --- 3. widening consent is reviewed; narrowing takes effect at once -------------------------------------------


@pytest.fixture
def approved(personas):
    testimony = services.submit_testimony(
        personas["city_a"],
        body="Zqbodyoriginal",
        nature="challenge",
        identification=Identification.ANONYMOUS,
        allows_local_report=True,
        age_confirmed=True,
    )
    moderation.save_public_version(testimony, by=personas["organizer_a"], public_body="Zqpublicwords")
    moderation.approve(testimony, by=personas["organizer_a"])
    mail.outbox.clear()
    return testimony


def test_widening_through_the_private_link_waits_for_organizers(
    client, personas, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/testimony/mine/{approved.private_token}/consent/",
            {
                "identification": "full_name",
                "display_name": "Zqrealname",
                "allows_portal": "on",
                "allows_local_report": "on",
            },
            follow=True,
        )
    assert "organizers read your testimony again first" in response.text
    assert "<li>How you are named: My full name: “Zqrealname”</li>" in response.text
    assert "<li>Shown on this portal: yes</li>" in response.text
    approved.refresh_from_db()
    assert (approved.allows_portal, approved.identification, approved.display_name) == (False, "anonymous", "")
    assert approved.pending_consent == {
        "allows_portal": True,
        "identification": "full_name",
        "display_name": "Zqrealname",
    }
    assert client.get(f"/testimony/{approved.pk}/").status_code == 404
    assert [m.to for m in mail.outbox] == [["organizer-a@example.org"]]
    assert "allowed more than before" in mail.outbox[0].body
    assert "Zqrealname" not in mail.outbox[0].body and "Zqpublicwords" not in mail.outbox[0].body
    # The organizers' queue counts it as waiting, and the page shows what was asked.
    client.force_login(personas["organizer_a"])
    detail = client.get(f"/organize/{approved.city.slug}/testimony/{approved.pk}/").text
    assert "Wider consent asked" in detail and "Zqrealname" in detail
    # Accepting it puts it in force: now shown, with the name.
    client.post(f"/organize/{approved.city.slug}/testimony/{approved.pk}/wider-consent/", {"decision": "accept"})
    approved.refresh_from_db()
    assert (approved.allows_portal, approved.display_name, approved.pending_consent) == (True, "Zqrealname", {})
    client.logout()
    page = client.get(f"/testimony/{approved.pk}/").text
    assert "Zqpublicwords" in page and "Zqrealname" in page


def test_declined_widening_keeps_the_consent(client, personas, approved):
    services.change_consent(approved, allows_portal=True)
    client.force_login(personas["organizer_a"])
    client.post(f"/organize/{approved.city.slug}/testimony/{approved.pk}/wider-consent/", {"decision": "decline"})
    approved.refresh_from_db()
    assert (approved.allows_portal, approved.pending_consent) == (False, {})
    assert ModerationLog.objects.filter(testimony=approved).last().action == ModerationAction.WIDENING_DECLINED


def test_narrowing_takes_effect_at_once_and_drops_a_wider_request(personas, approved):
    services.change_consent(approved, allows_portal=True)
    change = services.change_consent(approved, allows_portal=False, allows_local_report=False)
    approved.refresh_from_db()
    assert (change.applied, change.pending) == (["allows_local_report"], [])
    assert (approved.allows_portal, approved.allows_local_report, approved.pending_consent) == (False, False, {})


def test_naming_less_applies_at_once_naming_more_waits(personas):
    named = make_testimony(city=personas["city_a"], identification=Identification.PSEUDONYM, display_name="Rosa")
    wider = services.change_consent(named, identification=Identification.FULL_NAME, display_name="Ana Pérez")
    assert wider.pending == ["display_name", "identification"]
    # A new pseudonym is new words to show (it could be a real name): organizers read it first.
    assert services.change_consent(named, display_name="Rosita").pending == ["display_name", "identification"]
    assert services.change_consent(named, identification=Identification.ANONYMOUS, display_name="").applied == [
        "display_name",
        "identification",
    ]
    named.refresh_from_db()
    assert (named.shown_name, named.pending_consent) == ("", {})


def test_consent_log_never_holds_a_name(personas):
    named = make_testimony(city=personas["city_a"], identification=Identification.FULL_NAME, display_name="Zqlogname")
    services.change_consent(named, identification=Identification.ANONYMOUS, display_name="")
    assert not ModerationLog.objects.filter(note__contains="Zqlogname").exists()


# --- 4. withdrawal erases -------------------------------------------------------------------------------------


def test_withdrawal_erases_every_word_and_keeps_a_tombstone(client, personas, received):
    moderation.save_public_version(
        received, by=personas["organizer_a"], public_body="Zqpublicwords", public_transcript="Zqtranscriptpublic"
    )
    moderation.approve(received, by=personas["organizer_a"])
    received.themes.set([])
    assert services.withdraw_testimony(received)
    received.refresh_from_db()
    assert received.status == Status.WITHDRAWN
    for field in PUBLIC_TEXT_FIELDS:
        assert (getattr(received, field.original), getattr(received, field.public)) == ("", ""), field
    assert (received.identification, received.display_name, received.media_link, received.occurred_on) == (
        Identification.ANONYMOUS,
        "",
        "",
        None,
    )
    assert not ContactDetails.objects.filter(testimony=received).exists()
    assert list(ModerationLog.objects.filter(testimony=received).values_list("action", flat=True)) == [
        ModerationAction.RECEIVED,
        ModerationAction.REDACT,
        ModerationAction.APPROVE,
        ModerationAction.WITHDRAW,
    ]
    markers = [*ORIGINALS.values(), "Zqpublicwords", "Zqtranscriptpublic", "Ana Pérez", "ana@example.org"]
    private_link = client.get(f"/testimony/mine/{received.private_token}/").text
    assert "You withdrew this testimony: it is no longer shown or quoted anywhere." in private_link
    client.force_login(personas["organizer_a"])
    organizer_page = client.get(f"/organize/{received.city.slug}/testimony/{received.pk}/").text
    assert "The person withdrew this testimony on" in organizer_page
    export = client.get(f"/organize/{received.city.slug}/testimony/export.csv").content.decode()
    for text in (private_link, organizer_page, export):
        for marker in markers:
            assert marker not in text, marker


# --- 6. one "less precise" rule ----------------------------------------------------------------------------------


def test_less_precise_is_one_rule_for_pages_and_exports(client, personas):
    testimony = make_testimony(
        city=personas["city_a"], less_precise=True, occurred_on=datetime.date(2025, 6, 14), place_text="Zqplace"
    )
    assert (testimony.shown_when.iso, testimony.shown_when.display(), testimony.public_place) == ("2025", "2025", "")
    assert testimony.shown_date(datetime.date(2024, 3, 2)).display("YEAR_MONTH_FORMAT") == "2024"
    page = client.get(f"/testimony/{testimony.pk}/").text
    assert '<time datetime="2025">2025</time>' in page and "Zqplace" not in page
    client.force_login(personas["organizer_a"])
    rows = list(csv.DictReader(io.StringIO(client.get("/organize/pittsburgh-pa/testimony/export.csv").text)))
    assert (rows[0]["when it happened"], rows[0]["where it happened"]) == ("2025", "")
    precise = make_testimony(city=personas["city_a"], occurred_on=datetime.date(2025, 6, 14))
    assert (precise.shown_when.iso, precise.shown_date(precise.occurred_on).display("YEAR_MONTH_FORMAT")) == (
        "2025-06-14",
        "June 2025",
    )


# --- 8. the private token is never shown to staff; exports are logged -----------------------------------------


def test_admin_change_page_never_shows_the_private_token(superuser_client, received):
    page = superuser_client.get(f"/admin/testimony/testimony/{received.pk}/change/")
    assert page.status_code == 200
    assert "Zqbodyoriginal" in page.text  # the national team sees the testimony itself...
    assert received.private_token not in page.text  # ...but never the secret that acts as the person


def test_export_is_logged_like_an_opening(client, personas, received):
    other = make_testimony(city=personas["city_a"])
    client.force_login(personas["organizer_a"])
    client.get(f"/organize/{received.city.slug}/testimony/export.csv")
    assert sorted(AccessLog.objects.values_list("testimony", "user", "kind")) == sorted(
        [
            (received.pk, personas["organizer_a"].pk, AccessKind.EXPORTED),
            (other.pk, personas["organizer_a"].pk, AccessKind.EXPORTED),
        ]
    )


def test_less_precise_reaches_the_renders(personas):
    from reports import rendering
    from tests.reports.factories import make_report

    city = personas["city_a"]
    precise = make_testimony(city=city, body="Zqprecisewords.", allows_local_report=True)
    vague = make_testimony(city=city, body="Zqvaguewords.", allows_local_report=True, less_precise=True)
    shared = timezone.make_aware(datetime.datetime(2025, 6, 14, 12))
    Story.objects.filter(pk__in=[precise.pk, vague.pk]).update(created_at=shared)
    document = rendering.build_document(make_report(city, sections=2, quotes=[precise, vague]), "report")
    notes = {block.text: " ".join(block.footnotes) for block in document.blocks if block.kind == "quote"}
    assert "June 2025" in notes["Zqprecisewords."]
    assert "2025" in notes["Zqvaguewords."] and "June" not in notes["Zqvaguewords."]


def test_a_widening_decision_that_is_neither_accept_nor_decline_changes_nothing(client, personas, approved):
    services.change_consent(approved, allows_portal=True)
    client.force_login(personas["organizer_a"])
    url = f"/organize/{approved.city.slug}/testimony/{approved.pk}/wider-consent/"
    response = client.post(url, {"decision": "maybe"}, follow=True)
    assert "Choose whether to accept or decline the wider consent." in response.text
    approved.refresh_from_db()
    assert (approved.allows_portal, approved.pending_consent) == (False, {"allows_portal": True})
