import datetime

import pytest
from django.test import Client
from django.utils import timezone

from testimony import models, services
from testimony.enums import Identification, ModerationAction, Status
from testimony.models import ConsentText, ContactDetails, ModerationLog

CONSENT = {
    "identification": "first_name",
    "display_name": "Maria",
    "allows_portal": "on",
    "allows_national_report": "on",
}


@pytest.fixture
def testimony(personas):
    return services.submit_testimony(
        personas["city_a"],
        title="Evicted in winter",
        body="Our landlord evicted us in January.",
        nature="challenge",
        identification=Identification.FIRST_NAME,
        display_name="Maria",
        allows_portal=True,
        allows_national_report=True,
        age_confirmed=True,
        contact_email="maria@example.org",
        contact_name="Maria Lopez",
    )


def url(t, suffix=""):
    return f"/testimony/mine/{t.private_token}/{suffix}"


def approve(t):
    models.Testimony.objects.filter(pk=t.pk).update(status=Status.APPROVED, approved_at=timezone.now())


def test_private_page_shows_the_testimony_and_its_consent_as_recorded(client, testimony):
    response = client.get(url(testimony))
    assert response.status_code == 200
    text = response.text
    assert "Our landlord evicted us in January." in text
    assert "Evicted in winter" in text
    assert "How you are named: My first name only: “Maria”" in text
    assert "Shown on this portal: yes" in text
    assert "Quoted in the city's local report: no" in text
    assert "Quoted in the national report sent to the United Nations: yes" in text
    assert "Used in public advocacy: no" in text
    assert "under consent text version 2026-1 (Given online by the person)" in text
    assert "Received, waiting for moderation" in text
    # The contact details are not on the page.
    assert "maria@example.org" not in text and "Maria Lopez" not in text


def test_private_pages_are_private(client, testimony):
    for path in (url(testimony), url(testimony, "withdraw/")):
        response = client.get(path)
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-cache", "no-store", "must-revalidate", "private", "max-age=0"} <= cache_control
    response = client.post(url(testimony, "consent/"), CONSENT)
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("suffix", ["", "consent/", "withdraw/"])
def test_forged_token_is_404(client, testimony, suffix):
    forged = testimony.private_token[:-1] + ("A" if testimony.private_token[-1] != "A" else "B")
    assert client.get(f"/testimony/mine/{forged}/{suffix}").status_code in {404, 405}
    assert client.post(f"/testimony/mine/{forged}/{suffix}", CONSENT).status_code == 404
    testimony.refresh_from_db()
    assert testimony.status == Status.RECEIVED


def test_consent_page_needs_post(client, testimony):
    assert client.get(url(testimony, "consent/")).status_code == 405


def test_posts_keep_csrf_protection(testimony):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url(testimony, "consent/"), CONSENT).status_code == 403
    assert client.post(url(testimony, "withdraw/")).status_code == 403
    testimony.refresh_from_db()
    assert testimony.status == Status.RECEIVED


def test_consent_can_be_narrowed_and_widened_and_is_logged(client, testimony):
    recorded_before = testimony.consent_recorded_at
    response = client.post(
        url(testimony, "consent/"),
        {"identification": "pseudonym", "display_name": "Rosa", "allows_local_report": "on", "allows_advocacy": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == url(testimony)
    testimony.refresh_from_db()
    assert (testimony.identification, testimony.display_name) == (Identification.PSEUDONYM, "Rosa")
    assert (
        testimony.allows_portal,
        testimony.allows_local_report,
        testimony.allows_national_report,
        testimony.allows_advocacy,
    ) == (False, True, False, True)
    assert testimony.consent_recorded_at > recorded_before
    log = ModerationLog.objects.filter(testimony=testimony).last()
    assert log.action == ModerationAction.CONSENT_CHANGED
    assert log.actor is None
    assert log.note == (
        # The log outlives a withdrawal, so it never holds a name: only that the name changed.
        "identification: first_name → pseudonym; display_name: … → …; allows_portal: yes → no; "
        "allows_local_report: no → yes; allows_national_report: yes → no; allows_advocacy: no → yes "
        "(consent text 2026-1 → 2026-1)"
    )
    assert "Your choices are saved. Thank you." in client.get(url(testimony)).text


def test_unchanged_consent_logs_nothing(client, testimony):
    response = client.post(url(testimony, "consent/"), CONSENT)
    assert response.status_code == 302
    assert list(ModerationLog.objects.filter(testimony=testimony).values_list("action", flat=True)) == [
        ModerationAction.RECEIVED
    ]


def test_consent_change_is_recorded_under_the_current_wording(client, testimony):
    ConsentText.objects.create(
        version="2027-1", text_en="New wording.", text_es="Texto nuevo.", effective_from=datetime.date(2027, 1, 1)
    )
    assert "under the current consent text (version 2027-1)" in client.get(url(testimony)).text
    client.post(url(testimony, "consent/"), {**CONSENT, "allows_advocacy": "on"})
    testimony.refresh_from_db()
    assert testimony.consent_text.version == "2027-1"
    assert ModerationLog.objects.filter(testimony=testimony).last().note.endswith("(consent text 2026-1 → 2027-1)")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**CONSENT, "identification": "superhero"}, "identification", "Please choose one of the ways to be named."),
        ({**CONSENT, "display_name": ""}, "display_name", "Please give the name to show, or choose to stay anonymous."),
        ({**CONSENT, "display_name": "<i>M</i>"}, "display_name", "Please use plain text here, without HTML tags."),
    ],
)
def test_bad_consent_change_is_refused(client, testimony, data, field, message):
    response = client.post(url(testimony, "consent/"), data)
    assert response.status_code == 400
    assert message in response.text
    assert f'id="id_{field}_error"' in response.text
    testimony.refresh_from_db()
    assert (testimony.identification, testimony.display_name) == (Identification.FIRST_NAME, "Maria")
    assert not ModerationLog.objects.filter(action=ModerationAction.CONSENT_CHANGED).exists()


