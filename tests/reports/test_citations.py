"""Local reports cite resources of the public library: the editor (add, reorder, remove, bad input, resources that
are not public), the frozen snapshot, the "Resources cited" list on the public page, in the PDF and in the Word
file, and the resource page's "Cited by local reports" (published reports only, in a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from pypdf import PdfReader

from reports import rendering
from reports import services as report_services
from reports.content import snapshot
from reports.docx import render_docx
from reports.enums import Decision, RenderStatus, ReportStatus
from reports.models import Citation, LocalReport, ReportVersion
from reports.printing import draft_document
from resources.enums import ResourceKind, ResourceStatus
from tests.reports.factories import complete, current_cycle, make_report, themes
from tests.reports.test_local_reports import editor_post, management, official  # noqa: F401 (a fixture)
from tests.resources import make_resource

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def library():
    """Two published resources (a UN document with its symbol, a guide) and an organizer's suggestion waiting (and
    the current review cycle, which the editor needs)."""
    current_cycle()
    baseline = make_resource(
        title="Report of the Working Group on the Universal Periodic Review: United States of America",
        title_es="Informe del Grupo de Trabajo sobre el Examen Periódico Universal: Estados Unidos de América",
        slug="a-hrc-30-12",
        kind=ResourceKind.UN_DOCUMENT,
        un_symbol="A/HRC/30/12",
        date=dt.date(2015, 7, 20),
        link="https://undocs.org/A/HRC/30/12",
    )
    guide = make_resource(title="Writing a local report", slug="writing-a-local-report", kind=ResourceKind.GUIDE)
    waiting = make_resource(title="Unchecked pamphlet", slug="unchecked", status=ResourceStatus.SUGGESTED)
    return {"baseline": baseline, "guide": guide, "waiting": waiting}


def edit_url(city) -> str:
    return reverse("reports:edit", args=[city.slug])


def cite(data: dict, rows: list[dict], initial: int = 0) -> dict:
    """`data` with the citations formset's rows: each {"id", "resource", "note", "order", "delete"} (all optional)."""
    data = {**data, **management("citations", len(rows), initial)}
    for index, row in enumerate(rows):
        prefix = f"citations-{index}-"
        if "id" in row:
            data[prefix + "id"] = str(row["id"])
        data[prefix + "resource"] = str(row.get("resource", ""))
        data[prefix + "note"] = row.get("note", "")
        data[prefix + "ORDER"] = str(row.get("order", ""))
        if row.get("delete"):
            data[prefix + "DELETE"] = "on"
    return data


def open_editor(client, personas):
    city = personas["city_a"]
    client.force_login(personas["organizer_a"])
    assert client.get(edit_url(city)).status_code == 200
    return city, LocalReport.objects.get(city=city), themes(1)[0]


def stored(report) -> list[tuple[str, str]]:
    return [(c.resource.slug, c.note) for c in report.citations.select_related("resource").order_by("position")]


# --- the editor -----------------------------------------------------------------------------------------------


def test_the_editor_offers_public_resources_only(client, personas, library):
    client.force_login(personas["organizer_a"])
    page = client.get(edit_url(personas["city_a"])).content.decode()
    assert "A/HRC/30/12 · Report of the Working Group" in page and "Writing a local report" in page
    assert "Unchecked pamphlet" not in page
    assert 'name="citations-TOTAL_FORMS"' in page and 'name="citations-0-ORDER"' in page


