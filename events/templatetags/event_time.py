from django import template

from events.zones import zone_name as _zone_name

register = template.Library()


@register.filter
def zone_name(zone: str) -> str:
    """`{{ event.time_zone|zone_name }}`: "Eastern Time" (in Spanish "hora del Este") for "America/New_York"."""
    return _zone_name(zone)
