import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cities.enums import CityStatus
from testimony import models, services, submit_forms
from testimony.enums import ConsentMethod, Identification, Kind, ModerationAction, Nature, Status
from testimony.models import ConsentText, ContactDetails, ModerationLog
from testimony.selectors import current_consent_text
from upr.models import ReviewCycle, Theme

URL = "/cities/pittsburgh-pa/testimony/new/"
GOOD = {
    "title": "Evicted in winter",
    "body": "Our landlord evicted us in January with two days' notice.",
    "nature": Nature.CHALLENGE.value,
    "language": "en",
    "identification": Identification.FIRST_NAME.value,
    "display_name": "Maria",
    "allows_portal": "on",
    "allows_national_report": "on",
    "age": "adult",
    "consent_version": "2026-1",
}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def housing(db):
    return Theme.objects.create(slug="housing", name="Housing", name_es="Vivienda")


def post(client, data=None, **changes):
    payload = {**GOOD, **(data or {}), **changes}
    return client.post(URL, {k: v for k, v in payload.items() if v is not None})


def test_urls_are_named_as_documented():
    assert reverse("testimony:pick_city") == "/testimony/new/"
    assert reverse("testimony:new", args=["pittsburgh-pa"]) == URL
    assert reverse("testimony:thanks", args=["pittsburgh-pa"]) == "/cities/pittsburgh-pa/testimony/thanks/"
    assert reverse("testimony:mine", args=["abc"]) == "/testimony/mine/abc/"
    assert reverse("testimony:mine_consent", args=["abc"]) == "/testimony/mine/abc/consent/"
    assert reverse("testimony:mine_withdraw", args=["abc"]) == "/testimony/mine/abc/withdraw/"


def test_city_picker_lists_active_cities_only(client, city_factory):
    city_factory("Pittsburgh", "PA")
    city_factory("Erie", "PA", status=CityStatus.EXPLORING)
    response = client.get("/testimony/new/")
    assert response.status_code == 200
    assert '<a href="/cities/pittsburgh-pa/testimony/new/">Pittsburgh, PA</a>' in response.text
    assert "/cities/erie-pa/testimony/new/" not in response.text


def test_form_page_shows_consent_text_its_version_and_the_un_warning(client, personas):
    response = client.get(URL)
    assert response.status_code == 200
    text = current_consent_text()
    assert text.version == "2026-1"
    assert "The consent you give (version 2026-1)" in response.text
    assert text.text_en.splitlines()[0][:40] in response.text
    # The wording reads as paragraphs and a list, whatever line breaks it was stored with.
    assert (
        "<p>Your testimony is yours. You decide how you are named and where your words may be used. Each use below "
        "is a separate choice; you can say yes to some and no to others.</p>" in response.text
    )
    assert "<li>Used in public advocacy: organizers may quote you to the media and to officials.</li>" in response.text
    consent_section = response.text.split('class="small consent-wording"', 1)[1].split("</section>", 1)[0]
    assert "<br>" not in consent_section
    assert "except what has already been sent to the United Nations: that cannot be recalled." in response.text
    assert '<input type="hidden" name="consent_version" value="2026-1"' in response.text
    # Radio groups are fieldsets with a legend.
    assert "<legend" in response.text and "How should we name you where your words appear?" in response.text


def test_form_page_in_spanish_shows_the_spanish_consent_text(client, personas):
    response = client.get(URL, headers={"accept-language": "es"})
    assert current_consent_text().text_es.splitlines()[0][:40] in response.text
    assert (
        "<li>Citado en el informe local de la ciudad: el equipo organizador puede citarle en el informe breve que "
        "escribe para el examen.</li>" in response.text
    )


