"""Form pieces shared by the portal's forms: Bootstrap markup, the honeypot, plain-text checks, error summaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import BaseFormSet
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
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


class LeanSelect(forms.Select):
    """A single select that writes FAST_SELECT_TEMPLATE's markup in Python, without building Django's per-option
    dictionaries (`optgroups`) or running a template: the report editor's 30 quote selects of 110 testimonies each
    took 1.6 s through templates (issue 19). The markup is the template's, byte for byte; grouped choices are
    flattened as the template does."""

    template_name = FAST_SELECT_TEMPLATE

    @classmethod
    def from_select(cls, widget: forms.Select) -> LeanSelect:
        """The same widget (attributes, choices, required flag), rendered the lean way."""
        lean = cls.__new__(cls)
        lean.__dict__.update(widget.__dict__)
        return lean

    def render(self, name, value, attrs=None, renderer=None):
        wanted = set(self.format_value(value))
        options, selected = [], False
        for option_value, option_label in self.choices:
            group = option_label if isinstance(option_label, list | tuple) else [(option_value, option_label)]
            for sub_value, sub_label in group:
                sub_value = "" if sub_value is None else str(sub_value)
                chosen = not selected and sub_value in wanted
                selected = selected or chosen
                # escape(), not format_html(), per option: a tenth of the time on a select of a hundred options.
                label = conditional_escape(sub_label)
                options.append(f'<option value="{escape(sub_value)}"{" selected" if chosen else ""}>{label}</option>')
        # As django/forms/widgets/attrs.html writes them: in order, True as a bare name, False left out.
        final_attrs = "".join(
            format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value)
            for key, value in self.build_attrs(self.attrs, attrs).items()
            if value is not False
        )
        return format_html('<select name="{}"{}>{}</select>', name, mark_safe(final_attrs), mark_safe("".join(options)))  # noqa: S308


# Radio buttons and checkbox lists in Bootstrap's markup (.form-check, .form-check-input, .form-check-label), like
# the single checkboxes beside them; Django's own markup leaves them unstyled, small and unaligned.
CHECK_LIST_TEMPLATE = "portal/widgets/check_list.html"
CHECK_OPTION_TEMPLATE = "portal/widgets/check_option.html"


def bootstrap_choice_widget(widget: forms.Widget) -> bool:
    """Lay out a RadioSelect or CheckboxSelectMultiple the Bootstrap way; False for any other widget."""
    if not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return False
    widget.template_name = CHECK_LIST_TEMPLATE
    widget.option_template_name = CHECK_OPTION_TEMPLATE
    widget.attrs["class"] = "form-check-input"
    return True


class BootstrapMixin:
    """Give every widget Bootstrap's classes (crispy renders labels and errors); render selects quickly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if bootstrap_choice_widget(widget):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            # Django adds `required` itself where HTML allows it: never on a hidden input, nor on a select whose
            # first option is a real choice (the Nu HTML checker rejects both).
            if widget.is_hidden:
                continue
            if type(widget) is forms.Select:
                field.widget = widget = LeanSelect.from_select(widget)
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


# --- Error summaries ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorItem:
    """One line of an error summary: the message, and the field it links to (`href` "#<id>", empty when the error
    is about the whole form)."""

    message: str
    label: str = ""
    href: str = ""


def _form_errors(form: forms.BaseForm, row: int | None = None) -> list[ErrorItem]:
    items = [ErrorItem(str(error)) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        if bound.is_hidden:
            items.extend(ErrorItem(str(error)) for error in errors)
            continue
        label = str(bound.label or name)
        if row is not None:
            label = _("%(label)s (item %(number)d)") % {"label": label, "number": row}
        target = bound.id_for_label or bound.auto_id
        if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            # A radio or checkbox group has no one input of its own: the link lands on its first option.
            options = bound.subwidgets
            target = options[0].id_for_label if options else target
        items.extend(ErrorItem(str(error), label, f"#{target}" if target else "") for error in errors)
    return items


def error_items(*forms_or_formsets) -> list[ErrorItem]:
    """Every error of the forms and formsets given (None skipped), in the order the page shows them: what is wrong
    with a whole form or formset first, then field by field."""
    items: list[ErrorItem] = []
    for form in forms_or_formsets:
        if form is None or not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            items.extend(ErrorItem(str(error)) for error in form.non_form_errors())
            numbered = len(form.forms) > 1
            for index, member in enumerate(form.forms, start=1):
                items.extend(_form_errors(member, row=index if numbered else None))
        else:
            items.extend(_form_errors(form))
    return items
