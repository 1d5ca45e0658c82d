"""Searching the index. PostgreSQL: `websearch_to_tsquery` in the configuration of each document's language,
ranked with the weights the trigger set (title over keywords over body), snippets by `ts_headline`, facet counts in
one query. SQLite (the embedded default): a simpler search over the same rows (every word must appear, in any
form of the text; no stemming, no ranking), which the page says it is.

Testimony is re-checked at display time against testimony's public scoping query, and its snippet is made from
today's public version, not from the index: a consent narrowed a second ago shows nowhere, whatever the index holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cities.models import City
from search.enums import DocumentKind, IndexLanguage
from search.highlight import PLURALS, START, STOP, excerpt, marked_html, positive_terms
from search.models import SearchDocument
from search.normalise import normalise
from testimony.selectors import public_testimony
from upr.models import ReviewCycle, Theme, in_page_language

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
HEADLINE_OPTIONS = (
    f'StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
)


def full_text_available() -> bool:
    """PostgreSQL's full-text search; False on the embedded SQLite default, which searches more simply."""
    return connection.vendor == "postgresql"


@dataclass
class Hit:
    kind: str
    object_id: int
    url: str
    title: str
    snippet: SafeString
    language: str
    date: dt.date | None
    cycle_label: str = ""
    city_label: str = ""

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)


@dataclass
class Filters:
    kind: str = ""
    theme: Theme | None = None
    cycle: ReviewCycle | None = None
    city: City | None = None
    language: str = ""

    def selected(self, name: str) -> str:
        value = getattr(self, name)
        if isinstance(value, Theme):
            return value.slug
        if isinstance(value, City):
            return value.slug
        if isinstance(value, ReviewCycle):
            return str(value.pk)
        return value or ""


@dataclass
class Results:
    query: str
    page: Page
    facets: list[Facet]
    full_text: bool

    @property
    def total(self) -> int:
        return self.page.paginator.count


class _Counted(Sequence):
    """One page of hits standing for all of them, so Paginator can number pages without a second count query."""

    def __init__(self, total: int, hits: list[Hit]) -> None:
        self.total, self.hits = total, hits

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        return self.hits


def _cycle_label(number, review_date) -> str:
    if number is None:
        return ""
    return str(ReviewCycle(number=number, review_date=review_date))


def search(query: str, filters: Filters | None = None, page_number: int = 1) -> Results:
    """The public search: a query (websearch syntax: "quoted phrase", or, -excluded) and facet filters."""
    filters = filters or Filters()
    query = query.strip()[:MAX_QUERY_LENGTH]
    page_number = max(1, page_number)
    if full_text_available():
        total, hits, facets = _postgres(query, filters, page_number)
        if total and not hits:  # past the last page: show the last one
            page_number = (total - 1) // PAGE_SIZE + 1
            total, hits, facets = _postgres(query, filters, page_number)
    else:
        total, hits, facets = _simple(query, filters, page_number)
    hits = _recheck_testimony(hits, query)
    paginator = Paginator(_Counted(total, hits), PAGE_SIZE)
    page = paginator.page(min(page_number, paginator.num_pages))
    return Results(query=query, page=page, facets=_facets(facets, filters), full_text=full_text_available())


def _recheck_testimony(hits: list[Hit], query: str) -> list[Hit]:
    """Testimony hits that testimony's public scoping query still returns, each with a title and snippet made from
    today's public version (one query, whatever the number of hits)."""
    ids = [hit.object_id for hit in hits if hit.kind == DocumentKind.TESTIMONY]
    if not ids:
        return hits
    public = {t.pk: t for t in public_testimony().prefetch_related(None).select_related(None).filter(pk__in=ids)}
    kept = []
    for hit in hits:
        if hit.kind != DocumentKind.TESTIMONY:
            kept.append(hit)
            continue
        testimony = public.get(hit.object_id)
        if testimony is None:
            continue
        text = "\n\n".join(
            part
            for part in (testimony.public_text, testimony.public_transcript, testimony.public_media_caption)
            if part
        )
        hit.title = testimony.public_title or " ".join(testimony.public_text.split()[:8])
        hit.snippet = excerpt(text, query, hit.language)
        kept.append(hit)
    return kept


