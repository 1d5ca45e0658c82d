"""The national stakeholder report: compiled from accepted local reports (grouped by theme, citing cities, shared
recommendations merged, earlier unfulfilled recommendations followed up), recompiled without losing the team's
edits, checked against OHCHR's rules with figures equal to what the rendered files hold, and signed off."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from national.admin import sign_off_label
from national.brief import build_brief
from national.checks import ohchr_checks
from national.compile import compile_report
from national.document import build_national_report
from national.enums import ParagraphKind, SubmissionType
from national.models import JointSubmitter, NationalParagraph, NationalReport
from national.quotes import quote_states
from national.services import merge_paragraphs, request_sign_off
from reports import rendering
from reports import services as report_services
from reports.document import count_words
from reports.enums import RenderStatus, ReportStatus
from reports.models import LocalReport, Render, ReportRecommendation
from testimony.enums import Identification, Status
from tests.reports.factories import current_cycle, make_report, themes
from tests.testimony.factories import make_testimony
from upr.models import Recommendation, ReviewCycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, city_factory):
    cycle = current_cycle()
    earlier = ReviewCycle.objects.create(
        number=3, review_date=dt.date(2020, 11, 9), outcome_adopted=dt.date(2021, 3, 18)
    )
    official = Recommendation.objects.create(
        cycle=earlier,
        document="A/HRC/46/15",
        paragraph="26.250",
        text="Ensure adequate housing for all.",
        recommending_states="Namibia",
        response="supported",
    )
    housing, water = themes(2)
    cities = [personas["city_a"], personas["city_b"], city_factory("Seattle", "WA")]
    quoted = make_testimony(
        city=cities[0],
        body="My children slept in their coats.",
        allows_local_report=True,
        allows_national_report=True,
        identification=Identification.FIRST_NAME,
        display_name="Rosa",
    )
    local_only = make_testimony(city=cities[0], body="Only for our city's report.", allows_local_report=True)
    reports = []
    for index, city in enumerate(cities):
        report = make_report(
            city, sections=2, recommendations=0, seed=index, quotes=[quoted, local_only] if index == 0 else ()
        )
        shared = ReportRecommendation.objects.create(
            report=report,
            text=f"Guarantee housing as a right ({city.name} wording).",
            level="local",
            theme=housing,
            reinforces_unfulfilled=index < 2,
        )
        if index < 2:
            shared.official.set([official])
        ReportRecommendation.objects.create(
            report=report, text=f"A recommendation only {city.name} makes.", level="state", theme=water
        )
        report_services.submit(report, by=None)
        report_services.accept(report, by=None)
        reports.append(report)
    national_report = NationalReport.objects.create(
        cycle=cycle,
        title="Human rights in US cities",
        submitter="US Human Rights Cities Alliance",
        acronym="USHRCA",
        description="A network of local coalitions working for human rights in US cities.",
        submission_type=SubmissionType.JOINT,
        period_start=dt.date(2020, 11, 9),
        period_end=dt.date(2025, 4, 1),
    )
    JointSubmitter.objects.create(
        report=national_report, name="Pittsburgh Coalition", acronym="PHRC", contact_email="phrc@example.org"
    )
    JointSubmitter.objects.create(report=national_report, name="Boston Alliance", acronym="BHRA", position=1)
    return {
        "report": national_report,
        "cities": cities,
        "official": official,
        "quoted": quoted,
        "local_only": local_only,
        "locals": reports,
        "housing": housing,
    }


def _paragraphs(report, **filters):
    return list(report.paragraphs.filter(**filters).prefetch_related("cities").order_by("position"))


def test_compile_groups_by_theme_cites_cities_and_merges_shared_recommendations(world):
    report = world["report"]
    counts = compile_report(report)
    assert counts["added"] > 0

    recs = _paragraphs(report, kind=ParagraphKind.RECOMMENDATION)
    shared = [p for p in recs if "wording" in p.text]
    # Pittsburgh and Boston link the same official recommendation: one paragraph, saying so; Seattle's own
    # wording (no link) stays separate.
    assert len(shared) == 2
    merged = next(p for p in shared if len(p.cities.all()) == 2)
    assert merged.note == "Shared by 2 cities."
    assert {c.name for c in merged.cities.all()} == {"Pittsburgh", "Boston"}
    assert len(merged.trail) == 2 and {t["city_name"] for t in merged.trail} == {"Pittsburgh, PA", "Boston, MA"}

    follow_up = _paragraphs(report, kind=ParagraphKind.FOLLOW_UP)
    assert len(follow_up) == 1 and "26.250" in follow_up[0].text and "remains unfulfilled" in follow_up[0].text

    quotes = _paragraphs(report, kind=ParagraphKind.QUOTE)
    assert [q.testimony_id for q in quotes] == [world["quoted"].pk]  # not the local-only one
    # The name is not stored: it is resolved as the person chooses it at each print.
    assert quote_states(quotes).resolved[quotes[0].pk].name == "Rosa"

    findings = _paragraphs(report, kind=ParagraphKind.CHALLENGE)
    assert all(len(p.cities.all()) == 1 and p.trail[0]["field"] == "challenges" for p in findings)
    positions = [p.position for p in report.paragraphs.order_by("position")]
    assert positions == sorted(set(positions))
    # Theme by theme: the paragraphs of one theme are together.
    theme_runs = [p.theme_id for p in report.paragraphs.exclude(kind=ParagraphKind.FOLLOW_UP).order_by("position")]
    assert len([t for i, t in enumerate(theme_runs) if i == 0 or t != theme_runs[i - 1]]) == len(set(theme_runs))


def test_recompiling_keeps_the_teams_edits(world, personas):
    report = world["report"]
    compile_report(report)
    first, second, third = _paragraphs(report, kind=ParagraphKind.CHALLENGE)[:3]
    first.text = "The national team's own wording."
    first.save()
    second.omitted = True
    second.save()
    third.position = 1
    third.save()
    before = report.paragraphs.count()

    counts = compile_report(report)

    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert first.text == "The national team's own wording." and not first.source_changed
    assert second.omitted and third.position == 1
    assert report.paragraphs.count() == before
    assert counts["added"] == 0 and counts["removed"] == 0

    # Pittsburgh's report is reopened, changed and accepted again: the edited paragraph is flagged, untouched
    # ones follow the new text.
    pittsburgh = world["locals"][0]
    LocalReport.objects.filter(pk=pittsburgh.pk).update(status=ReportStatus.RETURNED)
    pittsburgh.refresh_from_db()
    section = pittsburgh.sections.order_by("position").first()
    source_of_first = first.trail[0]
    untouched = next(
        p
        for p in _paragraphs(report, kind=ParagraphKind.CHALLENGE)
        if p.trail[0]["city"] == pittsburgh.city_id
        and p.pk != first.pk
        and not p.omitted
        and p.trail[0]["section"] == section.theme.slug
    )
    section.challenges = "\n\n".join(f"New finding {i}." for i in range(6))
    section.save()
    report_services.submit(pittsburgh, by=None)
    report_services.accept(pittsburgh, by=None)
    compile_report(report)
    first.refresh_from_db()
    assert first.text == "The national team's own wording."
    if source_of_first["city"] == pittsburgh.city_id and source_of_first["section"] == section.theme.slug:
        assert first.source_changed
    assert NationalParagraph.objects.get(pk=untouched.pk).text.startswith("New finding")


def _docx_body_and_notes(data: bytes) -> tuple[list[str], list[str]]:
    document = docx.Document(io.BytesIO(data))
    body, started = [], False
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            started = True
        if started and paragraph.text.strip():
            body.append(paragraph.text)
    notes = []
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            xml = rel.target_part.blob.decode()
            for note in re.findall(r'<w:footnote [^>]*w:id="(\d+)"[^>]*>(.*?)</w:footnote>', xml, re.S):
                if int(note[0]) > 0:
                    notes.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", note[1])))
    return body, notes


def test_rendered_files_carry_the_numbering_citations_and_the_counted_words(world, django_capture_on_commit_callbacks):
    report = world["report"]
    compile_report(report)
    document = build_national_report(report)
    checks = {str(c.name): c for c in ohchr_checks(report, document)}

    with django_capture_on_commit_callbacks(execute=True):
        pdf = rendering.request_render(report, "report", "pdf")
        word = rendering.request_render(report, "report", "docx")
    pdf.refresh_from_db()
    word.refresh_from_db()
    assert pdf.status == word.status == RenderStatus.DONE, (pdf.error, word.error)

    with word.file.open("rb") as handle:
        body, notes = _docx_body_and_notes(handle.read())
    # Paragraph numbers in order, the same in the Word file as in the document.
    numbers = [int(m.group(1)) for line in body if (m := re.match(r"^(\d+)\. ", line))]
    assert numbers == list(range(1, len(numbers) + 1)) == [b.number for b in document.blocks if b.number]
    # The word-count check's figure is what the Word file holds: its body after the contents, without the typed
    # paragraph numbers, plus its footnotes.
    counted = count_words(*(re.sub(r"^\d+\. ", "", line) for line in body), *notes)
    assert counted == document.word_count()
    assert f"{counted:,} of 5,630 words" in checks["Word count"].figure
    assert checks["Paragraphs numbered"].figure == f"{len(numbers)} numbered paragraphs"

    with pdf.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "USHRCA" in text and "Pittsburgh Coalition (PHRC)" in text and "Boston Alliance (BHRA)" in text
    assert "Shared by 2 cities." in text and "Source: local reports of Boston, MA; Pittsburgh, PA." in text
    assert "26.250" in text and "My children slept in their coats." in text
    assert "Only for our city's report." not in text
    assert "wording" in text
    # The trail is never printed.
    assert "challenges ¶" not in text and "version" not in text.lower().replace("universal", "")


def test_ohchr_checks_fail_with_their_figures(world):
    report = world["report"]
    compile_report(report)
    cycle = report.cycle
    cycle.word_limit_joint = 50
    cycle.save()
    report.refresh_from_db()
    report.description = ""
    report.period_start = dt.date(2015, 1, 1)
    report.save()
    JointSubmitter.objects.filter(acronym="BHRA").update(acronym="")
    world["quoted"].allows_national_report = False
    world["quoted"].save()

    checks = {str(c.name): c for c in ohchr_checks(report)}
    failed = {name for name, check in checks.items() if not check.passed}
    assert failed == {
        "Word count",
        "First page names the submitter, its acronym and a description",
        "Joint submission lists every organisation with its acronym",
        "Period covered",
        "Every quote's consent allows the report to the UN",
    }
    assert "of 50 words" in checks["Word count"].figure
    assert checks["Every quote's consent allows the report to the UN"].figure == "0 of 1 quotes"
    # A quote whose consent was withdrawn is never printed, whatever the check says.
    assert "My children slept" not in " ".join(b.text for b in build_national_report(report).blocks)


def test_rendering_a_failing_report_needs_render_anyway(world, superuser_client, django_capture_on_commit_callbacks):
    report = world["report"]
    compile_report(report)
    report.cycle.word_limit_joint = 10
    report.cycle.save()
    url = reverse("admin:national_nationalreport_render", args=[report.pk])
    response = superuser_client.post(url, {"format": "pdf"}, follow=True)
    assert "Not rendered: these checks fail: Word count" in response.content.decode()
    done = Render.objects.for_object(report, "report").filter(format="pdf", status=RenderStatus.DONE)
    assert not done.exists()
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(url, {"format": "pdf", "anyway": "1"})
    assert done.exists()


def test_the_admin_page_shows_checks_and_the_trail(world, superuser_client):
    report = world["report"]
    superuser_client.post(reverse("admin:national_nationalreport_compile", args=[report.pk]))
    page = superuser_client.get(reverse("admin:national_nationalreport_change", args=[report.pk])).content.decode()
    assert "OHCHR checks" in page and "Word count" in page and "numbered paragraphs" in page
    assert "Pittsburgh, PA, v1" in page  # the trail, in the admin only


def test_merging_paragraphs(world):
    report = world["report"]
    compile_report(report)
    a, b = _paragraphs(report, kind=ParagraphKind.CHALLENGE)[:2]
    kept = merge_paragraphs([b, a])
    b.refresh_from_db()
    assert kept.pk == a.pk and b.omitted and b.text.strip() in kept.text
    assert len(kept.trail) == 2


def test_joint_submitters_sign_off(world, client, mailoutbox, django_capture_on_commit_callbacks):
    report = world["report"]
    compile_report(report)
    with django_capture_on_commit_callbacks(execute=True):
        assert request_sign_off(report) == 1  # only the one with a contact email
    assert mailoutbox[0].to == ["phrc@example.org"]
    submitter = JointSubmitter.objects.get(acronym="PHRC")
    url = reverse("national:sign_off", args=[submitter.token])
    assert url in mailoutbox[0].body
    page = client.get(url)
    assert page.status_code == 200 and "Human rights in US cities" in page.content.decode()
    assert client.post(url, {"confirmed_name": "  "}).status_code == 400
    client.post(url, {"confirmed_name": "Pittsburgh Human Rights Coalition"})
    submitter.refresh_from_db()
    assert submitter.confirmed_at and submitter.confirmed_name == "Pittsburgh Human Rights Coalition"
    assert "confirmed as" in sign_off_label(submitter)
    assert client.get(reverse("national:sign_off", args=["not-a-token"])).status_code == 404


def test_the_brief_draws_on_the_city_summaries(world):
    report = world["report"]
    compile_report(report)
    brief = build_brief(report)
    texts = [b.text for b in brief.blocks]
    assert any(t.startswith("Pittsburgh, PA: ") for t in texts)
    assert any("wording" in t for t in texts)
    assert brief.word_count() < 900


def test_withdrawn_testimony_is_not_compiled(world):
    quoted = world["quoted"]
    quoted.status = Status.WITHDRAWN
    quoted.withdrawn_at = quoted.created_at
    quoted.save()
    compile_report(world["report"])
    assert not world["report"].paragraphs.filter(kind=ParagraphKind.QUOTE).exists()


def test_the_brief_stays_within_two_pages_with_many_cities(world, city_factory, django_capture_on_commit_callbacks):
    for index in range(30):
        report = make_report(
            city_factory(f"Town {index}", "OH"),
            sections=1,
            recommendations=1,
            seed=index,
            short_summary="Residents of this town spoke about housing, water and policing, " * 12,
        )
        report_services.submit(report, by=None)
        report_services.accept(report, by=None)
    report = world["report"]
    compile_report(report)
    brief = build_brief(report)
    assert brief.word_count() <= 900
    assert any(b.text.startswith("Also reporting: ") for b in brief.blocks)
    with django_capture_on_commit_callbacks(execute=True):
        render = rendering.request_render(report, "brief", "pdf")
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE and render.pages <= 2, (render.pages, render.error)


def _form_data(form) -> dict:
    """What the browser would post back for an unchanged admin form."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[key] = str(getattr(value, "pk", value))
    return data


