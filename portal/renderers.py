"""The portal's form renderer: Django's own (DjangoTemplates), with its busiest templates written in Python.

Every label and every input, text area and checkbox of a form is a template render of its own, each with an include
for its attributes: a thousand of them cost a second. The admin's compiled national report (600 and more
paragraphs, six fields each) took 37 s, past gunicorn's timeout (issue 19). For the templates below, this renderer
writes the same markup in Python, byte for byte (tests/portal/test_renderers.py compares both on every kind of
field the portal uses); any other template, or one of these overridden by an app or the project, goes through the
templates as before. The portal's own radio and checkbox lists (portal/widgets/check_list.html) are written the
same way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import django
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

_DJANGO_FORMS = Path(django.__file__).parent / "forms" / "templates"
_PORTAL = Path(__file__).resolve().parent / "templates"
_ROOTS = (_DJANGO_FORMS, _PORTAL)


def _attrs(attrs) -> str:
    """django/forms/attrs.html and django/forms/widgets/attrs.html: in order, True as a bare name, False left out."""
    if not attrs:
        return ""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(context) -> str:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


def _check_option(widget) -> str:
    """portal/widgets/check_option.html: one radio button or checkbox in Bootstrap's markup."""
    value, element_id = widget["value"], widget["attrs"].get("id")
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    label_for = f' for="{conditional_escape(element_id)}"' if element_id else ""
    return (
        f'<div class="form-check"><input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
        f'<label class="form-check-label"{label_for}>{conditional_escape(widget["label"])}</label></div>'
    )


def _check_list(context) -> str | None:
    """portal/widgets/check_list.html: the radio buttons or checkboxes of one field (None: an option has another
    template than check_option.html, so the templates write it)."""
    widget = context["widget"]
    element_id = widget["attrs"].get("id")
    parts = [f'<div id="{conditional_escape(element_id)}" class="form-check-list">' if element_id else
             '<div class="form-check-list">']  # fmt: skip
    for _group, options, _index in widget["optgroups"]:
        for option in options:
            if option["template_name"] != CHECK_OPTION:
                return None
            parts.append("\n  " + _check_option(option))
    parts.append("\n</div>")
    return "".join(parts)


_INPUTS = ("input", "text", "number", "email", "url", "password", "hidden", "checkbox", "date", "datetime", "time",
           "search", "tel", "color")  # fmt: skip
# Each template written in Python, with the templates it includes (all must be the files written here for it to
# apply: Django's own, or the portal's).
_WIDGET_ATTRS = "django/forms/widgets/attrs.html"
CHECK_LIST, CHECK_OPTION = "portal/widgets/check_list.html", "portal/widgets/check_option.html"
WRITERS = {
    CHECK_LIST: (_check_list, (CHECK_OPTION, _WIDGET_ATTRS)),
    "django/forms/label.html": (_label, ("django/forms/attrs.html",)),
    "django/forms/widgets/textarea.html": (_textarea, (_WIDGET_ATTRS,)),
    **{
        f"django/forms/widgets/{name}.html": (_input, ("django/forms/widgets/input.html", _WIDGET_ATTRS))
        for name in _INPUTS
    },
}


class LeanRenderer(DjangoTemplates):
    """Django's template form renderer; WRITERS' templates written in Python while they are Django's own."""

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is not None and self._stock(template_name):
            written = writer[0](context)
            if written is not None:
                return written
        return super().render(template_name, context, request)

    @cache  # noqa: B019 - one renderer per process (get_default_renderer), a handful of template names
    def _stock(self, template_name: str) -> bool:
        """The template and those it includes are Django's own files, not ones an app or the project put in their
        place."""
        names = (template_name, *WRITERS[template_name][1])
        return all(
            any(Path(self.get_template(n).template.origin.name).is_relative_to(root) for root in _ROOTS) for n in names
        )
