from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.cache import public_page
from search.forms import SearchForm
from search.selectors import full_text_available, search

FACET_PARAMETERS = ("kind", "theme", "cycle", "city", "language")


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 10_000))
    except ValueError:
        return 1


@public_page(form=SearchForm, query=("page",))
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """/search/?q=...: results with snippets, facets with counts, pages. A filter that is not valid (a theme that
    does not exist, a query too long) is said on the page with a 400, never an error."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        results = search(form.cleaned_data["q"], form.filters(), _page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    facet_links = {}
    for name in FACET_PARAMETERS:
        others = query.copy()
        others.pop(name, None)
        facet_links[name] = others.urlencode()
    context = {
        "form": form,
        "results": results,
        "page": results.page if results else None,
        "querystring": query.urlencode(),
        "facet_links": facet_links,
        "full_text": full_text_available(),
    }
    return render(request, "search/results.html", context, status=400 if form.errors else 200)
