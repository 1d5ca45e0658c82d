from django.contrib import admin

from events.models import Event, EventSpeaker, Speaker


class EventSpeakerInline(admin.TabularInline):
    model = EventSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "host_city"]
    list_filter = ["kind", "status", "themes"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes"]
    date_hierarchy = "starts_at"
    inlines = [EventSpeakerInline]
    list_select_related = ["host_city"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation"]
    search_fields = ["name", "organisation"]
