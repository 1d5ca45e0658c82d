from django import template

from events.selectors import city_events as select_city_events

register = template.Library()


@register.inclusion_tag("events/_city_events.html")
def city_events(city):
    """The city page's "events" section, contributed by this app (cities never imports events)."""
    upcoming, past = select_city_events(city)
    return {"city": city, "upcoming": upcoming, "past": past[:10]}