def test_submission_is_stored_with_its_consent_and_both_sides_are_told(
    client, personas, housing, mailoutbox, on_commit
):
    with on_commit():
        response = post(
            client,
            themes=[housing.pk],
            contact_name="Maria Lopez",
            contact_email="maria@example.org",
            contact_phone="+1 412 555 0100",
            allows_contact="on",
            place_text="East Liberty",
            occurred_on="2026-01-15",
        )
    assert response.status_code == 302
    assert response["Location"] == "/cities/pittsburgh-pa/testimony/thanks/"
    t = models.Testimony.objects.get()
    assert (t.city, t.status, t.kind, t.title, t.nature, t.language) == (
        personas["city_a"],
        Status.RECEIVED,
        Kind.WRITTEN,
        "Evicted in winter",
        Nature.CHALLENGE,
        "en",
    )
    assert (t.identification, t.display_name) == (Identification.FIRST_NAME, "Maria")
    assert (t.allows_portal, t.allows_local_report, t.allows_national_report, t.allows_advocacy) == (
        True,
        False,
        True,
        False,
    )
    assert (t.allows_contact, t.age_confirmed, t.guardian_consent, t.less_precise) == (True, True, False, False)
    assert (t.consent_text.version, t.consent_method) == ("2026-1", ConsentMethod.ONLINE)
    assert abs(timezone.now() - t.consent_recorded_at) < datetime.timedelta(seconds=10)
    assert (t.place_text, t.occurred_on, t.submitted_by) == ("East Liberty", datetime.date(2026, 1, 15), None)
    assert list(t.themes.all()) == [housing]
    contact = ContactDetails.objects.get(testimony=t)
    assert (contact.name, contact.email, contact.phone) == ("Maria Lopez", "maria@example.org", "+1 412 555 0100")
    assert contact.retain_until == timezone.localdate() + datetime.timedelta(days=365)
    assert list(ModerationLog.objects.values_list("testimony", "action", "actor")) == [
        (t.pk, ModerationAction.RECEIVED, None)
    ]
    assert sorted((m.subject, tuple(m.to)) for m in mailoutbox) == [
        ("[UPR Cities] New testimony received in Pittsburgh", ("organizer-a@example.org",)),
        ("[UPR Cities] Your testimony reached the organizers in Pittsburgh", ("maria@example.org",)),
    ]
    confirmation = next(m for m in mailoutbox if m.to == ["maria@example.org"])
    link = f"http://127.0.0.1:8000/testimony/mine/{t.private_token}/"
    assert link in confirmation.body
    assert f'href="{link}"' in confirmation.alternatives[0][0]
    notice = next(m for m in mailoutbox if m.to == ["organizer-a@example.org"])
    for secret in ("landlord", "Maria", t.private_token, "maria@example.org"):
        assert secret not in notice.body
        assert secret not in notice.alternatives[0][0]
    assert f"A new testimony (#{t.pk}) arrived for Pittsburgh" in notice.body


def test_thanks_page_never_shows_the_token(client, personas):
    post(client)
    t = models.Testimony.objects.get()
    response = client.get("/cities/pittsburgh-pa/testimony/thanks/")
    assert response.status_code == 200
    assert t.private_token not in response.text
    assert "Thank you: your testimony has reached the organizers" in response.text


def test_no_email_means_no_confirmation_and_no_contact_row(client, personas, mailoutbox, on_commit):
    with on_commit():
        post(client, identification="anonymous", display_name="")
    t = models.Testimony.objects.get()
    assert (t.identification, t.display_name) == (Identification.ANONYMOUS, "")
    assert not ContactDetails.objects.exists()
    assert [m.to for m in mailoutbox] == [["organizer-a@example.org"]]


def test_city_without_organizers_notifies_the_national_team(client, city_factory, mailoutbox, on_commit, settings):
    city_factory("Pittsburgh", "PA")
    with on_commit():
        post(client)
    assert [m.to for m in mailoutbox] == [[settings.NATIONAL_TEAM_EMAIL]]


def test_signed_in_person_is_recorded_as_submitter(client, personas):
    client.force_login(personas["resident"])
    post(client)
    assert models.Testimony.objects.get().submitted_by == personas["resident"]


def test_retention_follows_the_current_cycles_review_date(client, personas, settings):
    review = timezone.localdate() + datetime.timedelta(days=100)
    ReviewCycle.objects.create(number=5, review_date=review)
    post(client, contact_email="maria@example.org")
    t = models.Testimony.objects.get()
    assert t.contact.retain_until == review + datetime.timedelta(days=90)
    assert t.cycle.number == 5
    assert settings.TESTIMONY_RETENTION_DAYS_AFTER_REVIEW == 90


def test_minor_without_guardian_is_organizers_only_whatever_was_ticked(client, personas):
    response = post(client, age="minor", allows_portal="on", allows_local_report="on", allows_advocacy="on")
    assert response.status_code == 302
    t = models.Testimony.objects.get()
    assert (t.allows_portal, t.allows_local_report, t.allows_national_report, t.allows_advocacy) == (
        False,
        False,
        False,
        False,
    )
    assert (t.age_confirmed, t.guardian_consent) == (False, False)


