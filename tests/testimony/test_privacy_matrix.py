"""Every consent choice against every public place (DESIGN.md section 5): nothing shown beyond consent.

Cases: 4 ways to be identified x 4 combinations of uses (none; the portal only; every use but the portal; every
use) x 4 statuses x 3 ages (adult; under 18 with a guardian's consent; under 18 without) = 192. In each case the
public places are: the city page, the testimony list (whole and filtered by the city), the testimony's own page
(for an anonymous visitor and for a signed-in resident), the home page's count, the directory's count, the
city's scorecard (where the testimony is quoted as evidence: only with public advocacy as well) and its CSV, the
search (results and snippets), and the open data: the JSON API's list (whole and by city) and item, the Atom
feed, the CSV, the data package and the sitemap; and the copies of the scorecard item quoting it, which never show
its words: the API's scorecard and the recommendation's city statuses, the feed of scorecard changes, scorecard.csv
and the item's search result.
Only an approved testimony, allowing the portal, by an adult or with a guardian's consent, is shown; it is shown
with the chosen name unless anonymous. Every free-text field of `PUBLIC_TEXT_FIELDS` is given both an original
and a public version: the original never appears anywhere, only the public version organizers set; and the
person's contact details never appear anywhere.
"""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from indicators.registry import theme_panels
from testimony.enums import Identification, Status
from testimony.models import PUBLIC_TEXT_FIELDS, ContactDetails
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_recommendations
from tracking.enums import EvidenceKind
from tracking.models import Evidence, StatusUpdate, TrackedItem
from upr.models import Theme

TITLE = "Zqtitlemarker"  # the organizers' public title
SUBMITTED_TITLE = "Zqsubmittedtitle"  # the title as the person wrote it: may carry a name, never public
ORIGINAL = "Zqoriginalbodymarker"
PUBLIC = "Zqpublicbodymarker"
NAME = "Zqdisplaynamemarker"
PLACE = "Zqplacemarker"
CAPTION = "Zqcaptionmarker"
TRANSCRIPT = "Zqtranscriptmarker"
CONTACT = ["Zqcontactnamemarker", "zqcontactmarker@example.org", "+1 555 0199 7788"]
PUBLIC_PLACE, PUBLIC_CAPTION, PUBLIC_TRANSCRIPT = "Zqpublicplacemarker", "Zqpubliccaptionmarker", "Zqpubtranscript"
# What the person wrote and what organizers made public, for every field of the one list: a field added to
# PUBLIC_TEXT_FIELDS without markers here fails test_every_public_text_field_is_in_the_matrix.
ORIGINALS = {
    "title": SUBMITTED_TITLE,
    "body": f"{ORIGINAL} with the street and the neighbour's name.",
    "transcript": TRANSCRIPT,
    "media_caption": CAPTION,
    "place_text": PLACE,
}
PUBLICS = {
    "public_title": TITLE,
    "public_body": f"{PUBLIC}: what happened, redacted.",
    "public_transcript": PUBLIC_TRANSCRIPT,
    "public_media_caption": PUBLIC_CAPTION,
    "public_place_text": PUBLIC_PLACE,
}


def test_every_public_text_field_is_in_the_matrix():
    assert list(ORIGINALS) == [f.original for f in PUBLIC_TEXT_FIELDS]
    assert list(PUBLICS) == [f.public for f in PUBLIC_TEXT_FIELDS]


USES = {
    "none": {},
    "portal only": {"allows_portal": True},
    "all but portal": {"allows_local_report": True, "allows_national_report": True, "allows_advocacy": True},
    "all": {
        "allows_portal": True,
        "allows_local_report": True,
        "allows_national_report": True,
        "allows_advocacy": True,
    },
}
AGES = {
    "adult": {"age_confirmed": True},
    "guardian": {"age_confirmed": False, "guardian_consent": True},
    "minor without guardian": {"age_confirmed": False, "guardian_consent": False},
}
CASES = [
    pytest.param(identification, uses, status, age, id=f"{identification}-{uses}-{status}-{age}")
    for identification in Identification.values
    for uses in USES
    for status in Status.values
    for age in AGES
]
assert len(CASES) == 192


def _home_count(response) -> int:
    return {str(label): count for label, count in response.context["stats"]}["testimonies shared publicly"]


def _directory_count(response, city) -> int:
    facts = {c.pk: {fact.key: value for fact, value in row} for c, row in response.context["rows"]}
    return facts[city.pk]["testimony_public"]


