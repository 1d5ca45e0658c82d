"""The local report editor's forms: the report itself, and a formset each for sections, recommendations and quotes.

All are validated together and saved in one transaction, or none is (the page then shows every message and
keeps every word typed)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from portal.forms import BootstrapMixin
from reports.models import Citation, LocalReport, Quote, ReportRecommendation, Section
from reports.quotes import inside_public_version
from resources.selectors import public_resources
from testimony.enums import Use
from testimony.selectors import quotable_for
from upr.models import Recommendation, Theme


def _rows(n: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": n, "data-count-words": "report"})


class ReportForm(BootstrapMixin, forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = LocalReport
        fields = ["language", "executive_summary", "methodology", "short_summary"]
        widgets = {
            "executive_summary": _rows(6),
            "methodology": _rows(4),
            "short_summary": forms.Textarea(attrs={"rows": 10, "data-count-words": "summary"}),
        }
        help_texts = {
            "executive_summary": _("The main findings in a few paragraphs. Leave a blank line between paragraphs."),
        }


class SectionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["theme", "challenges", "advances"]
        widgets = {"challenges": _rows(6), "advances": _rows(4)}


class SharedChoicesFormSet(BaseInlineFormSet):
    """Evaluate each select's choices once for the whole formset (not once per form), so the editor runs the same
    number of queries with 3 sections as with 60."""

    shared_choice_fields: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        self._share_choices(form)
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        self._share_choices(form)
        return form

    def _share_choices(self, form) -> None:
        cache = self.__dict__.setdefault("_choices_cache", {})
        for name in self.shared_choice_fields:
            if name not in cache:
                cache[name] = list(form.fields[name].choices)
            form.fields[name].choices = cache[name]

    def scope(self, queryset):
        return queryset

    def get_queryset(self):
        # Forms index into this queryset one by one: it must be the same (evaluated once) object every time.
        if not hasattr(self, "_shared_queryset"):
            queryset = self.scope(super().get_queryset())
            self._shared_queryset = queryset.select_related(*self.shared_choice_fields).prefetch_related(*self.prefetch)
        return self._shared_queryset


class BaseSectionFormSet(SharedChoicesFormSet):
    shared_choice_fields = ("theme",)

    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            theme = form.cleaned_data.get("theme")
            if theme is None:
                continue
            if theme in seen:
                form.add_error("theme", _("There is already a section on this theme; write both in one section."))
            seen.add(theme)

    def kept_themes(self) -> set[Theme]:
        return {
            form.cleaned_data["theme"]
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("theme")
            and not form.cleaned_data.get("DELETE")
        }


SectionFormSet = inlineformset_factory(
    LocalReport, Section, form=SectionForm, formset=BaseSectionFormSet, extra=1, can_delete=True
)

_REFERENCE_SPLIT = re.compile(r"[\s,;]+")


class RecommendationForm(BootstrapMixin, forms.ModelForm):
    official_refs = forms.CharField(
        label=_("Official UPR recommendations it relates to"),
        required=False,
        help_text=_('Paragraph numbers from an earlier review, separated by commas, for example "26.112, 26.240".'),
    )

    class Meta:
        model = ReportRecommendation
        fields = ["text", "level", "theme", "official_refs", "reinforces_unfulfilled"]
        widgets = {"text": _rows(3)}

    def __init__(self, *args, cycle=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        if self.instance.pk and not self.is_bound:
            self.initial["official_refs"] = ", ".join(o.paragraph for o in self.instance.official.all())

    def clean_official_refs(self) -> list[Recommendation]:
        wanted = [ref for ref in _REFERENCE_SPLIT.split(self.cleaned_data["official_refs"].strip()) if ref]
        if not wanted:
            return []
        earlier = Recommendation.objects.exclude(cycle=self.cycle) if self.cycle else Recommendation.objects.all()
        found: dict[str, list[Recommendation]] = {}
        for rec in earlier.filter(paragraph__in=wanted).select_related("cycle"):
            found.setdefault(rec.paragraph, []).append(rec)
        missing = [ref for ref in wanted if ref not in found]
        if missing:
            raise ValidationError(
                _(
                    "No earlier UPR recommendation has the paragraph number %(refs)s. Check it in the list of "
                    "recommendations."
                ),
                params={"refs": ", ".join(missing)},
                code="unknown",
            )
        return [rec for ref in dict.fromkeys(wanted) for rec in found[ref]]

    def clean(self):
        data = super().clean()
        if data.get("reinforces_unfulfilled") and not data.get("official_refs"):
            self.add_error(
                "official_refs",
                _("Name the earlier recommendation this one reinforces (its paragraph number)."),
            )
        return data

    def save(self, commit=True):
        recommendation = super().save(commit=commit)
        if commit:
            recommendation.official.set(self.cleaned_data.get("official_refs") or [])
        return recommendation


class BaseRecommendationFormSet(SharedChoicesFormSet):
    shared_choice_fields = ("theme",)
    prefetch = ("official",)

    def __init__(self, *args, cycle=None, **kwargs):
        self.cycle = cycle
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "cycle": self.cycle}


RecommendationFormSet = inlineformset_factory(
    LocalReport,
    ReportRecommendation,
    form=RecommendationForm,
    formset=BaseRecommendationFormSet,
    extra=1,
    can_delete=True,
)


class TestimonyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, testimony) -> str:
        name = testimony.shown_name or _("Anonymous")
        words = " ".join(testimony.public_text.split()[:12])
        title = testimony.public_title or testimony.title or testimony.get_kind_display()
        return f"#{testimony.pk} · {title} · {name}: “{words}…”"


class QuoteForm(BootstrapMixin, forms.ModelForm):
    testimony = TestimonyChoiceField(
        label=_("Testimony"),
        queryset=None,
        help_text=_(
            "Only approved testimony whose consent allows quoting in the local report is listed. "
            "The person is named only as they chose."
        ),
    )

    class Meta:
        model = Quote
        fields = ["testimony", "theme", "excerpt"]
        widgets = {"excerpt": _rows(3)}

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["testimony"].queryset = quotable_for(city, Use.LOCAL_REPORT).order_by("-created_at", "-pk")
        self.fields["theme"].required = True

    def clean(self):
        data = super().clean()
        testimony, excerpt = data.get("testimony"), data.get("excerpt") or ""
        if testimony and excerpt.strip() and not inside_public_version(testimony, excerpt):
            self.add_error(
                "excerpt",
                _(
                    "The excerpt must be copied word for word from the testimony's public version (shown in the "
                    "list); quotes are never reworded."
                ),
            )
        return data


class BaseQuoteFormSet(SharedChoicesFormSet):
    shared_choice_fields = ("testimony", "theme")

    def __init__(self, *args, city=None, **kwargs):
        self.city = city
        super().__init__(*args, **kwargs)

    def scope(self, queryset):
        # Quotes whose consent was withdrawn or narrowed stay stored but are neither printed nor offered here.
        return queryset.filter(testimony__in=quotable_for(self.city, Use.LOCAL_REPORT))

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "city": self.city}

    def check_themes(self, themes: set[Theme]) -> None:
        """Each quote sits in one of the report's sections (after this save)."""
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("theme"):
                continue
            if data["theme"] not in themes:
                form.add_error(
                    "theme",
                    _("The report has no section on %(theme)s: add one above, or place the quote in another.")
                    % {"theme": data["theme"].display_name},
                )