def test_minor_with_guardian_keeps_the_uses(client, personas):
    post(client, age="minor_guardian")
    t = models.Testimony.objects.get()
    assert (t.age_confirmed, t.guardian_consent, t.allows_portal) == (False, True, True)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"body": ""}, "body", "Please tell us what happened."),
        ({"body": "   "}, "body", "Please tell us what happened."),
        ({"body": "x" * 20_001}, "body", "Ensure this value has at most 20000 characters (it has 20001)."),
        ({"nature": None}, "nature", "Please say whether it is a challenge or a positive practice."),
        ({"identification": "superhero"}, "identification", "Please choose one of the ways to be named."),
        ({"nature": "neutral"}, "nature", "Select a valid choice. neutral is not one of the available choices."),
        ({"age": "immortal"}, "age", "Select a valid choice. immortal is not one of the available choices."),
        ({"age": None}, "age", "Please answer the question about your age."),
        ({"language": "xx"}, "language", "Select a valid choice. xx is not one of the available choices."),
        ({"display_name": ""}, "display_name", "Please give the name to show, or choose to stay anonymous."),
        ({"display_name": "<b>Maria</b>"}, "display_name", "Please use plain text here, without HTML tags."),
        ({"title": "<script>x</script>"}, "title", "Please use plain text here, without HTML tags."),
        ({"media_link": "javascript:alert(1)"}, "media_link", "Enter a valid URL."),
        ({"occurred_on": "2999-01-01"}, "occurred_on", "This date is in the future."),
        ({"contact_email": "not-an-email"}, "contact_email", "Enter a valid email address."),
        ({"contact_phone": "call me maybe"}, "contact_phone", "Please give a phone number with digits only"),
        (
            {"allows_contact": "on"},
            "contact_email",
            "To be contacted, give an email or a phone number (or untick the permission).",
        ),
        (
            {"consent_version": "2025-9"},
            "consent_version",
            "The consent wording has just changed. Please read it again below before sending.",
        ),
    ],
)
def test_bad_input_is_refused_explained_and_kept(client, personas, mailoutbox, change, field, message):
    response = post(client, **change)
    assert response.status_code == 400
    assert message in response.text
    assert not models.Testimony.objects.exists()
    assert not ModerationLog.objects.exists()
    assert mailoutbox == []
    # Everything valid is kept.
    assert "Please correct the fields marked below. Everything else you typed is kept." in response.text
    if field != "body":
        assert GOOD["body"].replace("'", "&#x27;") in response.text
    if field != "title":
        assert 'value="Evicted in winter"' in response.text
    assert 'value="challenge"' in response.text
    if field not in {"consent_version"}:
        assert f'id="id_{field}_error"' in response.text


def test_error_on_a_single_field_is_linked_to_it(client, personas):
    response = post(client, contact_email="nope")
    assert re.search(
        r'<input[^>]*name="contact_email"[^>]*aria-describedby="[^"]*id_contact_email_error', response.text
    )
    assert 'aria-invalid="true"' in response.text


