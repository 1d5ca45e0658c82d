"""portal.renderers.LeanRenderer writes, in Python, exactly what Django's form templates write."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from portal.forms import BootstrapMixin
from portal.renderers import WRITERS, LeanRenderer


class EveryInput(forms.Form):
    text = forms.CharField(label="Name & <title>", help_text="Shown", max_length=20, initial='"quoted" & <b>')
    number = forms.IntegerField(initial=12345, min_value=0)
    decimal = forms.DecimalField(initial=1234.5, required=False)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, widget=forms.URLInput(attrs={"placeholder": "https://", "data-x": True}))
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="secret<")
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h")
    checked = forms.BooleanField(initial=True, required=False)
    unchecked = forms.BooleanField(required=False)
    date = forms.DateField(initial=dt.date(2025, 11, 7), widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(required=False, widget=forms.DateTimeInput(attrs={"disabled": False}))
    time = forms.TimeField(initial=dt.time(18, 30))
    search = forms.CharField(widget=forms.SearchInput, required=False)
    tel = forms.CharField(widget=forms.TelInput, required=False)
    colour = forms.CharField(widget=forms.ColorInput, initial="#ff0000")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), initial="Line one\n<script>x</script>")
    empty_body = forms.CharField(widget=forms.Textarea, required=False)
    safe_label = forms.CharField(label=mark_safe("<em>Safe</em> label"), required=False)


class Choices(BootstrapMixin, forms.Form):
    """The portal's radio and checkbox lists (portal/widgets/check_list.html), and Django's own beside them."""

    kind = forms.ChoiceField(choices=[("a", "A & B"), ("b", "<b>")], widget=forms.RadioSelect, initial="b")
    themes = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y"), ("Group", [("z", "Z")])],
        widget=forms.CheckboxSelectMultiple,
        initial=["x", "z"],
    )
    plain = forms.ChoiceField(choices=[(1, "One")], widget=forms.RadioSelect, required=False)
    agree = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plain"].widget.option_template_name = "django/forms/widgets/radio_option.html"


def render_all(form: forms.Form) -> str:
    parts = [str(form)]
    for field in form:
        parts += [
            str(field),
            field.label_tag(),
            field.legend_tag(),
            field.label_tag(attrs={"class": "x", "hidden": True}),
        ]
        parts.append(field.label_tag(contents="", label_suffix=""))
    return "\n".join(parts)


@pytest.mark.parametrize("data", [None, {"text": "x" * 30, "number": "-1", "email": "not an email", "checked": "on"}])
@pytest.mark.parametrize("form_class", [EveryInput, Choices])
def test_same_markup_as_the_templates(data, form_class):
    lean, stock = form_class(data, renderer=LeanRenderer()), form_class(data, renderer=DjangoTemplates())
    assert render_all(lean) == render_all(stock)


def test_every_template_written_in_python_is_the_one_in_use_here():
    renderer = LeanRenderer()
    assert all(renderer._stock(name) for name in WRITERS)


@pytest.mark.parametrize("bound", [False, True])
def test_portal_forms_render_the_same(city_factory, bound):
    from cities.forms import CityRequestForm, DirectoryFilterForm, GetInvolvedForm
    from testimony.organizer_forms import PaperEntryForm
    from testimony.public_forms import PublicTestimonyFilterForm
    from testimony.selectors import current_consent_text
    from testimony.submit_forms import TestimonyForm

    city = city_factory()
    data = {"title": "<b>", "body": "", "email": "x"} if bound else None
    forms_and_arguments = [
        (CityRequestForm, {}),
        (DirectoryFilterForm, {}),
        (GetInvolvedForm, {}),
        (PublicTestimonyFilterForm, {}),
        (PaperEntryForm, {"city": city}),
        (TestimonyForm, {"consent_text": current_consent_text()}),
    ]
    for form_class, arguments in forms_and_arguments:
        lean = form_class(data, renderer=LeanRenderer(), **arguments)
        stock = form_class(data, renderer=DjangoTemplates(), **arguments)
        assert render_all(lean) == render_all(stock), form_class
