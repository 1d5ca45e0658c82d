from django.contrib import admin

from uprcities.models import EmailOptOut, ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject_key", "recipient", "offset", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["recipient", "subject_key"]
    readonly_fields = ["kind", "subject_key", "recipient", "offset", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    """Who stopped which optional emails. The national team may record a stop asked for by phone, or delete one
    on request; the person can also undo it from the link in any of those emails."""

    list_display = ["email", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["email"]
    readonly_fields = ["created_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            from django import forms

            from uprcities.optout import optional_emails

            return forms.ChoiceField(
                label=db_field.verbose_name, choices=[(o.kind, o.label) for o in optional_emails], required=True
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        obj.email = obj.email.lower()
        super().save_model(request, obj, form, change)
