from events.models import Event


def events_held_count() -> int:
    return Event.objects.held().count()