def test_anonymous_clears_the_name(client, testimony):
    client.post(url(testimony, "consent/"), {**CONSENT, "identification": "anonymous", "display_name": "Maria"})
    testimony.refresh_from_db()
    assert (testimony.identification, testimony.display_name) == (Identification.ANONYMOUS, "")


def test_what_was_sent_to_the_un_cannot_be_recalled(client, testimony):
    models.Testimony.objects.filter(pk=testimony.pk).update(sent_to_un_at=timezone.now())
    page = client.get(url(testimony)).text
    assert "that use can no longer be withdrawn" in page
    assert 'name="allows_national_report"' in page and "disabled" in page.split('name="allows_national_report"')[1][:80]
    # The posted form leaves the (disabled) box unticked: the use stays.
    response = client.post(url(testimony, "consent/"), {"identification": "first_name", "display_name": "Maria"})
    assert response.status_code == 302
    testimony.refresh_from_db()
    assert (testimony.allows_national_report, testimony.allows_portal) == (True, False)
    with pytest.raises(services.ConsentError):
        services.change_consent(testimony, allows_national_report=False)
    testimony.refresh_from_db()
    assert testimony.allows_national_report is True


def test_minor_without_guardian_cannot_widen_uses(client, personas):
    t = services.submit_testimony(
        personas["city_a"], body="x", nature="challenge", identification="anonymous", allows_portal=True
    )
    assert t.allows_portal is False
    page = client.get(url(t)).text
    assert "your testimony is for the organizers only" in page
    client.post(url(t, "consent/"), {"identification": "anonymous", "allows_portal": "on", "allows_advocacy": "on"})
    t.refresh_from_db()
    assert (t.allows_portal, t.allows_advocacy) == (False, False)


def test_withdraw_asks_first(client, testimony):
    response = client.get(url(testimony, "withdraw/"))
    assert response.status_code == 200
    assert "Yes, withdraw my testimony" in response.text
    testimony.refresh_from_db()
    assert testimony.status == Status.RECEIVED


def test_withdrawing_hides_it_everywhere_and_deletes_the_contact(client, testimony):
    approve(testimony)
    assert list(models.Testimony.objects.public()) == [testimony]
    response = client.post(url(testimony, "withdraw/"))
    assert response.status_code == 302
    assert response["Location"] == url(testimony)
    testimony.refresh_from_db()
    assert testimony.status == Status.WITHDRAWN
    assert abs(timezone.now() - testimony.withdrawn_at) < datetime.timedelta(seconds=10)
    assert list(models.Testimony.objects.public()) == []
    assert not ContactDetails.objects.filter(testimony=testimony).exists()
    assert list(ModerationLog.objects.filter(testimony=testimony).values_list("action", flat=True)) == [
        ModerationAction.RECEIVED,
        ModerationAction.WITHDRAW,
    ]
    page = client.get(url(testimony)).text
    assert "Your testimony is withdrawn. Your contact details are deleted." in page
    assert "You withdrew this testimony" in page
    assert "Save my choices" not in page
    # A second withdrawal changes nothing and logs nothing.
    client.post(url(testimony, "withdraw/"))
    assert ModerationLog.objects.filter(testimony=testimony, action=ModerationAction.WITHDRAW).count() == 1
    assert "This testimony is already withdrawn." in client.get(url(testimony, "withdraw/")).text


def test_withdrawn_consent_can_no_longer_change(client, testimony):
    services.withdraw_testimony(testimony)
    response = client.post(url(testimony, "consent/"), {**CONSENT, "allows_advocacy": "on"})
    assert response.status_code == 409
    assert "This testimony was withdrawn: its consent can no longer be changed." in response.text
    testimony.refresh_from_db()
    assert testimony.allows_advocacy is False


def test_withdrawal_after_sending_to_the_un_says_it_cannot_be_recalled(client, testimony):
    models.Testimony.objects.filter(pk=testimony.pk).update(sent_to_un_at=timezone.now())
    assert "that cannot be recalled" in client.get(url(testimony, "withdraw/")).text
    client.post(url(testimony, "withdraw/"))
    assert "What had already been sent to the United Nations cannot be recalled." in client.get(url(testimony)).text


def test_private_link_from_the_email_opens_the_page(client, personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        testimony = services.submit_testimony(
            personas["city_a"],
            body="Words.",
            nature="positive",
            identification="anonymous",
            age_confirmed=True,
            contact_email="p@example.org",
        )
    [mail] = [m for m in mailoutbox if m.to == ["p@example.org"]]
    link = next(word for word in mail.body.split() if "/testimony/mine/" in word)
    assert link == f"http://127.0.0.1:8000/testimony/mine/{testimony.private_token}/"
    assert client.get(link.removeprefix("http://127.0.0.1:8000")).status_code == 200
