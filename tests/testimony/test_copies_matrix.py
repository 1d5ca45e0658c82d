"""Privacy follows every copy of the words (DESIGN.md section 5): each change a person or the organizers make
against every place the words or the name are copied to.

Changes (9): switch to anonymous; choose a pseudonym (waits for organizers: not shown until they accept it); take
back the portal consent; take back the national-report consent; take back the local-report consent; take back the
advocacy consent; withdraw; the organizers redact the public version so the quoted words are gone; widen (portal
off -> on: not shown until accepted).

Surfaces (24): with the page cache on, the public testimony list, the testimony's page and the city page, the
JSON API's testimony list and item, the testimony Atom feed and the open-data CSV; the
organizers' CSV export; the accepted local report's public page, a fresh PDF of it and the file made before the
change; the compiled national report's admin page, the joint submitters' sign-off page, a fresh national PDF and
Word file, the national files made before the change (downloadable? linked from the admin page?); the OHCHR
consent check (does it count the quote?); the emails sent after the change; the city's public scorecard, where the
testimony is quoted as evidence of a tracked recommendation, and its CSV (never the words or the name); and the
copies of that scorecard item in the discovery surfaces, which never hold the words or the name either: its search
result, the API's scorecard list, the feed of scorecard changes and scorecard.csv of the open data.

Matrix: 9 changes x 24 surfaces = 216 cells, each checked before the change (what consent allowed is there, so
the test proves something), after it, and for the two changes that wait, once more after organizers accept.
What each surface must show is derived from the consent in force by one small model (`expected`), so every cell
is an exact set of markers, present or absent.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from national.checks import ohchr_checks
from national.compile import compile_report
from national.enums import SubmissionType
from national.models import JointSubmitter, NationalReport
from national.services import request_sign_off
from reports import rendering
from reports import services as report_services
from reports.enums import RenderStatus
from reports.models import Quote
from testimony import moderation, services
from testimony.enums import Identification
from tests.http import release
from tests.reports.factories import current_cycle, make_report
from tests.testimony.factories import make_testimony
from tests.tracking.factories import make_recommendations
from tracking.enums import EvidenceKind
from tracking.models import Evidence, StatusUpdate, TrackedItem

pytestmark = pytest.mark.django_db

NAME = "Rosalind Okafor"
PSEUDONYM = "Blue Heron"
WORDS = "slept in their coats"  # the words the reports quote (an excerpt of the public version)
BODY = f"Every night in January my children {WORDS}."
REDACTED = "were cold that winter"  # the organizers' new public version keeps none of the quoted words
REDACTED_BODY = f"In January my children {REDACTED}."
CONSENT_CHECK = "Every quote's consent allows the report to the UN"
MARKERS = (NAME, PSEUDONYM, WORDS, REDACTED)
# Not words: an earlier file was handed out (SERVED) or linked from the admin page (OFFERED).
SERVED, OFFERED = "<served>", "<offered>"

PORTAL_PAGES = (
    "testimony list",
    "testimony page",
    "city page",
    # The open data (api app): the API's list and item, the Atom feed and the CSV download, each cached.
    "api list",
    "api item",
    "atom feed",
    "open-data csv",
)
LOCAL = ("local report page", "local report fresh pdf")
# The scorecard item quoting the testimony, copied by search and the open data: never its words nor the name.
SCORECARD_COPIES = ("scorecard search", "api scorecard", "scorecard feed", "open-data scorecard csv")
NATIONAL = ("national admin page", "sign-off page", "national fresh pdf", "national fresh docx")
SURFACES = (
    *PORTAL_PAGES,
    "organizers' csv",
    *LOCAL,
    "local report earlier pdf",
    *NATIONAL,
    "national earlier files",
    "ohchr consent check",
    "emails after the change",
    "city scorecard",
    "scorecard csv",
    *SCORECARD_COPIES,
)


@dataclass(frozen=True)
class Consent:
    """The consent in force (what the surfaces must follow), in markers."""

    name: str | None
    public: frozenset[str]  # the markers in today's public version
    portal: bool
    local: bool
    national: bool
    withdrawn: bool = False
    advocacy: bool = True


def expected(now: Consent, before: Consent) -> dict[str, frozenset[str]]:
    """What every surface shows under the consent `now`, the earlier files having been made under `before`."""

    def shows(consent: Consent) -> dict[str, frozenset[str]]:
        name = {consent.name} if consent.name and not consent.withdrawn else set()
        words = set() if consent.withdrawn else set(consent.public)
        quoted = WORDS in words  # a quote prints only while its words are inside today's public version
        local_ok = quoted and consent.local and consent.portal  # the published report quotes only portal testimony
        national_ok = quoted and consent.national
        shown = frozenset(name | words) if consent.portal and words else frozenset()
        cells = dict.fromkeys(PORTAL_PAGES, shown)
        # Organizers see their city's testimony whatever its uses; the export follows the name and public version.
        cells["organizers' csv"] = frozenset(name | words)
        cells.update({surface: frozenset(name | {WORDS}) if local_ok else frozenset() for surface in LOCAL})
        cells.update({surface: frozenset(name | {WORDS}) if national_ok else frozenset() for surface in NATIONAL})
        cells["ohchr consent check"] = frozenset({WORDS}) if national_ok else frozenset()
        # Evidence on a public scorecard: public advocacy, shown on the portal.
        tracking_ok = quoted and consent.advocacy and consent.portal
        cells["city scorecard"] = frozenset(name | {WORDS}) if tracking_ok else frozenset()
        cells["scorecard csv"] = frozenset()
        cells.update(dict.fromkeys(SCORECARD_COPIES, frozenset()))
        return cells

    cells, earlier = shows(now), shows(before)
    # A file made earlier is handed out (and linked) only while it still holds what would be printed today.
    same_local = cells["local report fresh pdf"] == earlier["local report fresh pdf"] and not now.withdrawn
    same_national = cells["national fresh pdf"] == earlier["national fresh pdf"] and not now.withdrawn
    cells["local report earlier pdf"] = earlier["local report fresh pdf"] | {SERVED} if same_local else frozenset()
    cells["national earlier files"] = (
        earlier["national fresh pdf"] | {SERVED, OFFERED} if same_national else frozenset()
    )
    cells["emails after the change"] = frozenset()  # no email ever carries the words or the name
    return cells


# --- the world --------------------------------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(data: bytes) -> str:
    return _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def _docx_text(data: bytes) -> str:
    """Every run of text of the Word file: body, footnotes, headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
    return _flat(" ".join(" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", part)) for part in parts))