@pytest.mark.django_db
@pytest.mark.parametrize(("identification", "uses", "status", "age"), CASES)
def test_privacy_matrix(client, user_factory, identification, uses, status, age):
    anonymous = identification == Identification.ANONYMOUS
    testimony = make_testimony(
        identification=identification,
        display_name="" if anonymous else NAME,
        **ORIGINALS,
        **PUBLICS,
        occurred_on=datetime.date(2025, 6, 1),
        media_link="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        status=status,
        **{"allows_portal": False, **USES[uses]},
        **AGES[age],
    )
    ContactDetails.objects.create(
        testimony=testimony,
        name=CONTACT[0],
        email=CONTACT[1],
        phone=CONTACT[2],
        retain_until=timezone.localdate() + datetime.timedelta(days=365),
    )
    city = testimony.city
    shown = status == Status.APPROVED and uses in ("portal only", "all") and age != "minor without guardian"
    # The testimony is quoted whole as evidence on the city's scorecard: shown only if it is shown at all and its
    # consent also allows public advocacy.
    tracked = TrackedItem.objects.create(city=city, recommendation=make_recommendations(1)[0])
    update = StatusUpdate.objects.create(
        item=tracked, status="regressed", what_changed="Shelters closed.", observed_on=datetime.date(2026, 1, 5)
    )
    Evidence.objects.create(update=update, kind=EvidenceKind.TESTIMONY, testimony=testimony)
    quoted = shown and uses == "all"

    detail = client.get(f"/testimony/{testimony.pk}/")
    assert detail.status_code == (200 if shown else 404)
    client.force_login(user_factory("resident@example.org"))
    signed_in = client.get(f"/testimony/{testimony.pk}/")
    assert signed_in.status_code == (200 if shown else 404)
    client.logout()
    home, directory = client.get("/"), client.get("/cities/")

    api_item = client.get(f"/api/v1/testimony/{testimony.pk}/")
    assert api_item.status_code == (200 if shown else 404)
    package = zipfile.ZipFile(io.BytesIO(client.get("/open-data/upr-cities-open-data.zip").content))
    sitemap = client.get("/sitemap.xml").text
    assert (f"/testimony/{testimony.pk}/</loc>" in sitemap) is shown

    pages = {
        "city page": client.get(city.get_absolute_url()).text,
        "list": client.get("/testimony/").text,
        "list of the city": client.get(f"/testimony/?city={city.slug}").text,
        "testimony page": detail.text,
        "testimony page, signed in": signed_in.text,
        "home": home.text,
        "directory": directory.text,
        "scorecard": client.get(f"/cities/{city.slug}/scorecard/").text,
        "scorecard csv": client.get(f"/cities/{city.slug}/scorecard.csv").content.decode(),
        "api list": client.get("/api/v1/testimony/").text,
        "api list of the city": client.get(f"/api/v1/testimony/?city={city.slug}").text,
        "api item": api_item.text,
        "atom feed": client.get("/feeds/testimony.atom").text,
        "open-data csv": client.get("/open-data/testimony.csv").content.decode("utf-8-sig"),
        "open-data package": " ".join(package.read(name).decode("utf-8-sig") for name in package.namelist()),
        "sitemap": sitemap,
        # The scorecard item quoting it, in the open data and the search: the status and what changed, never the
        # quoted words (each is resolved against today's consent on the scorecard page only).
        "api scorecard": client.get("/api/v1/scorecard/").text,
        "api recommendation": client.get(f"/api/v1/recommendations/{tracked.recommendation_id}/").text,
        "scorecard feed": client.get("/feeds/scorecard.atom").text,
        "open-data scorecard csv": client.get("/open-data/scorecard.csv").content.decode("utf-8-sig"),
        "search for the scorecard item": client.get("/search/", {"q": "Shelters"}).text,
    }
    for place in ("api scorecard", "scorecard feed", "open-data scorecard csv", "search for the scorecard item"):
        assert f"/scorecard/#item-{tracked.pk}" in pages[place], place  # the item is there, its quote is not
    web_pages = {"city page", "list", "list of the city", "testimony page", "testimony page, signed in"}
    open_data = {"api list", "api list of the city", "api item", "open-data csv", "open-data package"}
    showing = web_pages | open_data | {"atom feed"} if shown else set()
    for place, text in pages.items():
        for marker in [ORIGINAL, *ORIGINALS.values(), *CONTACT]:
            assert marker not in text, (place, marker)
        if place == "scorecard" and quoted:
            assert PUBLIC in text and (NAME in text) is not anonymous, place
            assert TITLE not in text and PUBLIC_PLACE not in text, place  # the words and the name only
        elif place in showing:
            assert PUBLIC in text and TITLE in text, place
            assert (NAME in text) is not anonymous, place
            if anonymous and place not in open_data:  # the open data leaves the name empty (null)
                assert "Anonymous" in text, place
            if place != "atom feed":  # a feed entry carries the title, the words and the name
                assert PUBLIC_PLACE in text, place  # precise unless the person asked otherwise
        else:
            for marker in [NAME, *PUBLICS.values(), "youtube"]:
                assert marker not in text, (place, marker)
    # The city profile counts public testimony beside each theme (indicators.registry.theme_panels): counted only
    # when shown.
    theme, _created = Theme.objects.get_or_create(slug="housing", defaults={"name": "Housing", "name_es": "Vivienda"})
    testimony.themes.add(theme)
    lines = theme_panels.lines(city, [theme])[theme.pk]
    testimony_line = next(line for line in lines if str(line.label) == "public testimony on this theme")
    assert testimony_line.count == (1 if shown else 0)
    if shown:
        assert PUBLIC_TRANSCRIPT in pages["testimony page"] and PUBLIC_CAPTION in pages["testimony page"]
        assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in pages["testimony page"]

    # Search (tests/search/test_privacy.py has the rest): a public word finds the testimony only when it is shown,
    # with the public title and text and never a name; a word of an original finds nothing.
    found = client.get(f"/search/?q={PUBLIC}")
    assert found.context["results"].total == (1 if shown else 0)
    for marker in [ORIGINAL, *ORIGINALS.values(), *CONTACT, NAME]:
        assert marker not in found.text, ("search", marker)
    if shown:
        assert TITLE in found.text and f"<mark>{PUBLIC}</mark>" in found.text
    for original in ORIGINALS.values():
        assert client.get("/search/", {"q": original}).context["results"].total == 0, original

    assert _home_count(home) == (1 if shown else 0)
    assert _directory_count(directory, city) == (1 if shown else 0)