# --- PostgreSQL ---------------------------------------------------------------------------------------------------

_CONFIG = "CASE WHEN d.language = 'es' THEN 'upr_es'::regconfig ELSE 'upr_en'::regconfig END"


def _match_sql(filters: Filters) -> tuple[str, dict]:
    """The WHERE clause of a search: the query in the configuration of each document's language, then the facet
    filters."""
    sql = [
        # Both languages' queries at once: a superset of the matches that the GIN index answers in one scan (the
        # exact condition below alone, an OR over the language, makes the planner read the whole table).
        "d.search_vector @@ (websearch_to_tsquery('upr_es', %(q_es)s) || websearch_to_tsquery('upr_en', %(q_en)s))",
        "((d.language = 'es' AND d.search_vector @@ websearch_to_tsquery('upr_es', %(q_es)s))"
        " OR (d.language <> 'es' AND d.search_vector @@ websearch_to_tsquery('upr_en', %(q_en)s)))",
    ]
    params: dict = {}
    if filters.kind:
        sql.append("d.kind = %(kind)s")
        params["kind"] = filters.kind
    if filters.language:
        sql.append("d.language = %(language)s")
        params["language"] = filters.language
    if filters.cycle is not None:
        sql.append("d.cycle_id = %(cycle)s")
        params["cycle"] = filters.cycle.pk
    if filters.city is not None:
        sql.append("d.city_id = %(city)s")
        params["city"] = filters.city.pk
    if filters.theme is not None:
        links = SearchDocument.themes.through._meta.db_table
        sql.append(
            f"EXISTS (SELECT 1 FROM {links} l WHERE l.searchdocument_id = d.id AND l.theme_id = %(theme)s)"  # noqa: S608
        )
        params["theme"] = filters.theme.pk
    return " AND ".join(sql), params


def _query_params(query: str) -> dict:
    # What is marked in snippets: the query as typed and folded, and the plurals the folding joined (search.highlight).
    folded = {normalise("en", term).lower() for term in positive_terms(query)}
    plurals = " or ".join(PLURALS[word] for word in sorted(folded) if word in PLURALS)
    extra = f" or {plurals}" if plurals else ""
    return {
        "q_en": normalise("en", query),
        "q_es": normalise("es", query),
        "h_en": f"{normalise('en', query)} or {query}{extra}",
        "h_es": f"{normalise('es', query)} or {query}",
    }


