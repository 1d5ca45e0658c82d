from django.contrib import admin

from uprcities.models import ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject_key", "recipient", "offset", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["recipient", "subject_key"]
    readonly_fields = ["kind", "subject_key", "recipient", "offset", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False
