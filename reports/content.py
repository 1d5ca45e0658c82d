"""What a local report says, as plain JSON: `snapshot(report)` freezes what the organizers wrote (and the figures
computed from the portal's data); a submitted version stores it (ReportVersion.content), the admin compares two of
them, and `reports.document` prints one. Also the counts of what was typed against the cycle's limits."""

from __future__ import annotations

from django.utils.translation import gettext as _

from events.selectors import held_counts
from reports.document import WORDS_PER_LINE, Document, count_words, paragraphs_of
from resources.selectors import public_resources
from testimony.selectors import collected_breakdown


def figures(city, cycle) -> dict:
    """Methodology figures, computed from the portal's data, never typed."""
    breakdown = collected_breakdown(city)
    return {"events_held": held_counts([city]).get(city.pk, 0), **breakdown}


def snapshot(report) -> dict:
    """The report as written, as JSON (stored in ReportVersion.content). One query per related list."""
    sections = list(report.sections.select_related("theme"))
    quotes = list(report.quotes.select_related("theme"))
    recommendations = list(report.recommendations.select_related("theme").prefetch_related("official__cycle"))
    citations = cited(report)
    city, cycle = report.city, report.cycle
    return {
        "city": {"id": city.pk, "name": city.name, "state": city.state, "coalition": city.coalition_name},
        "cycle": {
            "id": cycle.pk,
            "number": cycle.number,
            "country": cycle.country,
            "review_date": cycle.review_date.isoformat() if cycle.review_date else None,
        },
        "language": report.language,
        "executive_summary": report.executive_summary,
        "methodology": report.methodology,
        "short_summary": report.short_summary,
        "figures": figures(city, cycle),
        "sections": [
            {
                "theme": section.theme.slug,
                "theme_name": section.theme.name,
                "theme_name_es": section.theme.name_es,
                "challenges": section.challenges,
                "advances": section.advances,
            }
            for section in sections
        ],
        "quotes": [
            {
                "testimony": quote.testimony_id,
                "theme": quote.theme.slug if quote.theme else None,
                "excerpt": quote.excerpt,
            }
            for quote in quotes
        ],
        "recommendations": [
            {
                "text": rec.text,
                "level": rec.level,
                "theme": rec.theme.slug if rec.theme else None,
                "reinforces_unfulfilled": rec.reinforces_unfulfilled,
                "official": [
                    {
                        "id": official.pk,
                        "paragraph": official.paragraph,
                        "year": official.cycle.review_date.year if official.cycle.review_date else None,
                        "response": official.response,
                        "states": official.recommending_states,
                        "text": official.text,
                    }
                    for official in rec.official.all()
                ],
            }
            for rec in recommendations
        ],
        "citations": [
            {
                "resource": citation.resource_id,
                "slug": citation.resource.slug,
                "title": citation.resource.title,
                "title_es": citation.resource.title_es,
                "un_symbol": citation.resource.un_symbol,
                "kind": citation.resource.kind,
                "date": citation.resource.date.isoformat() if citation.resource.date else None,
                "link": citation.resource.link,
                "note": citation.note,
            }
            for citation in citations
        ],
    }


def cited(report) -> list:
    """The report's citations that are printed and frozen: those of resources still in the public library (one
    query). A citation of a resource unpublished since it was chosen stays stored, not printed (Citation)."""
    return list(report.citations.filter(resource__in=public_resources().values("pk")).select_related("resource"))


def typed_words(content: dict) -> int:
    """The words of a snapshot that the organizers type in the editor's counted fields (the rest of the printed
    count is quotes' words, notes, headings and figures): what static/js/report-editor.js counts live."""
    texts = [content["executive_summary"], content["methodology"]]
    texts += [text for section in content["sections"] for text in (section["challenges"], section["advances"])]
    texts += [rec["text"] for rec in content["recommendations"]]
    texts += [quote["excerpt"] or "" for quote in content["quotes"]]
    texts += [citation["note"] for citation in content.get("citations", [])]
    return count_words(*texts)


def as_text(content: dict) -> str:
    """A plain-text form of a snapshot, for comparing two versions line by line."""
    lines = [f"# {_('Executive summary')}", *paragraphs_of(content["executive_summary"])]
    lines += [f"# {_('How the testimony was gathered')}", *paragraphs_of(content["methodology"])]
    for section in content["sections"]:
        lines.append(f"# {section['theme_name']}")
        lines += [f"{_('Challenges')}: {p}" for p in paragraphs_of(section["challenges"])]
        lines += [f"{_('Positive advances')}: {p}" for p in paragraphs_of(section["advances"])]
        for quote in content["quotes"]:
            if quote["theme"] == section["theme"]:
                lines.append(f"{_('Quote')} (#{quote['testimony']}): {quote['excerpt'] or _('(whole public version)')}")
    lines.append(f"# {_('Recommendations')}")
    for rec in content["recommendations"]:
        refs = ", ".join(o["paragraph"] for o in rec["official"])
        flag = f" [{_('reinforces an unfulfilled recommendation')}]" if rec["reinforces_unfulfilled"] else ""
        lines.append(f"[{rec['level']}] {rec['text']}" + (f" ({refs})" if refs else "") + flag)
    if content.get("citations"):
        lines.append(f"# {_('Resources cited')}")
        for citation in content["citations"]:
            symbol = f"{citation['un_symbol']} " if citation["un_symbol"] else ""
            note = f" ({citation['note']})" if citation["note"] else ""
            lines.append(f"{symbol}{citation['title']}{note}")
    lines += [f"# {_('Short summary')}", *paragraphs_of(content["short_summary"])]
    return "\n".join(lines)


def limits(report, document: Document, content: dict | None = None) -> dict:
    """The printed words and pages of `document` against the cycle's limits; with `content` (the snapshot it was
    built from), what the editor's script adds the words being typed to."""
    words = document.word_count()
    summary_words = count_words(report.short_summary)
    low, high = document.page_estimate()
    typed = typed_words(content) if content is not None else 0
    return {
        # What the page's script adds the words being typed to, so the count and the pages move as they type.
        "fixed_words": words - typed,
        "fixed_lines": round(document.body_lines() - typed / WORDS_PER_LINE, 2),
        "front_pages": document.front_pages(),
        "words": words,
        "word_limit": report.cycle.local_report_word_limit,
        "over": max(0, words - report.cycle.local_report_word_limit),
        "summary_words": summary_words,
        "summary_limit": report.cycle.local_summary_word_limit,
        "summary_over": max(0, summary_words - report.cycle.local_summary_word_limit),
        "pages_low": low,
        "pages_high": high,
    }