def _file_text(render) -> str:
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    with render.file.open("rb") as handle:
        data = handle.read()
    return _pdf_text(data) if render.format == "pdf" else _docx_text(data)


def _download(client, url: str) -> bytes | None:
    response = client.get(url)
    if response.status_code != 200:
        return None
    data = b"".join(response.streaming_content)
    release(response)
    return data


def _markers(text: str) -> frozenset[str]:
    return frozenset(marker for marker in MARKERS if marker in text)


@pytest.fixture
def build_world(personas, django_capture_on_commit_callbacks, settings):
    """The world of one case: a testimony of city A quoted in its accepted local report and in the compiled
    national report (a joint submission with a submitter to sign off), consent per `start`."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60

    def build(**start):
        city = personas["city_a"]
        start.setdefault("identification", Identification.FULL_NAME)
        start.setdefault("display_name", NAME if start["identification"] != Identification.ANONYMOUS else "")
        start.setdefault("allows_portal", True)
        quoted = make_testimony(
            city=city,
            body=BODY,
            allows_local_report=True,
            allows_national_report=True,
            allows_advocacy=True,
            **start,
        )
        tracked = TrackedItem.objects.create(city=city, recommendation=make_recommendations(1)[0])
        update = StatusUpdate.objects.create(
            item=tracked, status="regressed", what_changed="Shelters closed.", observed_on=date(2026, 1, 5)
        )
        Evidence.objects.create(update=update, kind=EvidenceKind.TESTIMONY, testimony=quoted, excerpt=WORDS)
        report = make_report(city, sections=1, paragraphs_per_section=1, words_per_paragraph=20, quotes=[quoted])
        Quote.objects.filter(report=report).update(excerpt=WORDS)
        version = report_services.submit(report, by=None)
        report_services.accept(report, by=None)
        national_report = NationalReport.objects.create(
            cycle=current_cycle(),
            title="Human rights in US cities",
            submitter="US Human Rights Cities Alliance",
            acronym="USHRCA",
            description="A network of local coalitions.",
            submission_type=SubmissionType.JOINT,
            period_start=current_cycle().review_date.replace(year=2021),
            period_end=current_cycle().review_date.replace(year=2025, month=4, day=1),
        )
        submitter = JointSubmitter.objects.create(
            report=national_report, name="Pittsburgh Coalition", acronym="PHRC", contact_email="phrc@example.org"
        )
        compile_report(national_report)
        anonymous, organizer, staff = Client(), Client(), Client()
        organizer.force_login(personas["organizer_a"])
        staff_user = personas["staff_mfa"]
        staff_user.is_superuser = True
        staff_user.save()
        staff.force_login(staff_user)
        return {
            "city": city,
            "quoted": quoted,
            "version": version,
            "national": national_report,
            "submitter": submitter,
            "anonymous": anonymous,
            "organizer": organizer,
            "staff": staff,
            "organizer_user": personas["organizer_a"],
            "capture": django_capture_on_commit_callbacks,
            "earlier": {},
        }

    return build


def surfaces(world) -> dict[str, frozenset[str]]:
    """Every surface's markers, as the people who use it see it now. The first call makes the files that later
    calls check are no longer handed out once they are not what would be printed."""
    anonymous, city, quoted = world["anonymous"], world["city"], world["quoted"]
    texts: dict[str, str] = {}
    pages = {
        "testimony list": "/testimony/",
        "testimony page": f"/testimony/{quoted.pk}/",
        "city page": city.get_absolute_url(),
        "city scorecard": reverse("tracking:scorecard", args=[city.slug]),
        "api list": "/api/v1/testimony/",
        "api item": f"/api/v1/testimony/{quoted.pk}/",
        "atom feed": "/feeds/testimony.atom",
        "open-data csv": "/open-data/testimony.csv",
    }
    shown = []
    for surface, path in pages.items():
        response = anonymous.get(path)
        texts[surface] = response.content.decode()
        if response.status_code == 200:
            shown.append(path)
    if not world["earlier"]:
        # Cached now (a 404 is never stored): the next visits, after the change, are served from the page cache
        # unless the change invalidated it. A Redis call that times out on a loaded machine is a miss (the page is
        # rendered and stored again), never a stale page: a few tries prove the pages are cached.
        for _attempt in range(3):
            with CaptureQueriesContext(connection) as queries:
                again = [anonymous.get(path).content.decode() for path in shown]
            if not queries:
                break
        assert (len(queries), again) == (0, [texts[s] for s, path in pages.items() if path in shown])
    export = world["organizer"].get(reverse("testimony:export", args=[city.slug]))
    texts["organizers' csv"] = export.content.decode()
    texts["scorecard csv"] = anonymous.get(reverse("tracking:scorecard_csv", args=[city.slug])).content.decode()
    copies = {
        "scorecard search": "/search/?q=Shelters",
        "api scorecard": "/api/v1/scorecard/",
        "scorecard feed": "/feeds/scorecard.atom",
        "open-data scorecard csv": "/open-data/scorecard.csv",
    }
    for surface, path in copies.items():
        texts[surface] = anonymous.get(path).content.decode("utf-8-sig")
        assert "Shelters closed" in texts[surface] or "/scorecard/#item-" in texts[surface], surface  # it is there
    texts["local report page"] = anonymous.get(reverse("reports:public", args=[city.slug])).content.decode()
    report = world["national"]
    with world["capture"](execute=True):
        local_pdf = rendering.request_render(world["version"], "public", "pdf")
        national_pdf = rendering.request_render(report, "report", "pdf")
        national_docx = rendering.request_render(report, "report", "docx")
    texts["local report fresh pdf"] = _file_text(local_pdf)
    texts["national fresh pdf"] = _file_text(national_pdf)
    texts["national fresh docx"] = _file_text(national_docx)
    world["earlier"] = world["earlier"] or {"local": local_pdf, "pdf": national_pdf, "docx": national_docx}
    earlier = world["earlier"]

    old_local = _download(world["organizer"], reverse("reports:download", args=[city.slug, earlier["local"].pk]))
    texts["local report earlier pdf"] = "" if old_local is None else _pdf_text(old_local) + SERVED
    admin_url = reverse("admin:national_nationalreport_change", args=[report.pk])
    admin_page = world["staff"].get(admin_url)
    assert admin_page.status_code == 200
    texts["national admin page"] = admin_page.content.decode()
    files_url = reverse("admin:national_nationalreport_render", args=[report.pk])
    old_pdf = _download(world["staff"], f"{files_url}?render={earlier['pdf'].pk}")
    old_docx = _download(world["staff"], f"{files_url}?render={earlier['docx'].pk}")
    offered = [f"?render={earlier[key].pk}" in texts["national admin page"] for key in ("pdf", "docx")]
    assert old_pdf is None or old_docx is not None, "the earlier PDF and Word file go together"
    if old_pdf is None:
        texts["national earlier files"] = ""
    else:
        texts["national earlier files"] = _pdf_text(old_pdf) + _docx_text(old_docx) + SERVED
        texts["national earlier files"] += OFFERED if all(offered) else ""
    sign_off = anonymous.get(reverse("national:sign_off", args=[world["submitter"].token]))
    texts["sign-off page"] = sign_off.content.decode()

    consent = {str(c.name): c for c in ohchr_checks(report)}[CONSENT_CHECK]
    texts["ohchr consent check"] = {
        (True, "1 of 1 quotes"): WORDS,
        (False, "0 of 1 quotes"): "",
    }.get((consent.passed, consent.figure), f"unexpected figure {consent.figure!r}")

    return {surface: _markers(text) | {m for m in (SERVED, OFFERED) if m in text} for surface, text in texts.items()}


def emails_after(world, change) -> tuple[object, list[list[str]], frozenset[str]]:
    """Make `change` (committed), then ask the joint submitters to sign off: what `change` returned, the
    recipients of every email sent meanwhile, and the markers found in their subjects and bodies (text and HTML)."""
    mail.outbox.clear()
    with world["capture"](execute=True):
        result = change(world)
    with world["capture"](execute=True):
        request_sign_off(world["national"])
    return result, [message.to for message in mail.outbox], _outbox_markers()


def _outbox_markers() -> frozenset[str]:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    return _markers(" ".join(parts))


# --- the changes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    change: object  # world -> the ConsentChange, or None for changes that are not consent
    fields: list[str] | None  # the consent fields the change applies (or, when it waits, asks for)
    after: dict  # the Consent fields in force once the change (and, when it waits, the organizers' yes) applies
    start: dict | None = None  # testimony fields that differ from the common start (named in full, every use)
    waits: bool = False  # a widening: nothing changes until organizers accept it


def _consent(world, **changes):
    return services.change_consent(world["quoted"], **changes)


CASES = {
    "anonymous": Case(
        lambda w: _consent(w, identification=Identification.ANONYMOUS, display_name=""),
        ["display_name", "identification"],
        after={"name": None},
    ),
    "pseudonym": Case(
        lambda w: _consent(w, identification=Identification.PSEUDONYM, display_name=PSEUDONYM),
        ["display_name", "identification"],
        after={"name": PSEUDONYM},
        start={"identification": Identification.ANONYMOUS},
        waits=True,
    ),
    "portal consent taken back": Case(
        lambda w: _consent(w, allows_portal=False), ["allows_portal"], after={"portal": False}
    ),
    "national consent taken back": Case(
        lambda w: _consent(w, allows_national_report=False), ["allows_national_report"], after={"national": False}
    ),
    "local consent taken back": Case(
        lambda w: _consent(w, allows_local_report=False), ["allows_local_report"], after={"local": False}
    ),
    "advocacy consent taken back": Case(
        lambda w: _consent(w, allows_advocacy=False), ["allows_advocacy"], after={"advocacy": False}
    ),
    "withdrawn": Case(lambda w: services.withdraw_testimony(w["quoted"]) and None, None, after={"withdrawn": True}),
    "redacted": Case(
        lambda w: (
            moderation.save_public_version(w["quoted"], by=w["organizer_user"], public_body=REDACTED_BODY) and None
        ),
        None,
        after={"public": frozenset({REDACTED})},
    ),
    "portal consent widened": Case(
        lambda w: _consent(w, allows_portal=True),
        ["allows_portal"],
        after={"portal": True},
        start={"allows_portal": False},
        waits=True,
    ),
}
assert len(CASES) * len(SURFACES) == 216  # the module docstring's matrix


def _start_consent(start: dict) -> Consent:
    named = start.get("identification", Identification.FULL_NAME) != Identification.ANONYMOUS
    return Consent(
        name=NAME if named else None,
        public=frozenset({WORDS}),
        portal=start.get("allows_portal", True),
        local=True,
        national=True,
    )


@pytest.mark.parametrize("case", CASES)
def test_every_copy_follows_the_change(build_world, case):
    spec = CASES[case]
    world = build_world(**(spec.start or {}))
    before = _start_consent(spec.start or {})
    after = replace(before, **spec.after)
    # Before: every place consent allows shows the words (and the name); the emails so far (the local report
    # submitted and accepted) hold neither.
    assert surfaces(world) | {"emails after the change": _outbox_markers()} == expected(before, before)

    change, recipients, in_emails = emails_after(world, spec.change)
    in_force = before if spec.waits else after
    assert surfaces(world) | {"emails after the change": in_emails} == expected(in_force, before)
    if spec.fields is not None:
        assert (change.applied, change.pending) == (([], spec.fields) if spec.waits else (spec.fields, []))
    # Organizers are told of a wider consent (never the name or the words: see in_emails); the joint submitter is
    # asked to sign off.
    widening = [["organizer-a@example.org"]] if spec.waits else []
    assert recipients == [*widening, ["phrc@example.org"]]

    if spec.waits:
        _fields, recipients, in_emails = emails_after(
            world, lambda w: moderation.accept_widening(w["quoted"], by=w["organizer_user"])
        )
        assert surfaces(world) | {"emails after the change": in_emails} == expected(after, before)
        assert recipients == [["phrc@example.org"]]
