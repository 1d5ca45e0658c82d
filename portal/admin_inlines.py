"""Admin building blocks that keep the admin usable with a screen reader.

Django's tabular inlines head each column with a table heading, not a `<label>`: the inputs of every row have no
accessible name (axe-core: "Form elements must have labels", critical), and an autocomplete field's combobox is named
only by the value it shows. `LabelledTabularInline` names every input of a row by its column and the row;
`AUTOCOMPLETE_NAMES_JS` names the autocomplete comboboxes after their field.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext as _

# Loaded by the admin pages with autocomplete fields (their ModelAdmin's Media), after Django's autocomplete.js.
AUTOCOMPLETE_NAMES_JS = "js/admin-autocomplete-names.js"


def name_row_inputs(form, row: str) -> None:
    """Give each visible input of an inline `form` an aria-label: "<column> (<row>)"."""
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        label = _("Delete") if name == "DELETE" else capfirst(field.label or name)
        # A foreign key's widget is wrapped (add/change links) and renders the inner widget's attributes.
        for widget in (field.widget, getattr(field.widget, "widget", None)):
            if widget is not None:
                widget.attrs = {**widget.attrs, "aria-label": f"{label} ({row})"}


class LabelledTabularInline(admin.TabularInline):
    class Media:
        js = [AUTOCOMPLETE_NAMES_JS]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                saved = index is not None and form.instance.pk is not None
                name_row_inputs(form, str(form.instance) if saved else _("new row"))

        return LabelledFormSet
