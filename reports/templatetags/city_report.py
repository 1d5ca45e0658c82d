from django import template

from reports.selectors import published_version

register = template.Library()


@register.inclusion_tag("reports/_city_report.html")
def city_report(city):
    """The city page's "local report" panel, contributed by this app (cities never imports reports)."""
    return {"city": city, "version": published_version(city)}