def test_file_dropped_after_an_error_is_said(client, personas):
    upload = SimpleUploadedFile("photo.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(URL, {**GOOD, "body": "", "media_file": upload})
    assert response.status_code == 400
    assert "browsers do not keep a chosen file after an error: please choose your file again." in response.text


def a_pdf() -> bytes:
    """A real one-page PDF (uploads are rewritten without their metadata, so they must be readable)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_link_and_file_together_are_refused(client, personas):
    upload = SimpleUploadedFile("a.pdf", a_pdf())
    response = client.post(URL, {**GOOD, "media_link": "https://youtu.be/abc", "media_file": upload})
    assert response.status_code == 400
    assert "Please give either a link or a file, not both." in response.text


def test_video_link_makes_a_video_testimony(client, personas):
    post(client, media_link="https://www.youtube.com/watch?v=abc", media_caption="At the council")
    t = models.Testimony.objects.get()
    assert (t.kind, t.media_link, t.media_caption) == (
        Kind.VIDEO,
        "https://www.youtube.com/watch?v=abc",
        "At the council",
    )


def test_pdf_upload_is_stored_under_a_random_name(client, personas):
    upload = SimpleUploadedFile("Maria Lopez statement.pdf", a_pdf())
    assert client.post(URL, {**GOOD, "media_file": upload}).status_code == 302
    t = models.Testimony.objects.get()
    assert re.fullmatch(r"testimony/[0-9a-f]{32}\.pdf", t.media_file.name)
    with t.media_file.open("rb") as stored:
        # Stored as the same one-page PDF, rewritten without its metadata (test_hostile_files reads that back).
        from pypdf import PdfReader

        assert len(PdfReader(stored).pages) == 1
    assert t.kind == Kind.WRITTEN


def test_honeypot_answers_as_if_it_worked_and_stores_nothing(client, personas, mailoutbox, on_commit):
    with on_commit():
        response = post(client, website="http://spam.example")
    assert response["Location"] == "/cities/pittsburgh-pa/testimony/thanks/"
    assert not models.Testimony.objects.exists()
    assert mailoutbox == []


def test_rate_limit(client, personas, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "testimony": (2, 3600)}
    assert [post(client).status_code for _ in range(3)] == [302, 302, 429]
    assert models.Testimony.objects.count() == 2
    assert "Too many testimonies from your connection" in post(client).text


def test_unknown_city_is_404(client, db):
    assert client.get("/cities/atlantis-zz/testimony/new/").status_code == 404
    assert client.post("/cities/atlantis-zz/testimony/new/", GOOD).status_code == 404


def test_newer_consent_text_is_the_one_recorded(client, personas):
    ConsentText.objects.create(
        version="2027-1", text_en="New wording.", text_es="Texto nuevo.", effective_from=datetime.date(2027, 1, 1)
    )
    assert "The consent you give (version 2027-1)" in client.get(URL).text
    assert post(client).status_code == 400
    assert post(client, consent_version="2027-1").status_code == 302
    assert models.Testimony.objects.get().consent_text.version == "2027-1"


def test_service_refuses_forged_consent(personas):
    with pytest.raises(ValueError, match="unknown identification 'superhero'"):
        services.submit_testimony(
            personas["city_a"], body="x", nature="challenge", identification="superhero", display_name="Zed"
        )
    with pytest.raises(ValueError, match="a name is shown exactly when"):
        services.submit_testimony(
            personas["city_a"], body="x", nature="challenge", identification="anonymous", display_name="Zed"
        )
    assert not models.Testimony.objects.exists()


def test_service_is_atomic(personas, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("log failed")

    monkeypatch.setattr(services.ModerationLog.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.submit_testimony(
            personas["city_a"],
            body="x",
            nature="challenge",
            identification="anonymous",
            contact_email="a@example.org",
        )
    assert not models.Testimony.objects.exists()
    assert not ContactDetails.objects.exists()


# --- Property tests over the form's fields -----------------------------------------------------------------

# hypothesis is a test-only dependency; without it, only these property tests are skipped (not the module).
try:
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    st = None


if st is None:  # pragma: no cover

    @pytest.mark.skip(reason="hypothesis is not installed")
    def test_property_tests_need_hypothesis():
        pass

else:
    MARKUP = st.sampled_from(["<b>x</b>", "<script>alert(1)</script>", "&amp;", "&#60;", "<img src=x onerror=y>"])
    ANY_TEXT = st.text(max_size=300) | st.builds(
        lambda a, m, b: a + m + b, st.text(max_size=50), MARKUP, st.text(max_size=50)
    )

    @pytest.mark.django_db
    @hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        data=st.fixed_dictionaries(
            {},
            optional=dict.fromkeys(
                (
                    "title",
                    "body",
                    "nature",
                    "language",
                    "media_link",
                    "media_caption",
                    "transcript",
                    "place_text",
                    "occurred_on",
                    "identification",
                    "display_name",
                    "allows_portal",
                    "age",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "consent_version",
                ),
                ANY_TEXT,
            ),
        )
    )
    def test_random_text_never_crashes_the_form(data):
        form = submit_forms.TestimonyForm({**GOOD, **data}, consent_text=current_consent_text())
        if form.is_valid():
            submission = form.submission()
            assert submission["identification"] in Identification.values
            assert (submission["identification"] == "anonymous") == (submission["display_name"] == "")
        else:
            assert form.errors
        form.as_div()  # rendering never crashes either

    @pytest.mark.django_db
    @hsettings(max_examples=40, deadline=None)
    @given(before=st.text(max_size=40), markup=MARKUP, after=st.text(max_size=40))
    def test_markup_in_names_is_refused(before, markup, after):
        form = submit_forms.TestimonyForm(
            {**GOOD, "display_name": before + markup + after, "contact_name": before + markup + after},
            consent_text=current_consent_text(),
        )
        assert not form.is_valid()
        assert "Please use plain text here, without HTML tags." in form.errors["display_name"]
        assert "Please use plain text here, without HTML tags." in form.errors["contact_name"]

    @pytest.mark.django_db
    @hsettings(max_examples=40, deadline=None)
    @given(name=st.text(alphabet=st.characters(exclude_characters="<>&\x00"), min_size=1, max_size=150))
    def test_any_plain_unicode_name_is_accepted(name):
        form = submit_forms.TestimonyForm({**GOOD, "display_name": name}, consent_text=current_consent_text())
        if name.strip():
            assert form.is_valid(), form.errors
            assert form.cleaned_data["display_name"] == name.strip()
        else:
            assert form.errors["display_name"] == ["Please give the name to show, or choose to stay anonymous."]