def admin_post_data(page) -> dict:
    """What the browser would post back for an admin change page left as it is: the form and every inline."""
    data = _form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()})
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def test_deleting_a_compiled_paragraph_in_the_admin_keeps_it_left_out(world, superuser_client):
    report = world["report"]
    compile_report(report)
    url = reverse("admin:national_nationalreport_change", args=[report.pk])
    page = superuser_client.get(url)
    data = admin_post_data(page)
    target = report.paragraphs.order_by("position").first()
    paragraph_formset = next(
        i.formset for i in page.context["inline_admin_formsets"] if i.formset.model is NationalParagraph
    )
    index = next(n for n, f in enumerate(paragraph_formset.forms) if f.instance.pk == target.pk)
    data[f"{paragraph_formset.prefix}-{index}-DELETE"] = "on"

    response = superuser_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    target.refresh_from_db()
    assert target.omitted
    compile_report(report)
    target.refresh_from_db()
    assert target.omitted
    assert target.text not in " ".join(b.text for b in build_national_report(report).blocks)


FOLLOW_UP = "Follow-up of the previous review's recommendations"


def _check(report, name: str):
    return {str(c.name): c for c in ohchr_checks(report)}[name]


def test_follow_up_check_counts_official_recommendations_linked_without_the_unfulfilled_flag(world):
    report = world["report"]
    ReportRecommendation.objects.filter(reinforces_unfulfilled=True).update(reinforces_unfulfilled=False)
    for local_report in world["locals"]:
        version = local_report.versions.get()
        for rec in version.content["recommendations"]:
            rec["reinforces_unfulfilled"] = False
        version.save(update_fields=["content"])
    compile_report(report)

    assert _paragraphs(report, kind=ParagraphKind.FOLLOW_UP) == []
    merged = next(p for p in _paragraphs(report, kind=ParagraphKind.RECOMMENDATION) if len(p.cities.all()) == 2)
    assert merged.text == (
        "Guarantee housing as a right (Boston wording). This follows up UPR recommendation 26.250 of 2020."
    )
    checks = {str(c.name): c for c in ohchr_checks(report)}
    follow_up = checks["Follow-up of the previous review's recommendations"]
    assert (follow_up.passed, follow_up.figure, follow_up.detail) == (
        True,
        "1 earlier recommendation followed up (26.250)",
        "",
    )
    printed = " ".join(b.text for b in build_national_report(report).blocks)
    assert "This follows up UPR recommendation 26.250 of 2020. (Boston, MA; Pittsburgh, PA)" not in printed
    assert "This follows up UPR recommendation 26.250 of 2020." in printed


