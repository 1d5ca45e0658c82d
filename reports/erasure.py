"""When a person withdraws their testimony, reports erase their own copies of its words (DESIGN.md section 5).

Reports keep words of a testimony in three places: a local report's quote (its excerpt), the frozen content of
every submitted version, and a national report's quote paragraph. Each is erased in the withdrawal's own
transaction, and every rendered file of a document that quoted it is deleted (its row too, so a fresh file is made
on the next request), because a file cannot be edited and must not be handed out. A national report already sent
to the UN is kept only as the archived copy of what was sent, for the national team.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from reports.models import LocalReport, NationalParagraph, NationalReport, Quote, Render, ReportVersion
from testimony.models import Testimony


def _delete_renders(model: type, object_ids: set[int]) -> int:
    if not object_ids:
        return 0
    renders = Render.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=object_ids)
    names = list(renders.exclude(file="").values_list("file", flat=True))
    deleted, _per_model = renders.delete()
    storage = Render._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return deleted


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
    paragraphs = NationalParagraph.objects.filter(testimony=testimony)
    national_ids = set(paragraphs.values_list("report_id", flat=True))
    paragraphs.update(text="", generated_text="")
    _delete_renders(LocalReport, local_ids)
    _delete_renders(NationalReport, national_ids)


def on_testimony_withdrawn(sender, testimony: Testimony, **kwargs) -> None:
    erase_withdrawn_words(testimony)
