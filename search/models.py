"""The search index: one row per public object, copied from the owning app's public selector (search.sources).

On PostgreSQL a trigger (migration 0002) keeps `search_vector` in step with the row: the title weighted A, the
keywords (states, paragraph numbers, theme names in both languages, the city) B and the body C, parsed with the
text search configuration of the row's language (English or Spanish stemming, accents removed by `unaccent`, a few
irregular plurals folded by `upr_normalise`). A GIN index serves `websearch_to_tsquery` matches.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cities.models import City
from search.enums import DocumentKind, IndexLanguage
from upr.models import ReviewCycle, Theme


class VectorField(models.Field):
    """A `tsvector` column on PostgreSQL (written by the trigger, never by Django), a text column elsewhere.

    Not django.contrib.postgres's SearchVectorField: that needs the postgres app installed, and the embedded
    default runs on SQLite."""

    def __init__(self, *args, **kwargs):
        kwargs.update(null=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("null", None)
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def db_type(self, connection) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind)
    object_id = models.PositiveIntegerField()
    url = models.CharField(max_length=500)
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    # Words that find the object without being its text: recommending states, paragraph numbers, theme names in
    # English and Spanish, the city and state, speakers.
    keywords = models.TextField(blank=True)
    language = models.CharField(_("language"), max_length=2, choices=IndexLanguage, default=IndexLanguage.ENGLISH)
    date = models.DateField(null=True, blank=True)
    # Facets.
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # Written by the database (trigger on PostgreSQL); empty on SQLite, whose simpler search reads the text.
    search_vector = VectorField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_document"
        verbose_name = _("search document")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_kind_object_unique"),
        ]
        # The GIN index on search_vector is made by migration 0002, on PostgreSQL only.

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title[:60]}"
