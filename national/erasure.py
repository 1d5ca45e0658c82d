"""When a person withdraws their testimony, the national report erases its copies of the words (DESIGN.md section
5): a quote paragraph's text, in the withdrawal's own transaction, and every rendered file of a report that quoted
it. What was already sent to the UN is kept only as the archived copy of what left (UNSubmission)."""

from __future__ import annotations

from national.models import NationalParagraph, NationalReport
from reports.rendering import delete_renders
from testimony.models import Testimony


def erase_withdrawn_words(testimony: Testimony) -> None:
    paragraphs = NationalParagraph.objects.filter(testimony=testimony)
    report_ids = set(paragraphs.values_list("report_id", flat=True))
    paragraphs.update(text="", generated_text="")
    delete_renders(NationalReport, report_ids)


def on_testimony_withdrawn(sender, testimony: Testimony, **kwargs) -> None:
    erase_withdrawn_words(testimony)
