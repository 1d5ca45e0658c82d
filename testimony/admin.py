from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_inlines import LabelledTabularInline
from testimony.models import AccessLog, ConsentText, ContactDetails, ModerationLog, Testimony


class ModerationLogInline(LabelledTabularInline):
    model = ModerationLog
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Testimony)
class TestimonyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "kind", "status", "identification", "allows_portal", "created_at"]
    list_filter = ["status", "kind", "nature", "city", "allows_portal", "allows_national_report"]
    search_fields = ["title", "public_body"]
    # The private link's secret lets whoever holds it act as the testifier (change consent, withdraw): nobody on
    # the national team needs it, so the admin never shows it.
    exclude = ["private_token"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "consent_text",
        "consent_recorded_at",
        "withdrawn_at",
        "approved_at",
        "approved_by",
        "public_reviewed_at",
        "public_reviewed_by",
        "pending_consent",
        "pending_consent_at",
    ]
    inlines = [ModerationLogInline]
    list_select_related = ["city"]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["version", "effective_from"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("text_en", "text_es"):
            # How the pages lay the wording out (testimony.models.wording_blocks).
            field.help_text = _(
                "Separate paragraphs with a blank line and start each bullet point with “- ”. Other line breaks "
                "are joined into the paragraph on the page."
            )
        return field

    def has_change_permission(self, request, obj=None) -> bool:
        # A version people agreed to never changes; write a new version instead.
        return obj is None and super().has_change_permission(request, obj)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["testimony", "user", "kind", "at"]
    list_filter = ["kind", "user"]
    readonly_fields = ["testimony", "user", "kind", "at"]


admin.site.register(ContactDetails)
