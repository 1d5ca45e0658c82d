"""Keeping the index current: reindex one object when it changes (search.signals), rebuild all of it
(`manage.py rebuild_search_index`, run by load_demo)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model

from search.highlight import clean
from search.models import SearchDocument
from search.sources import SOURCES, Document, object_id

# Upper bounds of what one row keeps (an event's transcript can be long; the body is for matching and snippets).
MAX_BODY = 200_000


def _keywords(document: Document) -> str:
    return " · ".join(word for word in document.keywords if word)


def store(kind: str, pk: int, document: Document) -> SearchDocument:
    """Write one object's row (the database computes its vector) and its theme facets."""
    fresh = _row(kind, pk, document)
    fields = ["url", "title", "body", "keywords", "language", "date", "cycle", "city"]
    row, _created = SearchDocument.objects.update_or_create(
        kind=kind, object_id=pk, defaults={name: getattr(fresh, name) for name in fields}
    )
    row.themes.set(document.themes)
    return row


def remove(kind: str, pk: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=pk).delete()


def reindex(kind: str, pk: int) -> bool:
    """Bring one object's row in step with its owner's public selector, in the caller's transaction: stored if the
    selector returns it today, deleted otherwise (a testimony whose consent was narrowed or withdrawn leaves the
    index in the same transaction as the change). True if the object is indexed now."""
    source = SOURCES[kind]
    obj = source.get(pk)
    if obj is None:
        remove(kind, pk)
        return False
    store(kind, pk, source.document(obj))
    return True


def reindex_object(kind: str, obj: Model) -> bool:
    return reindex(kind, object_id(kind, obj))


def _row(kind: str, pk: int, document: Document) -> SearchDocument:
    return SearchDocument(
        kind=kind,
        object_id=pk,
        url=document.url,
        title=clean(document.title[:1000]),
        body=clean(document.body[:MAX_BODY]),
        keywords=_keywords(document),
        language=document.language,
        date=document.date,
        cycle=document.cycle,
        city=document.city,
    )


def _bulk_store(kind: str, built: list[tuple[int, Document]]) -> int:
    links = SearchDocument.themes.through
    rows = SearchDocument.objects.bulk_create([_row(kind, pk, document) for pk, document in built], batch_size=500)
    links.objects.bulk_create(
        [
            links(searchdocument_id=row.pk, theme_id=theme.pk)
            for row, (_pk, document) in zip(rows, built, strict=True)
            for theme in document.themes
        ],
        batch_size=1000,
    )
    return len(rows)


@transaction.atomic
def rebuild(kinds: list[str] | None = None) -> dict[str, int]:
    """Rebuild the rows of `kinds` (all by default) from the public selectors, in one transaction and in bulk;
    rows of objects no longer public go. Returns how many documents each kind holds."""
    counts = {}
    for kind in kinds or list(SOURCES):
        source = SOURCES[kind]
        built = [(object_id(kind, obj), source.document(obj)) for obj in source.objects()]
        SearchDocument.objects.filter(kind=kind).delete()
        counts[kind] = _bulk_store(kind, built)
    return counts


def reindex_many(kind: str, *, pks: list[int] | None = None, city_id: int | None = None) -> int:
    """Bring the rows of many objects in step at once, in the caller's transaction (a source with `some`): those
    among `pks`, or every one of a city (`city_id`: a city that left the directory loses all its rows, one that
    changed its name has them rewritten). Returns how many are indexed now."""
    source = SOURCES[kind]
    assert source.some is not None, kind
    selection: dict[str, object]
    if pks is not None:
        stale, selection = SearchDocument.objects.filter(object_id__in=pks), {"pks": pks}
    else:
        assert city_id is not None, "reindex_many needs pks or city_id"
        stale, selection = SearchDocument.objects.filter(city_id=city_id), {"city_id": city_id}
    built = [(object_id(kind, obj), source.document(obj)) for obj in source.some(**selection)]
    stale.filter(kind=kind).delete()
    return _bulk_store(kind, built)


def refresh_reports() -> dict[str, int]:
    """The periodic job: the reports app accepts a report with QuerySet.update(), which sends no signal, so the
    published reports are brought in step on every tick (one row per city)."""
    return rebuild(["report"])