def _postgres(query: str, filters: Filters, page_number: int) -> tuple[int, list[Hit], list[tuple]]:
    if not query:
        return 0, [], []
    where, params = _match_sql(filters)
    params |= _query_params(query)
    params |= {"limit": PAGE_SIZE, "offset": (page_number - 1) * PAGE_SIZE, "options": HEADLINE_OPTIONS}
    doc = SearchDocument._meta.db_table
    cycle_table, city_table = ReviewCycle._meta.db_table, City._meta.db_table
    theme_table, links = Theme._meta.db_table, SearchDocument.themes.through._meta.db_table
    # One query, the match evaluated once (MATERIALIZED): the page of ranked hits with snippets and the facet
    # counts, as rows of one shape (kind of row, then text, numbers and dates). Table names come from the models;
    # every value is a query parameter.
    sql = f"""
        WITH m AS MATERIALIZED (
            SELECT d.id, d.kind, d.language, d.cycle_id, d.city_id, d.date,
                   ts_rank(d.search_vector, CASE WHEN d.language = 'es' THEN websearch_to_tsquery('upr_es', %(q_es)s)
                                                 ELSE websearch_to_tsquery('upr_en', %(q_en)s) END) AS rank
            FROM {doc} d
            WHERE {where}
        ),
        page AS (
            SELECT m.id, m.rank, row_number() OVER (ORDER BY m.rank DESC, m.date DESC NULLS LAST, m.id) AS position
            FROM m ORDER BY m.rank DESC, m.date DESC NULLS LAST, m.id
            LIMIT %(limit)s OFFSET %(offset)s
        )
        SELECT 'hit', d.kind, d.url, d.title, d.language,
               ts_headline(
                   CASE WHEN d.language = 'es' THEN 'upr_es'::regconfig ELSE 'upr_en'::regconfig END, d.body,
                   CASE WHEN d.language = 'es' THEN websearch_to_tsquery('upr_es', %(h_es)s)
                        ELSE websearch_to_tsquery('upr_en', %(h_en)s) END,
                   %(options)s),
               ci.name || ', ' || ci.state, d.object_id, c.number::bigint, page.position, d.date, c.review_date
        FROM page JOIN {doc} d ON d.id = page.id
        LEFT JOIN {cycle_table} c ON c.id = d.cycle_id
        LEFT JOIN {city_table} ci ON ci.id = d.city_id
        UNION ALL
        SELECT 'facet', 'kind', m.kind, NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL FROM m GROUP BY m.kind
        UNION ALL
        SELECT 'facet', 'language', m.language, NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL
            FROM m GROUP BY m.language
        UNION ALL
        SELECT 'facet', 'cycle', c.id::text, c.number::text, NULL, NULL, NULL, count(*), NULL, NULL, NULL,
               c.review_date
            FROM m JOIN {cycle_table} c ON c.id = m.cycle_id GROUP BY c.id, c.number, c.review_date
        UNION ALL
        SELECT 'facet', 'city', ci.slug, ci.name, ci.state, NULL, NULL, count(*), NULL, NULL, NULL, NULL
            FROM m JOIN {city_table} ci ON ci.id = m.city_id GROUP BY ci.slug, ci.name, ci.state
        UNION ALL
        SELECT 'facet', 'theme', t.slug, t.name, t.name_es, NULL, NULL, count(*), NULL, NULL, NULL, NULL
            FROM m JOIN {links} l ON l.searchdocument_id = m.id JOIN {theme_table} t ON t.id = l.theme_id
            GROUP BY t.slug, t.name, t.name_es
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hit_rows = sorted((row for row in rows if row[0] == "hit"), key=lambda row: row[9])
    facets = [
        (name, value, a, b.isoformat() if name == "cycle" and b else b, count)
        for _row, name, value, a, b_text, _s, _c, count, _n, _p, _d, b_date in rows
        if _row == "facet"
        for b in [b_date if name == "cycle" else b_text]
    ]
    hits = [
        Hit(
            kind=kind,
            object_id=object_id,
            url=url,
            title=title,
            snippet=marked_html(snippet or ""),
            language=language,
            date=date,
            cycle_label=_cycle_label(number, review),
            city_label=city or "",
        )
        for _row, kind, url, title, language, snippet, city, object_id, number, _position, date, review in hit_rows
    ]
    return _total(facets), hits, facets


def _total(facets: list[tuple]) -> int:
    """Every document has one kind: the kind counts add up to the number of matches."""
    return sum(row[4] for row in facets if row[0] == "kind")


# --- SQLite: the simpler search -----------------------------------------------------------------------------------


def _term_q(term: str) -> Q:
    return Q(title__icontains=term) | Q(body__icontains=term) | Q(keywords__icontains=term)


def simple_match(query: str) -> Q:
    """Every word (or "quoted phrase") must appear; -word must not; OR between alternatives."""
    alternatives: list[Q] = []
    current = Q()
    tokens = list(_tokens(query))
    for minus, term in tokens:
        if term.lower() == "or" and not minus:
            alternatives.append(current)
            current = Q()
        elif minus:
            current &= ~_term_q(term)
        else:
            current &= _term_q(term)
    alternatives.append(current)
    combined = Q()
    for alternative in alternatives:
        combined |= alternative
    return combined


def _tokens(query: str):
    from search.highlight import _TOKEN

    for minus_phrase, phrase, minus_word, word in _TOKEN.findall(query):
        if phrase:
            yield bool(minus_phrase), phrase
        elif word:
            yield bool(minus_word), word


def _filtered(filters: Filters) -> QuerySet[SearchDocument]:
    docs = SearchDocument.objects.all()
    if filters.kind:
        docs = docs.filter(kind=filters.kind)
    if filters.language:
        docs = docs.filter(language=filters.language)
    if filters.cycle is not None:
        docs = docs.filter(cycle=filters.cycle)
    if filters.city is not None:
        docs = docs.filter(city=filters.city)
    if filters.theme is not None:
        docs = docs.filter(themes=filters.theme)
    return docs


def _simple(query: str, filters: Filters, page_number: int) -> tuple[int, list[Hit], list[tuple]]:
    if not query:
        return 0, [], []
    docs = _filtered(filters).filter(simple_match(query))
    ids = docs.values("pk")
    matched = SearchDocument.objects.filter(pk__in=ids)
    count = Count("pk")
    facets: list[tuple] = [("kind", r["kind"], None, None, r["n"]) for r in matched.values("kind").annotate(n=count)]
    facets += [("language", r["language"], None, None, r["n"]) for r in matched.values("language").annotate(n=count)]
    facets += [
        ("cycle", str(r["cycle"]), str(r["cycle__number"]), str(r["cycle__review_date"] or ""), r["n"])
        for r in matched.exclude(cycle=None).values("cycle", "cycle__number", "cycle__review_date").annotate(n=count)
    ]
    facets += [
        ("city", r["city__slug"], r["city__name"], r["city__state"], r["n"])
        for r in matched.exclude(city=None).values("city__slug", "city__name", "city__state").annotate(n=Count("pk"))
    ]
    facets += [
        ("theme", r["themes__slug"], r["themes__name"], r["themes__name_es"], r["n"])
        for r in matched.exclude(themes=None)
        .values("themes__slug", "themes__name", "themes__name_es")
        .annotate(n=Count("pk"))
    ]
    total = _total(facets)
    offset = min((page_number - 1) * PAGE_SIZE, max(0, (total - 1) // PAGE_SIZE * PAGE_SIZE))
    rows = matched.select_related("cycle", "city").order_by("-date", "pk")[offset : offset + PAGE_SIZE]
    hits = [
        Hit(
            kind=row.kind,
            object_id=row.object_id,
            url=row.url,
            title=row.title,
            snippet=excerpt(row.body, query, row.language),
            language=row.language,
            date=row.date,
            cycle_label=str(row.cycle) if row.cycle else "",
            city_label=f"{row.city.name}, {row.city.state}" if row.city else "",
        )
        for row in rows
    ]
    return total, hits, facets


# --- facets -------------------------------------------------------------------------------------------------------

FACETS = [
    ("kind", _("Kind")),
    ("theme", _("Theme")),
    ("cycle", _("Review")),
    ("city", _("City")),
    ("language", _("Language")),
]


def _facets(rows: list[tuple], filters: Filters) -> list[Facet]:
    by_name: dict[str, Facet] = {name: Facet(name, label) for name, label in FACETS}
    kinds, languages = dict(DocumentKind.choices), dict(IndexLanguage.choices)
    for name, value, a, b, count in rows:
        if name == "kind":
            label = kinds.get(value, value)
        elif name == "language":
            label = languages.get(value, value)
        elif name == "cycle":
            label = _cycle_label(int(a), dt.date.fromisoformat(b) if b else None)
        elif name == "city":
            label = f"{a}, {b}"
        else:
            label = in_page_language(a, b)
        by_name[name].options.append(FacetOption(str(value), str(label), count, filters.selected(name) == str(value)))
    for facet in by_name.values():
        facet.options.sort(key=lambda option: (-option.count, option.label))
    return [facet for facet in by_name.values() if facet.options]
