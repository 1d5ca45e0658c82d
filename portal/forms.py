"""Form pieces shared by the portal's public forms."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<[^>]*>|&#?\w+;")


def no_markup(value: str) -> None:
    """Names and titles are plain text: refuse HTML rather than store it (it would be escaped anyway)."""
    if value and _MARKUP.search(value):
        raise ValidationError(_("Please use plain text here, without HTML tags."), code="markup")


class HoneypotMixin(forms.Form):
    """A field people never see or fill (hidden by CSS and from screen readers); bots fill it."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


# Django renders each <option> through its own template include; a select of 50 states then costs more than the
# rest of the page. This template writes the options in one loop (same markup, no optgroups needed here).
FAST_SELECT_TEMPLATE = "portal/widgets/fast_select.html"


class BootstrapMixin:
    """Give every widget Bootstrap's classes (crispy renders labels and errors); render selects quickly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                continue
            # Django adds `required` itself where HTML allows it: never on a hidden input, nor on a select whose
            # first option is a real choice (the Nu HTML checker rejects both).
            if widget.is_hidden:
                continue
            if type(widget) is forms.Select:
                widget.template_name = FAST_SELECT_TEMPLATE
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
