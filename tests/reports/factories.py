"""LocalReport rows of a chosen size for tests: sections on real Theme rows, numbered paragraphs of generated text,
recommendations and quotes of real (quotable) testimony, in the current review cycle.

    report = make_report(city, sections=10, paragraphs_per_section=20, words_per_paragraph=350)  # ~150 pages

The text is deterministic (the same arguments give the same content, so the same document version); `seed`
changes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from cities.models import City
from reports import rendering
from reports.enums import Level, RenderStatus
from reports.models import LocalReport, Quote, Render, ReportRecommendation, Section
from reports.rendering import slug_filename
from testimony.models import Testimony
from tests.testimony.factories import make_testimony
from upr.models import ReviewCycle, Theme

_VOCABULARY = (
    "residents housing water rights council testimony eviction rent shelter access school health clinic transit "
    "police budget neighbourhood families workers wages language interpreters disability ramps elders youth "
    "community garden library safety report consultation public meeting survey city county state federal "
    "commitment promise review recommendation progress challenge advance dignity equality discrimination "
    "participation justice environment air pollution heat flooding repair inspection landlord tenant notice"
)
WORDS = _VOCABULARY.split()

DEFAULT_THEMES = [
    ("housing", "Housing", "Vivienda"),
    ("water", "Water and sanitation", "Agua y saneamiento"),
    ("health", "Health", "Salud"),
    ("education", "Education", "Educación"),
    ("policing", "Policing and justice", "Policía y justicia"),
    ("equality", "Equality and non-discrimination", "Igualdad y no discriminación"),
    ("environment", "Environment", "Medio ambiente"),
    ("work", "Work and wages", "Trabajo y salarios"),
]


def current_cycle() -> ReviewCycle:
    """The current review cycle, created (cycle 4, reviewed in November 2025) if there is none."""
    cycle = ReviewCycle.objects.current()
    if cycle is None:
        cycle = ReviewCycle.objects.create(number=4, review_date=dt.date(2025, 11, 7))
    return cycle


def themes(count: int) -> list[Theme]:
    """`count` Theme rows: the existing ones first (in their order), then new ones as needed."""
    found = list(Theme.objects.order_by("position", "pk")[:count])
    taken = set(Theme.objects.values_list("slug", flat=True))
    extra = (t for t in DEFAULT_THEMES if t[0] not in taken)
    n = 0
    while len(found) < count:
        slug, name, name_es = next(extra, (None, None, None))
        if slug is None:
            n += 1
            slug, name, name_es = f"theme-{n}", f"Theme {n}", f"Tema {n}"
            if slug in taken:
                continue
        found.append(Theme.objects.create(slug=slug, name=name, name_es=name_es, position=100 + len(found)))
        taken.add(slug)
    return found


def words(count: int, seed: int = 0) -> str:
    """`count` words of plain text, the same for the same seed; a sentence ends every 12 words."""
    out = []
    for i in range(count):
        word = WORDS[(seed * 7919 + i * 31 + (i // len(WORDS)) * 17) % len(WORDS)]
        if i % 12 == 0:
            word = word.capitalize()
        out.append(word + ("." if i % 12 == 11 or i == count - 1 else ""))
    return " ".join(out)


def paragraphs(count: int, words_each: int, seed: int = 0) -> str:
    """`count` paragraphs (separated by blank lines, as the report's text fields are)."""
    return "\n\n".join(words(words_each, seed * 1000 + p) for p in range(count))


def make_report(
    city: City,
    *,
    sections: int = 5,
    paragraphs_per_section: int = 3,
    words_per_paragraph: int = 60,
    quotes: Iterable[Testimony | str] = (),
    recommendations: int = 1,
    cycle: ReviewCycle | None = None,
    seed: int = 0,
    **fields,
) -> LocalReport:
    """A LocalReport of `city` in the current cycle with the given amount of text.

    Each section's paragraphs go to its challenges, the last one (when there are two or more) to its positive
    advances. `quotes`: testimony to quote (a Testimony, or a string: the body of a new approved testimony of the
    city that may be quoted in the local report), placed in the sections in turn. `fields` are LocalReport fields
    (status, language, executive_summary, ...); the executive summary, methodology and short summary default to
    a paragraph each.
    """
    cycle = cycle or current_cycle()
    fields.setdefault("executive_summary", paragraphs(1, words_per_paragraph, seed + 1))
    fields.setdefault("methodology", paragraphs(1, words_per_paragraph, seed + 2))
    fields.setdefault("short_summary", paragraphs(2, words_per_paragraph, seed + 3))
    report = LocalReport.objects.create(city=city, cycle=cycle, **fields)

    section_themes = themes(max(sections, 1))
    for index, theme in enumerate(section_themes[:sections]):
        text = [words(words_per_paragraph, seed * 100_000 + index * 1000 + p) for p in range(paragraphs_per_section)]
        advances = text.pop() if len(text) >= 2 else ""
        Section.objects.create(
            report=report, theme=theme, challenges="\n\n".join(text), advances=advances, position=index
        )

    for index, quoted in enumerate(quotes):
        theme = section_themes[index % sections] if sections else None
        if isinstance(quoted, str):
            quoted = make_testimony(city=city, body=quoted, allows_local_report=True, themes=[theme] if theme else [])
        Quote.objects.create(report=report, testimony=quoted, theme=theme, position=index)

    levels = list(Level)
    for index in range(recommendations):
        ReportRecommendation.objects.create(
            report=report,
            text=words(min(words_per_paragraph, 40), seed * 100_000 + 90_000 + index),
            level=levels[index % len(levels)],
            theme=section_themes[index % sections] if sections else None,
            position=index,
        )
    return report


def complete(report: LocalReport) -> LocalReport:
    """Give a bare report what submitting needs (a section with findings, a recommendation, a short summary), so a
    test about what happens after submitting can submit it."""
    theme = themes(1)[0]
    if not report.sections.exists():
        Section.objects.create(report=report, theme=theme, challenges=words(40, 1))
    if not report.recommendations.exists():
        ReportRecommendation.objects.create(report=report, text=words(20, 2), level=Level.LOCAL, theme=theme)
    if not report.short_summary.strip():
        report.short_summary = words(30, 3)
        report.save(update_fields=["short_summary"])
    return report


def made_render(obj, name: str = "report", fmt: str = "pdf") -> Render:
    """A finished render of `obj`'s document as it reads now, without running WeasyPrint: for tests about who may
    list or fetch a file, not about what it prints (tests/reports/test_render_pipeline.py renders for real)."""
    document = rendering.build_document(obj, name)
    render = Render(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        document=name,
        version=document.version(),
        format=fmt,
        status=RenderStatus.DONE,
        filename=f"{slug_filename(name, str(obj.pk))}.{fmt}",
        pages=1,
        finished_at=timezone.now(),
    )
    render.file.save(render.filename, ContentFile(b"%PDF-1.7\n% a stand-in file\n"), save=False)
    render.save()
    return render
