from django import forms
from django.contrib import admin
from django.db import models

from events import services
from events.models import Delegate, Event, EventSpeaker, Registration, Speaker
from portal.admin_inlines import LabelledTabularInline


class EventSpeakerInline(LabelledTabularInline):
    model = EventSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "host_city"]
    list_filter = ["kind", "status", "themes"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    # The themes as checkboxes: Django's two-box filter widget carries ARIA attributes its elements may not have.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    date_hierarchy = "starts_at"
    inlines = [EventSpeakerInline]
    list_select_related = ["host_city"]

    def save_model(self, request, obj, form, change):
        # The national team's edits reach registrants exactly like organizers' ones.
        services.save_event(obj, lambda: super(EventAdmin, self).save_model(request, obj, form, change))


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation"]
    search_fields = ["name", "organisation"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "event"]
    search_fields = ["name", "email", "organisation", "event__title"]
    readonly_fields = ["token", "created_at", "confirmed_at", "cancelled_at"]
    list_select_related = ["event"]


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin):
    """The national team's view of each lobby day's delegation."""

    list_display = ["name", "city", "event", "needs_travel_support", "travel_note", "email"]
    list_filter = ["event", "needs_travel_support", "city"]
    search_fields = ["name", "email", "city__name"]
    list_select_related = ["city", "event"]
