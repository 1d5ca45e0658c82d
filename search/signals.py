"""Receivers that keep the index in step with the apps' data, inside the transaction of each change: a testimony
whose consent is narrowed, rejected or withdrawn leaves the index with the change itself, never later."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from cities.models import City
from events.models import Event, EventSpeaker
from reports.models import LocalReport, ReportVersion
from reports.signals import report_published
from resources.models import Resource
from search.enums import DocumentKind
from search.services import reindex, reindex_many, remove
from testimony.models import Testimony
from testimony.signals import testimonies_changed, testimony_withdrawn
from tracking.models import Evidence, Office, Reply, StatusUpdate, TrackedItem
from tracking.selectors import public_scorecard_items
from tracking.signals import items_tracked
from upr.models import Recommendation

MODELS = {
    Recommendation: DocumentKind.RECOMMENDATION,
    City: DocumentKind.CITY,
    Testimony: DocumentKind.TESTIMONY,
    Event: DocumentKind.EVENT,
    Resource: DocumentKind.RESOURCE,
    TrackedItem: DocumentKind.SCORECARD,
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
    if raw:  # fixtures load rows before their relations exist; rebuild_search_index follows them
        return
    reindex(MODELS[sender], instance.pk)
    if sender is City:
        # Its scorecard items and its published report name it, and leave the index with it when it leaves the
        # directory.
        reindex_many(DocumentKind.SCORECARD, city_id=instance.pk)
        reindex(DocumentKind.REPORT, instance.pk)
    elif sender is Recommendation:
        # The scorecard items tracking it show its text.
        pks = list(public_scorecard_items().filter(recommendation=instance).values_list("pk", flat=True))
        if pks:
            reindex_many(DocumentKind.SCORECARD, pks=pks)


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


# --- published local reports: a city's document is its latest accepted version, keyed by the city -------------


def _report_published(sender, city_id: int, **kwargs) -> None:
    reindex(DocumentKind.REPORT, city_id)


def _report_version_changed(sender, instance, raw=False, **kwargs) -> None:
    """A version accepted (published), or one changed or removed: the city's published report is what
    `reports.selectors.published_version` says today, or nothing."""
    if not raw:
        city_id = LocalReport.objects.filter(pk=instance.report_id).values_list("city_id", flat=True).first()
        if city_id is not None:  # None: the report is being deleted with its city
            reindex(DocumentKind.REPORT, city_id)


# --- scorecard items: an item's document shows its history (updates, evidence titles, approved answers) and office


def _update_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        reindex(DocumentKind.SCORECARD, instance.item_id)


def _evidence_or_reply_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        item_id = StatusUpdate.objects.filter(pk=instance.update_id).values_list("item_id", flat=True).first()
        if item_id is not None:  # None: the update is being deleted with its item
            reindex(DocumentKind.SCORECARD, item_id)


def _office_changed(sender, instance, raw=False, **kwargs) -> None:
    # Its name and level on every item it is responsible for; once deleted, its items no longer name it (Django set
    # their office to NULL without a signal): the city's items are rewritten either way.
    if not raw:
        reindex_many(DocumentKind.SCORECARD, city_id=instance.city_id)


def _items_tracked(sender, pks, **kwargs) -> None:
    reindex_many(DocumentKind.SCORECARD, pks=list(pks))


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
    post_save.connect(_update_changed, sender=StatusUpdate, dispatch_uid="search-statusupdate-save")
    post_delete.connect(_update_changed, sender=StatusUpdate, dispatch_uid="search-statusupdate-delete")
    for model in (Evidence, Reply):
        post_save.connect(_evidence_or_reply_changed, sender=model, dispatch_uid=f"search-save:{model.__name__}")
        post_delete.connect(_evidence_or_reply_changed, sender=model, dispatch_uid=f"search-delete:{model.__name__}")
    post_save.connect(_office_changed, sender=Office, dispatch_uid="search-office-save")
    post_delete.connect(_office_changed, sender=Office, dispatch_uid="search-office-delete")
    items_tracked.connect(_items_tracked, dispatch_uid="search-items-tracked")
    report_published.connect(_report_published, dispatch_uid="search-report-published")
    post_save.connect(_report_version_changed, sender=ReportVersion, dispatch_uid="search-reportversion-save")
    post_delete.connect(_report_version_changed, sender=ReportVersion, dispatch_uid="search-reportversion-delete")
