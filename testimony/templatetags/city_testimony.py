from django import template

from testimony.selectors import city_public_testimony

register = template.Library()


@register.inclusion_tag("testimony/_city_testimony.html")
def city_testimony(city):
    """The city page's "testimony" section, contributed by this app (cities never imports testimony)."""
    return {"city": city, "testimonies": city_public_testimony(city)}
