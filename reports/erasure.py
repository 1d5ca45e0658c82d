"""When a person withdraws their testimony, reports erase their own copies of its words (DESIGN.md section 5).

Local reports keep words of a testimony in two places: a quote (its excerpt) and the frozen content of every
submitted version. Each is erased in the withdrawal's own transaction, and every rendered file of a document that
quoted it is deleted (its row too, so a fresh file is made on the next request), because a file cannot be edited
and must not be handed out. (The national report erases its own copies: national.erasure.)
"""

from __future__ import annotations

from reports.models import LocalReport, Quote, ReportVersion
from reports.rendering import delete_renders
from testimony.models import Testimony


def erase_withdrawn_words(testimony: Testimony) -> None:
    """Erase every copy reports hold of `testimony`'s words and delete the files that may print them."""
    quotes = Quote.objects.filter(testimony=testimony)
    local_ids = set(quotes.values_list("report_id", flat=True))
    quotes.update(excerpt="")
    for version in ReportVersion.objects.filter(report__city_id=testimony.city_id).only("pk", "report_id", "content"):
        content = version.content or {}
        changed = False
        for quote in content.get("quotes", []):
            if quote.get("testimony") == testimony.pk and quote.get("excerpt"):
                quote["excerpt"] = ""
                changed = True
        if any(q.get("testimony") == testimony.pk for q in content.get("quotes", [])):
            local_ids.add(version.report_id)
        if changed:
            ReportVersion.objects.filter(pk=version.pk).update(content=content)
    delete_renders(LocalReport, local_ids)


def on_testimony_withdrawn(sender, testimony: Testimony, **kwargs) -> None:
    erase_withdrawn_words(testimony)
