"""The events app's tasks: notices to registrants after a change (enqueued after commit by the services)."""

from __future__ import annotations

from celery import shared_task

from events import services
from events.models import Event


@shared_task(name="events.notify_change", acks_late=True)
def notify_change_task(*, event_id: int, changes: dict[str, list]) -> int:
    """Tell registrants what changed (events.services.notify_change); nothing if the event is gone."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return services.notify_change(event, services.changes_from_json(changes))


@shared_task(name="events.notify_recording_ready", acks_late=True)
def notify_recording_ready_task(*, event_id: int) -> int:
    """Tell confirmed registrants the recording is online (events.services.notify_recording_ready)."""
    event = Event.objects.filter(pk=event_id).first()
    return services.notify_recording_ready(event) if event is not None else 0
