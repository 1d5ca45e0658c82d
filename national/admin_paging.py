"""One page of paragraphs at a time on a report's admin page (the national report and the mid-term report).

A compiled national report has 600 paragraphs or more. Drawn as one inline formset, its admin page was 5 MB of
HTML and took seconds to build and to open (issue 19). The paragraph inline now shows PARAGRAPHS_PER_PAGE
paragraphs in report order, with a pager (`?paragraphs_page=N`) above and below them; the rest of the page (the
OHCHR checks, compiling, files, sign-off) is about the whole report as before.

What is saved is exactly what was shown: on POST the formset is built over the paragraphs whose forms came back
(their ids), not over "page N" read again, so a paragraph moved or added by a colleague in between cannot shift
another paragraph's edits onto the wrong row. "Save and continue editing" comes back to the same page (the admin
keeps the address's query).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, QueryDict

PARAGRAPHS_PER_PAGE = 50
PAGE_PARAM = "paragraphs_page"


def _posted_ids(data: QueryDict, prefix: str) -> list[int]:
    """The ids of the existing paragraphs whose forms were posted (bad or missing values are skipped: the formset
    then reports the form as invalid, as it would without paging)."""
    try:
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", "0"))
    except ValueError:
        return []
    ids = []
    for index in range(min(max(initial, 0), 10_000)):
        value = data.get(f"{prefix}-{index}-id", "")
        if value.isdigit():
            ids.append(int(value))
    return ids


class PagedParagraphsAdmin:
    """ModelAdmin mixin: the inline of `paged_inline` (whose rows belong to the report through a foreign key)
    shows one page of them. The change form template includes admin/national/_paragraph_pager.html around it."""

    paged_inline: type

    def paragraph_page(self, request: HttpRequest, report) -> Page:
        """The page asked for (the last one if past the end), over the report's paragraphs in report order:
        two queries (a count and the page's ids), made once per request."""
        cached = getattr(request, "_paragraph_page", None)
        if cached is not None:
            return cached
        model = self.paged_inline.model
        ordering = self.paged_inline.ordering or model._meta.ordering or ["pk"]
        ids = model.objects.filter(report=report).order_by(*ordering).values_list("pk", flat=True)
        page = Paginator(ids, PARAGRAPHS_PER_PAGE).get_page(request.GET.get(PAGE_PARAM))
        request._paragraph_page = page  # type: ignore[attr-defined]
        return page

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)  # type: ignore[misc]
        if isinstance(inline, self.paged_inline) and obj is not None and obj.pk is not None:
            if request.method == "POST":
                ids = _posted_ids(request.POST, prefix)
            else:
                ids = list(self.paragraph_page(request, obj).object_list)
            kwargs["queryset"] = kwargs["queryset"].filter(pk__in=ids)
        return kwargs

    def pager_context(self, request: HttpRequest, report) -> dict:
        page = self.paragraph_page(request, report)
        return {"paragraph_page": page, "paragraph_page_param": PAGE_PARAM}
