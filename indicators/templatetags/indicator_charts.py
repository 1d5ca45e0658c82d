"""A figure as people read it, and the small line of a figure over the years, drawn on the server as SVG."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from indicators.formatting import figure

register = template.Library()

WIDTH, HEIGHT, PAD = 120, 32, 4


register.filter("figure", figure)


@register.simple_tag
def sparkline(points, title: str):
    """An SVG line through `points` ((year, figure as shown, value), oldest year first; selectors.ProfileRow):
    role="img" with a <title> naming the years and the figures, so the line is never the only way to read them."""
    if len(points) < 2:
        return ""
    years = [year for year, _shown, _value in points]
    values = [value for _year, _shown, value in points]
    low, high = min(values), max(values)
    span_x = (years[-1] - years[0]) or 1
    span_y = (high - low) or 1

    def xy(year, value) -> tuple[str, str]:
        x = PAD + (WIDTH - 2 * PAD) * (year - years[0]) / span_x
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * float((value - low) / span_y)
        return f"{x:.1f}", f"{y:.1f}"

    coordinates = [xy(year, value) for year, _shown, value in points]
    described = _("%(title)s: %(figures)s") % {
        "title": title,
        "figures": "; ".join(f"{year} {shown}" for year, shown, _value in points),
    }
    return format_html(
        '<svg class="indicator-line" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        described,
        " ".join(f"{x},{y}" for x, y in coordinates),
        format_html_join("", '<circle cx="{}" cy="{}" r="2" fill="currentColor"/>', coordinates),
    )
