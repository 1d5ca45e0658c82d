from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts import enrolment
from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "preferred_language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["create_enrolment_code"]

    @admin.action(description=_("Create a two-factor enrolment code"))
    def create_enrolment_code(self, request, queryset):
        """A colleague's second proof for staff who have no authenticator yet. The codes are shown on this one
        page only (never in a message, which would sit in a cookie or the session), to be passed on by phone or
        in person."""
        codes, refused = [], []
        for user in queryset:
            try:
                codes.append((user, enrolment.issue_enrolment_code(user, by=request.user)))
            except enrolment.EnrolmentError as exc:
                refused.append(str(exc))
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)
        if not codes:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Two-factor enrolment codes"),
            "codes": codes,
            "hours": settings.STAFF_ENROLMENT_HOURS,
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/accounts/enrolment_codes.html", context)
        response["Cache-Control"] = "private, no-store"
        return response
