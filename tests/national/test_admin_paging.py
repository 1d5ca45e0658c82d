"""The paragraphs of a report's admin page, one page at a time (national/admin_paging.py): what is shown, what is
saved (exactly the paragraphs posted, whatever moved in between), "save and continue" back to the same page, and a
page that costs the same number of queries for 60 paragraphs as for 600."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from national.admin_paging import PAGE_PARAM, PARAGRAPHS_PER_PAGE
from national.enums import ParagraphKind
from national.models import NationalParagraph, NationalReport
from tests.national.test_national_report import admin_post_data
from tests.reports.factories import current_cycle

pytestmark = pytest.mark.django_db


def _report(paragraphs: int) -> NationalReport:
    report = NationalReport.objects.create(
        cycle=current_cycle(),
        title="Stakeholder report",
        submitter="US Human Rights Cities Alliance",
        acronym="USHRCA",
        description="A national network of human rights cities.",
    )
    NationalParagraph.objects.bulk_create(
        NationalParagraph(report=report, position=n, kind=ParagraphKind.CHALLENGE, text=f"Paragraph number {n}.")
        for n in range(1, paragraphs + 1)
    )
    return report


def _url(report, page=None) -> str:
    url = reverse("admin:national_nationalreport_change", args=[report.pk])
    return f"{url}?{PAGE_PARAM}={page}" if page is not None else url


def _paragraph_formset(response):
    return next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is NationalParagraph)


def test_the_page_shows_one_page_of_paragraphs_in_report_order_with_a_pager(superuser_client):
    report = _report(PARAGRAPHS_PER_PAGE * 2 + 7)
    first = superuser_client.get(_url(report))
    assert [f.instance.position for f in _paragraph_formset(first).forms] == list(range(1, PARAGRAPHS_PER_PAGE + 1))
    text = first.content.decode()
    assert f"Paragraphs 1 to {PARAGRAPHS_PER_PAGE} of {PARAGRAPHS_PER_PAGE * 2 + 7}, in report order." in text
    assert f'<a href="?{PAGE_PARAM}=2">Next</a>' in text
    assert text.count('aria-label="Pages of paragraphs') == 2

    last = superuser_client.get(_url(report, 3))
    assert [f.instance.position for f in _paragraph_formset(last).forms] == list(
        range(PARAGRAPHS_PER_PAGE * 2 + 1, PARAGRAPHS_PER_PAGE * 2 + 8)
    )
    # Past the end or not a number: the nearest page that exists, never an error.
    assert superuser_client.get(_url(report, 99)).context["paragraph_page"].number == 3
    assert superuser_client.get(_url(report, "x")).context["paragraph_page"].number == 1


def test_a_short_report_has_no_pager(superuser_client):
    report = _report(3)
    response = superuser_client.get(_url(report))
    assert len(_paragraph_formset(response).forms) == 3
    assert "Pages of paragraphs" not in response.content.decode()


def test_saving_a_page_saves_its_paragraphs_and_leaves_the_others_alone(superuser_client):
    report = _report(PARAGRAPHS_PER_PAGE + 10)
    page = superuser_client.get(_url(report, 2))
    formset = _paragraph_formset(page)
    data = admin_post_data(page)
    data[f"{formset.prefix}-0-text"] = "Edited on page two."
    data["_continue"] = "1"

    response = superuser_client.post(_url(report, 2), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert response["Location"].endswith(f"?{PAGE_PARAM}=2")
    texts = dict(report.paragraphs.values_list("position", "text"))
    assert texts[PARAGRAPHS_PER_PAGE + 1] == "Edited on page two."
    assert texts[1] == "Paragraph number 1." and len(texts) == PARAGRAPHS_PER_PAGE + 10


def test_what_is_saved_is_what_was_shown_even_if_the_pages_moved_in_between(superuser_client):
    """A colleague adds paragraphs at the top between the GET and the POST: page 2 now starts elsewhere, but the
    edits posted go to the paragraphs they were made on."""
    report = _report(PARAGRAPHS_PER_PAGE + 5)
    page = superuser_client.get(_url(report, 2))
    formset = _paragraph_formset(page)
    edited_pk = formset.forms[0].instance.pk
    data = admin_post_data(page)
    data[f"{formset.prefix}-0-text"] = "Still the right paragraph."
    NationalParagraph.objects.filter(report=report).update(position=models_F_plus(10))
    NationalParagraph.objects.bulk_create(
        NationalParagraph(report=report, position=n, kind=ParagraphKind.CHALLENGE, text=f"New {n}.")
        for n in range(1, 11)
    )

    response = superuser_client.post(_url(report, 2), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert NationalParagraph.objects.get(pk=edited_pk).text == "Still the right paragraph."
    assert NationalParagraph.objects.filter(text="Still the right paragraph.").count() == 1


def models_F_plus(n: int):
    from django.db.models import F

    return F("position") + n


@pytest.mark.parametrize("size", [60, 600])
def test_a_page_costs_the_same_queries_whatever_the_report_size(superuser_client, size):
    counts = {}
    for paragraphs in (60, size):
        report = _report(paragraphs)
        superuser_client.get(_url(report, 2))  # warm-up (sessions, content types)
        with CaptureQueriesContext(connection) as queries:
            response = superuser_client.get(_url(report, 2))
        assert response.status_code == 200
        counts[paragraphs] = len(queries)
    assert counts[60] == counts[size]


def test_the_mid_term_report_is_paged_too(superuser_client):
    from national.models import MidtermParagraph, MidtermReport
    from upr.models import Recommendation

    cycle = current_cycle()
    report = MidtermReport.objects.create(cycle=cycle, title="Mid-term report")
    MidtermParagraph.objects.bulk_create(
        MidtermParagraph(
            report=report,
            position=n,
            text=f"Mid-term paragraph {n}.",
            recommendation=Recommendation.objects.create(cycle=cycle, paragraph=f"26.{n}", text=f"Ask {n}."),
        )
        for n in range(1, PARAGRAPHS_PER_PAGE + 3)
    )
    response = superuser_client.get(
        reverse("admin:national_midtermreport_change", args=[report.pk]) + f"?{PAGE_PARAM}=2"
    )
    formset = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is MidtermParagraph)
    assert [f.instance.position for f in formset.forms] == [PARAGRAPHS_PER_PAGE + 1, PARAGRAPHS_PER_PAGE + 2]
    assert f"Paragraphs {PARAGRAPHS_PER_PAGE + 1} to {PARAGRAPHS_PER_PAGE + 2} of {PARAGRAPHS_PER_PAGE + 2}" in (
        response.content.decode()
    )
