from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.models import EmailOptOut, OutgoingEmail, OutgoingEmailStatus, ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject_key", "recipient", "offset", "claimed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient", "subject_key"]
    readonly_fields = ["kind", "subject_key", "recipient", "offset", "claimed_at"]

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

            from portal.optout import optional_emails

            return forms.ChoiceField(
                label=db_field.verbose_name, choices=[(o.kind, o.label) for o in optional_emails], required=True
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        obj.email = obj.email.lower()
        super().save_model(request, obj, form, change)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """What the portal sent or could not send, for the national team: a permanent refusal (no such address) or a
    server that stayed unreachable shows here as failed, with the error. Read-only, and never the bodies: they
    can hold private links (a testimony's withdrawal link, a registration's cancel link)."""

    list_display = ["created_at", "subject", "recipients", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "to", "suppressed_to"]
    date_hierarchy = "created_at"
    fields = [
        "subject",
        "template",
        "to",
        "suppressed_to",
        "reply_to",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "due_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("recipients"))
    def recipients(self, obj: OutgoingEmail) -> str:
        return ", ".join(obj.to or obj.suppressed_to)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected failed emails again"), permissions=["view"])
    def send_again(self, request, queryset) -> None:
        # Once the cause is fixed (a corrected address, a mail server back in order); only failed rows, whose
        # bodies are kept, and each still goes once (the worker's claim).
        from portal.mail import hand_over

        failed = list(queryset.filter(status=OutgoingEmailStatus.FAILED).values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=failed, status=OutgoingEmailStatus.FAILED).update(
            status=OutgoingEmailStatus.QUEUED, attempts=0
        )
        transaction.on_commit(lambda: hand_over(failed))
        count = len(failed)
        self.message_user(
            request,
            ngettext("%(count)d email will be sent again.", "%(count)d emails will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