@pytest.mark.usefixtures("official")
def test_organizers_add_reorder_and_remove_citations(client, personas, library):
    city, report, theme = open_editor(client, personas)
    baseline, guide = library["baseline"], library["guide"]

    rows = [{"resource": baseline.pk, "note": "paragraphs 176.1 to 176.12"}, {"resource": guide.pk}]
    response = client.post(edit_url(city), cite(editor_post(report, theme), rows))
    assert response.status_code == 302
    assert stored(report) == [("a-hrc-30-12", "paragraphs 176.1 to 176.12"), ("writing-a-local-report", "")]

    # The stored ones come back numbered 1, 2; giving the guide 1 and the baseline 2 swaps them.
    page = client.get(edit_url(city)).content.decode()
    assert 'name="citations-0-ORDER" value="1"' in page and 'name="citations-1-ORDER" value="2"' in page
    first, second = report.citations.order_by("position")
    report.refresh_from_db()
    rows = [
        {"id": first.pk, "resource": baseline.pk, "note": "paragraphs 176.1 to 176.12", "order": 2},
        {"id": second.pk, "resource": guide.pk, "note": "chapter 2", "order": 1},
    ]
    data = cite(editor_post(report, theme), rows, initial=2)
    data.update({**management("sections", 1, 1), "sections-0-id": str(report.sections.get().pk)})
    data.update({**management("recs", 1, 1), "recs-0-id": str(report.recommendations.get().pk)})
    assert client.post(edit_url(city), data).status_code == 302
    assert stored(report) == [("writing-a-local-report", "chapter 2"), ("a-hrc-30-12", "paragraphs 176.1 to 176.12")]
    citation_blocks = [b for b in draft_document(report).blocks if b.kind == "citation"]
    assert [b.attribution for b in citation_blocks] == ["", "A/HRC/30/12"]

    # Removing one keeps the other.
    report.refresh_from_db()
    rows[0]["delete"] = True
    data = cite({**data, "revision": str(report.revision)}, rows, initial=2)
    assert client.post(edit_url(city), data).status_code == 302
    assert stored(report) == [("writing-a-local-report", "chapter 2")]


@pytest.mark.usefixtures("official")
def test_swapping_two_resources_or_citing_a_removed_one_again_is_allowed(client, personas, library):
    city, report, theme = open_editor(client, personas)
    baseline, guide = library["baseline"], library["guide"]
    rows = [{"resource": baseline.pk, "note": "first"}, {"resource": guide.pk, "note": "second"}]
    assert client.post(edit_url(city), cite(editor_post(report, theme), rows)).status_code == 302
    first, second = report.citations.order_by("position")

    def again(rows: list[dict]) -> dict:
        report.refresh_from_db()
        data = cite(editor_post(report, theme), rows, initial=2)
        data.update({**management("sections", 1, 1), "sections-0-id": str(report.sections.get().pk)})
        data.update({**management("recs", 1, 1), "recs-0-id": str(report.recommendations.get().pk)})
        return data

    swapped = [{"id": first.pk, "resource": guide.pk, "note": "first"}, {"id": second.pk, "resource": baseline.pk}]
    assert client.post(edit_url(city), again(swapped)).status_code == 302
    assert stored(report) == [("writing-a-local-report", "first"), ("a-hrc-30-12", "")]

    first, second = report.citations.order_by("position")
    re_added = [
        {"id": first.pk, "resource": guide.pk, "delete": True},
        {"id": second.pk, "resource": baseline.pk},
        {"resource": guide.pk, "note": "cited again"},
    ]
    data = again(re_added)
    data.update(management("citations", 3, 2))
    assert client.post(edit_url(city), data).status_code == 302
    assert stored(report) == [("a-hrc-30-12", ""), ("writing-a-local-report", "cited again")]


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("waiting", "This resource is not in the portal&#x27;s public library"),
        ("duplicate", "This resource is already cited above"),
        ("unknown", "This resource is not in the portal&#x27;s public library"),
    ],
)
@pytest.mark.usefixtures("official")
def test_bad_citations_save_nothing_and_keep_what_was_typed(client, personas, library, which, message):
    city, report, theme = open_editor(client, personas)
    rows = [{"resource": library["baseline"].pk, "note": "paragraph 12"}]
    if which == "waiting":
        rows.append({"resource": library["waiting"].pk, "note": "my pamphlet"})
    elif which == "duplicate":
        rows.append({"resource": library["baseline"].pk, "note": "again"})
    else:
        rows.append({"resource": 999_999, "note": "gone"})

    response = client.post(edit_url(city), cite(editor_post(report, theme), rows))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # Everything typed is on the page again: the report's text and the valid citation with its note.
    assert "Rents rose faster than wages." in page and 'value="paragraph 12"' in page
    assert f'<option value="{library["baseline"].pk}" selected>' in page
    report.refresh_from_db()
    assert report.revision == 0 and not Citation.objects.exists() and not report.sections.exists()


@pytest.mark.usefixtures("official")
def test_a_citation_saved_from_an_older_revision_is_kept_on_the_page_not_stored(client, personas, library):
    city, report, theme = open_editor(client, personas)
    assert client.post(edit_url(city), editor_post(report, theme)).status_code == 302
    stale = cite(editor_post(report, theme), [{"resource": library["guide"].pk, "note": "from my other tab"}])
    stale.update({"revision": "0", **management("sections", 1), **management("recs", 1)})

    response = client.post(edit_url(city), stale)

    assert response.status_code == 409
    assert 'value="from my other tab"' in response.content.decode()
    assert not Citation.objects.exists()


