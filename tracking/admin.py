"""Read-only views for the national team: organizers keep their city's tracking on their own pages, and the
history is append-only, so nothing here changes it."""

from django.contrib import admin

from tracking.models import Office, Reply, StatusUpdate, TrackedItem, TrackingLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):
    list_display = ["name", "city", "level"]
    list_filter = ["level"]
    search_fields = ["name", "city__name"]


@admin.register(TrackedItem)
class TrackedItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "city", "level", "office"]
    list_filter = ["level", "city"]
    list_select_related = ["recommendation", "local_recommendation", "city", "office"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdmin):
    list_display = ["item", "status", "observed_on", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["item__recommendation", "item__local_recommendation"]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["office", "requested_at", "due_on", "decision"]
    list_filter = ["decision"]


@admin.register(TrackingLog)
class TrackingLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "city", "action", "actor"]
    list_filter = ["action"]
