"""Receivers that keep the index in step with the apps' data, inside the transaction of each change: a testimony
whose consent is narrowed, rejected or withdrawn leaves the index with the change itself, never later."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from cities.models import City
from events.models import Event, EventSpeaker
from resources.models import Resource
from search.enums import DocumentKind
from search.services import reindex, remove
from testimony.models import Testimony
from testimony.signals import testimonies_changed, testimony_withdrawn
from upr.models import Recommendation

MODELS = {
    Recommendation: DocumentKind.RECOMMENDATION,
    City: DocumentKind.CITY,
    Testimony: DocumentKind.TESTIMONY,
    Event: DocumentKind.EVENT,
    Resource: DocumentKind.RESOURCE,
}
# Many-to-many relations a document shows (its themes): (model, field name).
RELATIONS = [
    (Recommendation, "themes"),
    (City, "priorities"),
    (Testimony, "themes"),
    (Event, "themes"),
    (Resource, "themes"),
]


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # fixtures load rows before their relations exist; rebuild_search_index follows them
        reindex(MODELS[sender], instance.pk)


def _deleted(sender, instance, **kwargs) -> None:
    remove(MODELS[sender], instance.pk)


def _relation_changed(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        reindex(MODELS[type(instance)], instance.pk)
    elif pk_set:
        # theme.recommendations.add(...): the other side's objects changed.
        for pk in pk_set:
            reindex(MODELS[model], pk)


def _speaker_changed(sender, instance, **kwargs) -> None:
    reindex(DocumentKind.EVENT, instance.event_id)


def _testimony_withdrawn(sender, testimony, **kwargs) -> None:
    remove(DocumentKind.TESTIMONY, testimony.pk)


def _testimonies_changed(sender, pks, **kwargs) -> None:
    for pk in pks:
        reindex(DocumentKind.TESTIMONY, pk)


def connect() -> None:
    for model, kind in MODELS.items():
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-save:{kind}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete:{kind}")
    for model, name in RELATIONS:
        through = getattr(model, name).through
        m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=f"search-m2m:{through._meta.label}")
    post_save.connect(_speaker_changed, sender=EventSpeaker, dispatch_uid="search-speaker-save")
    post_delete.connect(_speaker_changed, sender=EventSpeaker, dispatch_uid="search-speaker-delete")
    testimony_withdrawn.connect(_testimony_withdrawn, dispatch_uid="search-testimony-withdrawn")
    testimonies_changed.connect(_testimonies_changed, dispatch_uid="search-testimonies-changed")
