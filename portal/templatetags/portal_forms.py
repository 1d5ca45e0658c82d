"""Form pieces every page may use: `{% error_summary form formset ... %}`."""

from django import template

from portal.forms import ErrorItem, error_items

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms, intro: str = "", note: str = ""):
    """A list of what is wrong, each line a link to its field, focused when the page loads (static/js/forms.js), so
    keyboard and screen-reader users land on it after a failed submit. Nothing when the forms have no error.
    `intro` replaces the standard first sentence; `note` adds one after it."""
    return {"items": error_items(*forms), "intro": intro, "note": note}


@register.inclusion_tag("includes/error_summary.html")
def field_error_summary(field_id: str, errors, *, label: str = "", intro: str = ""):
    """The same summary for a form written by hand: the `errors` (messages) of the one field whose id is
    `field_id`."""
    items = [ErrorItem(str(error), str(label), f"#{field_id}") for error in errors or ()]
    return {"items": items, "intro": intro, "note": ""}
