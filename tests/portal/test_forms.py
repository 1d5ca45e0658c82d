"""Form pieces every page uses (portal.forms, the portal_forms tags): radio buttons and checkbox lists in
Bootstrap's markup, and error summaries whose lines link to their fields."""

from __future__ import annotations

from django import forms
from django.template import Context, Template

from portal.forms import BootstrapMixin, ErrorItem, error_items


class Sample(BootstrapMixin, forms.Form):
    name = forms.CharField(label="Your name")
    colour = forms.ChoiceField(label="Colour", choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    needs = forms.MultipleChoiceField(
        label="Needs", choices=[("asl", "ASL")], widget=forms.CheckboxSelectMultiple, required=True
    )
    agree = forms.BooleanField(label="I agree")
    version = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        super().clean()
        raise forms.ValidationError("Something about the whole form.")


def test_radio_buttons_and_checkbox_lists_use_bootstraps_markup():
    html = str(Sample()["colour"])
    assert html == (
        '<div id="id_colour" class="form-check-list">\n'
        '  <div class="form-check"><input type="radio" name="colour" value="red" class="form-check-input" '
        'required id="id_colour_0"><label class="form-check-label" for="id_colour_0">Red</label></div>\n'
        '  <div class="form-check"><input type="radio" name="colour" value="blue" class="form-check-input" '
        'required id="id_colour_1"><label class="form-check-label" for="id_colour_1">Blue</label></div>\n'
        "</div>"
    )
    assert 'class="form-check-input" id="id_needs_0"' in str(Sample()["needs"])
    assert (
        str(Sample()["agree"]) == '<input type="checkbox" name="agree" class="form-check-input" required id="id_agree">'
    )


def test_error_items_link_each_field_error_to_its_field():
    form = Sample(data={"name": "", "needs": [], "version": ""})
    assert error_items(form) == [
        ErrorItem("Something about the whole form."),
        ErrorItem("This field is required.", "Your name", "#id_name"),
        ErrorItem("This field is required.", "Colour", "#id_colour_0"),  # a group: its first option
        ErrorItem("This field is required.", "Needs", "#id_needs_0"),
        ErrorItem("This field is required.", "I agree", "#id_agree"),
        ErrorItem("This field is required."),  # a hidden field has nothing to go to
    ]


def test_error_items_of_a_formset_number_its_forms_and_skip_unbound_ones():
    class Row(forms.Form):
        title = forms.CharField(label="Title", max_length=4)

    Rows = forms.formset_factory(Row, extra=0)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-title": "Kept", "form-1-title": "Too long"}
    assert error_items(Rows(data), None, Sample()) == [
        ErrorItem("Ensure this value has at most 4 characters (it has 8).", "Title (item 2)", "#id_form-1-title"),
    ]


def test_the_summary_is_focusable_labelled_and_absent_without_errors():
    template = Template("{% load portal_forms %}{% error_summary form intro='Nothing was saved.' %}")
    assert template.render(Context({"form": Sample()})).strip() == ""
    html = template.render(Context({"form": Sample(data={"name": "Ana", "colour": "red", "needs": ["asl"]})}))
    assert 'role="alert" tabindex="-1" id="error-summary" aria-labelledby="error-summary-title"' in html
    assert '<p class="mb-2">Nothing was saved.</p>' in html
    assert '<li><a class="alert-link" href="#id_agree">I agree – This field is required.</a></li>' in html
    assert "<li>Something about the whole form.</li>" in html


def test_field_error_summary_for_a_form_written_by_hand():
    template = Template('{% load portal_forms %}{% field_error_summary "confirmed_name" errors label="Name" %}')
    html = template.render(Context({"errors": ["Write your organisation's name."]}))
    assert (
        '<li><a class="alert-link" href="#confirmed_name">Name – Write your organisation&#x27;s name.</a></li>' in html
    )
    assert template.render(Context({"errors": []})).strip() == ""