def test_a_citation_of_a_resource_unpublished_since_is_kept_but_neither_offered_nor_printed(client, personas, library):
    city = personas["city_a"]
    report = make_report(city, sections=1)
    Citation.objects.create(report=report, resource=library["baseline"], position=0)
    Citation.objects.create(report=report, resource=library["guide"], position=1)
    library["baseline"].status = ResourceStatus.SUGGESTED
    library["baseline"].save()

    client.force_login(personas["organizer_a"])
    page = client.get(edit_url(city)).content.decode()
    assert "1 cited resource is no longer printed" in page
    assert [c["slug"] for c in snapshot(report)["citations"]] == ["writing-a-local-report"]
    assert [b.text for b in draft_document(report).blocks if b.kind == "citation"] == ["Writing a local report"]
    assert report.citations.count() == 2


def test_citation_notes_count_as_typed_words(personas, library):
    report = make_report(personas["city_a"], sections=1)
    Citation.objects.create(report=report, resource=library["guide"], note="pages four to nine")
    from reports.content import typed_words

    without = typed_words({**snapshot(report), "citations": []})
    assert typed_words(snapshot(report)) == without + 4


def test_editor_queries_do_not_grow_with_the_citations(client, personas):
    client.force_login(personas["organizer_a"])
    counts = []
    for city, size in ((personas["city_a"], 3), (personas["city_b"], 30)):
        from cities.enums import Role
        from cities.models import Membership

        Membership.objects.get_or_create(user=personas["organizer_a"], city=city, defaults={"role": Role.ORGANIZER})
        report = make_report(city, sections=1, words_per_paragraph=8)
        for index in range(size):
            resource = make_resource(title=f"Cited {city.pk}-{index}", un_symbol=f"A/HRC/{city.pk}/{index + 1}")
            Citation.objects.create(report=report, resource=resource, position=index)
        client.get(edit_url(city))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(edit_url(city)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- frozen at submission, shown and printed --------------------------------------------------------------------


def published(personas, library, *, language: str = "en") -> ReportVersion:
    """Pittsburgh's report citing the baseline (with a note) then the guide, submitted and accepted."""
    report = complete(make_report(personas["city_a"], sections=1, language=language))
    Citation.objects.create(report=report, resource=library["baseline"], note="paragraphs 176.1 to 176.12")
    Citation.objects.create(report=report, resource=library["guide"], position=1)
    report_services.submit(report, by=personas["organizer_a"])
    report_services.accept(report, by=None)
    return report.versions.get()


def test_submitting_freezes_what_is_cited(personas, library):
    version = published(personas, library)
    assert version.content["citations"] == [
        {
            "resource": library["baseline"].pk,
            "slug": "a-hrc-30-12",
            "title": "Report of the Working Group on the Universal Periodic Review: United States of America",
            "title_es": "Informe del Grupo de Trabajo sobre el Examen Periódico Universal: Estados Unidos de América",
            "un_symbol": "A/HRC/30/12",
            "kind": "un_document",
            "date": "2015-07-20",
            "link": "https://undocs.org/A/HRC/30/12",
            "note": "paragraphs 176.1 to 176.12",
        },
        {
            "resource": library["guide"].pk,
            "slug": "writing-a-local-report",
            "title": "Writing a local report",
            "title_es": "",
            "un_symbol": "",
            "kind": "guide",
            "date": None,
            "link": library["guide"].link,
            "note": "",
        },
    ]
    assert set(version.cited_resources.all()) == {library["baseline"], library["guide"]}
    # Later edits of the library do not change what the published report says it cited.
    library["guide"].title = "A renamed guide"
    library["guide"].save()
    blocks = [b for b in rendering.build_document(version, "public").blocks if b.kind == "citation"]
    assert [b.text for b in blocks] == [version.content["citations"][0]["title"], "Writing a local report"]


def test_the_public_page_lists_the_resources_cited(client, personas, library):
    published(personas, library)
    page = client.get(reverse("reports:public", args=["pittsburgh-pa"])).content.decode()
    assert '<h2 class="h3 mt-4 border-bottom pb-1" id="resources">Resources cited</h2>' in page
    assert (
        '<span class="font-monospace">A/HRC/30/12</span> · <a href="http://127.0.0.1:8000/resources/a-hrc-30-12/">'
        "Report of the Working Group on the Universal Periodic Review: United States of America</a>"
    ) in page
    assert "UN document, 20 July 2015" in page and "Cited for: paragraphs 176.1 to 176.12" in page
    assert '<a href="#resources">Resources cited</a>' in page  # in the contents


def test_a_resource_unpublished_after_publication_is_shown_from_the_snapshot_without_a_link(client, personas, library):
    published(personas, library)
    library["baseline"].status = ResourceStatus.SUGGESTED
    library["baseline"].save()
    page = client.get(reverse("reports:public", args=["pittsburgh-pa"])).content.decode()
    assert "<cite>Report of the Working Group on the Universal Periodic Review: United States of America</cite>" in page
    assert "/resources/a-hrc-30-12/" not in page
    assert "No longer in the portal&#x27;s library." in page
    assert 'href="http://127.0.0.1:8000/resources/writing-a-local-report/"' in page


def test_a_spanish_report_prints_recursos_citados_with_spanish_titles(client, personas, library):
    version = published(personas, library, language="es")
    blocks = rendering.build_document(version, "public").blocks
    assert [b.text for b in blocks if b.kind == "heading"][-1] == "Recursos citados"
    cited = [b for b in blocks if b.kind == "citation"]
    assert cited[0].text.startswith("Informe del Grupo de Trabajo")
    assert cited[0].meta == ["Documento de la ONU, 20 de julio de 2015", "Se cita: paragraphs 176.1 to 176.12"]


def _pdf_text(render) -> str:
    with render.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_prints_the_resources_cited(personas, library, django_capture_on_commit_callbacks):
    version = published(personas, library)
    with django_capture_on_commit_callbacks(execute=True):
        render = rendering.request_render(version, "public", "pdf")
    render.refresh_from_db()
    assert render.status == RenderStatus.DONE, render.error
    text = _pdf_text(render)
    start = text.index("Resources cited", text.index("Recommendations"))
    listed = text[start:]
    assert "A/HRC/30/12 Report of the Working Group on the Universal Periodic Review: United States of" in listed
    assert "UN document, 20 July 2015" in listed and "Cited for: paragraphs 176.1 to 176.12" in listed
    assert "/resources/a-hrc-30-12/" in listed.replace(" ", "")
    assert "Writing a local report" in listed

    # Unpublished since: the file made before is superseded, the new one keeps the entry without its link.
    library["baseline"].status = ResourceStatus.SUGGESTED
    library["baseline"].save()
    render = rendering.check_current([render])[0]
    assert render.status == RenderStatus.SUPERSEDED
    with django_capture_on_commit_callbacks(execute=True):
        again = rendering.request_render(version, "public", "pdf")
    again.refresh_from_db()
    text = _pdf_text(again)
    listed = text[text.index("Resources cited", text.index("Recommendations")) :]
    assert "A/HRC/30/12 Report of the Working Group" in listed and "No longer in the portal's library." in listed
    assert "/resources/a-hrc-30-12/" not in listed.replace(" ", "")


def test_the_word_file_lists_the_resources_cited_with_real_links(personas, library):
    version = published(personas, library)
    word = docx.Document(io.BytesIO(render_docx(rendering.build_document(version, "public"))))
    texts = [p.text for p in word.paragraphs]
    start = len(texts) - 1 - texts[::-1].index("Resources cited")  # the heading, after the contents' entry
    assert word.paragraphs[start].style.name == "Heading 1"
    assert texts[start + 1 : start + 5] == [
        "A/HRC/30/12 Report of the Working Group on the Universal Periodic Review: United States of America",
        "UN document, 20 July 2015",
        "Cited for: paragraphs 176.1 to 176.12",
        f"{SITE}/resources/a-hrc-30-12/",
    ]
    assert word.paragraphs[start + 1].style.name == "Citation"
    links = {rel.target_ref for rel in word.part.rels.values() if rel.reltype == RT.HYPERLINK}
    assert links == {f"{SITE}/resources/a-hrc-30-12/", f"{SITE}/resources/writing-a-local-report/"}


def test_a_report_citing_nothing_has_no_list(personas):
    report = make_report(personas["city_a"], sections=1)
    assert not any(b.text == "Resources cited" for b in draft_document(report).blocks)
    # Versions submitted before citations existed have no "citations" key: they print as before.
    content = snapshot(report)
    del content["citations"]
    version = ReportVersion.objects.create(report=report, number=1, content=content, decision=Decision.ACCEPTED)
    assert not any(b.kind == "citation" for b in rendering.build_document(version, "public").blocks)


# --- the resource's page: "Cited by local reports" ------------------------------------------------------------


def accepted_citing(city, resource, *, number: int = 1, cycle=None, cites: bool = True) -> ReportVersion:
    report, _created = LocalReport.objects.get_or_create(
        city=city, cycle=cycle or current_cycle(), defaults={"status": ReportStatus.ACCEPTED}
    )
    version = ReportVersion.objects.create(report=report, number=number, content={}, decision=Decision.ACCEPTED)
    if cites:
        version.cited_resources.add(resource)
    return version


def test_the_resource_page_lists_the_published_reports_citing_it(client, personas, library, city_factory):
    resource = library["baseline"]
    accepted_citing(personas["city_a"], resource)
    # Boston cited it in version 1, but its published version 2 no longer does.
    accepted_citing(personas["city_b"], resource)
    accepted_citing(personas["city_b"], resource, number=2, cites=False)
    # Submitted, not accepted: not published.
    waiting = LocalReport.objects.create(city=city_factory("Seattle", "WA"), cycle=current_cycle())
    ReportVersion.objects.create(report=waiting, content={}, number=1).cited_resources.add(resource)
    # An accepted version of an earlier cycle, where the city has a newer published report: not listed either.
    eugene = city_factory("Eugene", "OR")
    from upr.models import ReviewCycle

    accepted_citing(eugene, resource, cycle=ReviewCycle.objects.create(number=3))
    accepted_citing(eugene, resource, cites=False)
    # A city outside the public directory (still exploring): not listed.
    from cities.enums import CityStatus

    accepted_citing(city_factory("Newark", "NJ", status=CityStatus.EXPLORING), resource)

    page = client.get(reverse("resources:detail", args=[resource.slug])).content.decode()

    assert '<h2 class="h4" id="cited-by-heading">Cited by local reports</h2>' in page
    assert '<a href="/cities/pittsburgh-pa/report/">Local report of Pittsburgh, PA</a>' in page
    for absent in ("boston-ma", "seattle-wa", "eugene-or", "newark-nj"):
        assert f"/cities/{absent}/report/" not in page
    guide = client.get(reverse("resources:detail", args=[library["guide"].slug])).content.decode()
    assert "Cited by local reports" not in guide


def test_the_resource_page_runs_the_same_queries_for_3_and_60_citing_reports(client, library, city_factory):
    resource = library["baseline"]
    url = reverse("resources:detail", args=[resource.slug])
    counts = []
    made = 0
    for total in (3, 60):
        while made < total:
            accepted_citing(city_factory(f"Town {made}", "OH"), resource)
            made += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count("Local report of Town") == total
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_spanish_pages_say_recursos_citados_and_citado_por(client, personas, library):
    published(personas, library)
    spanish = {"accept-language": "es"}
    page = client.get(reverse("resources:detail", args=["a-hrc-30-12"]), headers=spanish).content.decode()
    assert "Citado en informes locales" in page and "Informe local de Pittsburgh, PA" in page
    client.force_login(personas["organizer_a"])
    editor = client.get(edit_url(personas["city_b"]), headers=spanish)
    assert editor.status_code == 404  # not her city
    LocalReport.objects.filter(city=personas["city_a"]).update(status=ReportStatus.RETURNED)
    editor = client.get(edit_url(personas["city_a"]), headers=spanish).content.decode()
    assert "Recursos citados" in editor and "Lugar en la lista" in editor


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_searching_a_cited_symbol_finds_the_report_citing_it(personas, library):
    """The UN symbol, the title and the note of what a published report cites are in its search document."""
    from search.enums import DocumentKind
    from search.selectors import Filters, search

    published(personas, library)
    hits = search("A/HRC/30/12", Filters(kind=DocumentKind.REPORT)).page.object_list
    assert [hit.url for hit in hits] == ["/cities/pittsburgh-pa/report/"]
    assert search("176.12", Filters(kind=DocumentKind.REPORT)).total == 1