def test_follow_up_check_fails_with_guidance_when_the_linked_paragraphs_are_left_out(world):
    report = world["report"]
    compile_report(report)
    linked = [p for p in report.paragraphs.all() if any(t.get("official_ids") for t in p.trail)]
    NationalParagraph.objects.filter(pk__in=[p.pk for p in linked]).update(omitted=True)

    follow_up = _check(report, FOLLOW_UP)
    assert (follow_up.passed, follow_up.figure) == (False, "0 earlier recommendations followed up")
    assert follow_up.detail.startswith("No printed paragraph follows up a recommendation of an earlier review.")


def test_follow_up_check_ignores_recommendations_of_the_cycle_under_review(world):
    report = world["report"]
    world["official"].cycle = report.cycle
    world["official"].save()
    compile_report(report)

    follow_up = _check(report, FOLLOW_UP)
    assert follow_up.passed is False


def _failing_everything(world):
    """The world's report with every OHCHR check failing."""
    report = world["report"]
    compile_report(report)
    report.cycle.word_limit_joint = 50
    report.cycle.save()
    report.refresh_from_db()
    report.submitter, report.description = "", ""
    report.period_start = dt.date(2015, 1, 1)
    report.save()
    JointSubmitter.objects.filter(acronym="BHRA").update(acronym="")
    world["quoted"].allows_national_report = False
    world["quoted"].save()
    report.paragraphs.filter(kind__in=[ParagraphKind.FOLLOW_UP, ParagraphKind.RECOMMENDATION]).update(omitted=True)
    return report