QuoteFormSet = inlineformset_factory(
    LocalReport, Quote, form=QuoteForm, formset=BaseQuoteFormSet, extra=1, can_delete=True
)


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, resource) -> str:
        parts = [resource.un_symbol, resource.display_title, str(resource.date.year) if resource.date else ""]
        return " · ".join(part for part in parts if part)


class CitationForm(BootstrapMixin, forms.ModelForm):
    resource = ResourceChoiceField(
        label=_("Resource"),
        queryset=None,
        help_text=_("Only resources published in the portal's library can be cited."),
        error_messages={
            "invalid_choice": _(
                "This resource is not in the portal's public library (it may have been unpublished): choose another "
                "one from the list."
            )
        },
    )

    class Meta:
        model = Citation
        fields = ["resource", "note"]
        widgets = {"note": forms.TextInput(attrs={"data-count-words": "report"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = public_resources().prefetch_related(None).order_by("title", "pk")

    def validate_constraints(self) -> None:
        """Leave "cited once" (citation_once_per_report) to the formset, which sees the whole list as it will be
        saved: checked row by row against the stored rows, swapping two resources or removing one and citing it
        again in a new row would be refused. (The model has no other constraint.)"""


class BaseCitationFormSet(SharedChoicesFormSet):
    """The resources the report cites, in the order the organizers give them (the "Place in the list" numbers:
    a plain field, so reordering needs no mouse and no script)."""

    shared_choice_fields = ("resource",)

    def scope(self, queryset):
        # Citations of resources unpublished since they were chosen stay stored, neither printed nor offered here.
        return queryset.filter(resource__in=public_resources().values("pk")).order_by("position", "pk")

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)  # the stored citations' numbers start at 1, in their order
        order = form.fields["ORDER"]
        order.label = _("Place in the list")
        order.help_text = _("The list is printed in the order of these numbers: change them to reorder it.")
        order.widget.attrs.update({"min": 1, "class": "form-control w-auto"})

    def clean(self) -> None:
        # Before the formset's own unique check, which would only say "correct the duplicate data" above the list.
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("resource"):
                continue
            resource = data["resource"]
            if resource in seen:
                form.add_error(
                    "resource",
                    _("This resource is already cited above: cite it once, with one note, or remove this one."),
                )
            seen.add(resource)
        super().clean()

    def save(self, commit=True):
        """Delete the removed citations and save the kept ones at positions in the order given (equal or empty
        numbers keep the page's order)."""
        super().save(commit=False)
        ordered = self.ordered_forms
        # A stored row whose resource changed is written again as a new row, after every removed or changed row is
        # gone, so no moment of the save holds one resource twice (the database's citation_once_per_report).
        moved = [form for form in ordered if form.instance.pk and "resource" in form.changed_data]
        gone = [citation.pk for citation in self.deleted_objects] + [form.instance.pk for form in moved]
        Citation.objects.filter(report=self.instance, pk__in=gone).delete()
        for form in moved:
            form.instance.pk = None
            form.instance._state.adding = True
        for position, form in enumerate(ordered):
            form.instance.report = self.instance
            form.instance.position = position
            form.instance.save()
        return [form.instance for form in ordered]


CitationFormSet = inlineformset_factory(
    LocalReport, Citation, form=CitationForm, formset=BaseCitationFormSet, extra=1, can_delete=True, can_order=True
)


class DecisionForm(forms.Form):
    """The national team's decision on a submitted version (admin)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept it")), ("return", _("Return it to the city with comments"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments for the city"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("Required when returning the report; the organizers see them above their editor."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the city should change: the comments are required to return it."))
        return data