def test_every_failing_ohchr_check_says_what_to_do(world):
    report = _failing_everything(world)

    checks = ohchr_checks(report)
    assert [str(c.name) for c in checks if c.passed] == ["Paragraphs numbered"]
    assert {str(c.name): c.detail for c in checks if not c.passed} == {
        "Word count": checks[0].detail,
        "First page names the submitter, its acronym and a description": (
            "Fill in the submitter's name, a short description on this page."
        ),
        "Joint submission lists every organisation with its acronym": (
            "Give every joint submitter its name and acronym (missing for: Boston Alliance)."
        ),
        "Period covered": (
            "Start the period at the previous review (9 November 2020) or later: OHCHR asks for the time since it."
        ),
        "Every quote's consent allows the report to the UN": checks[5].detail,
        "Follow-up of the previous review's recommendations": checks[6].detail,
    }
    assert all(c.detail.strip() for c in checks if not c.passed)


@pytest.mark.parametrize(
    "start, end, detail",
    [
        (None, None, "Fill in the period covered (from and to) on this page."),
        (
            dt.date(2025, 4, 1),
            dt.date(2021, 1, 1),
            "The period must end after it starts: correct the dates on this page.",
        ),
    ],
)
def test_period_check_failure_says_what_to_do(world, start, end, detail):
    report = world["report"]
    report.period_start, report.period_end = start, end
    report.save()

    period = {str(c.name): c for c in ohchr_checks(report)}["Period covered"]
    assert (period.passed, period.detail) == (False, detail)


def test_period_check_without_a_previous_review_says_how_long_it_may_be(world):
    report = world["report"]
    ReviewCycle.objects.filter(number=3).update(number=1)  # no known previous review
    report.period_start = dt.date(2015, 1, 1)
    report.save()

    period = {str(c.name): c for c in ohchr_checks(report)}["Period covered"]
    assert (period.passed, period.detail) == (
        False,
        "Shorten the period to the time since the last review, about four and a half years at most.",
    )


def test_no_paragraphs_check_says_to_compile(world):
    numbered = {str(c.name): c for c in ohchr_checks(world["report"])}["Paragraphs numbered"]
    assert (numbered.passed, numbered.detail) == (
        False,
        "The report has no paragraphs yet: compile it from the accepted local reports.",
    )


def test_old_admin_addresses_of_the_national_report_redirect_to_the_national_app(client):
    response = client.get("/admin/reports/nationalreport/4/change/?_changelist_filters=x")
    assert response.status_code == 301
    assert response["Location"] == "/admin/national/nationalreport/4/change/?_changelist_filters=x"
    assert client.get("/admin/reports/localreport/").status_code == 302  # still the reports app's (login first)
