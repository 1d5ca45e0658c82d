from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from resources import services
from resources.forms import ResourceAdminForm
from resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    """The national team's library: organizers' suggestions wait here (status "suggested") until published."""

    form = ResourceAdminForm
    list_display = ["title", "kind", "un_symbol", "cycle", "date", "status", "suggested_by"]
    list_filter = ["status", "kind", "cycle", "themes"]
    search_fields = ["title", "title_es", "un_symbol", "description"]
    prepopulated_fields = {"slug": ["title"]}
    # The themes as checkboxes: Django's two-box filter widget carries ARIA attributes its elements may not have.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    readonly_fields = ["file_content_type", "suggested_by", "created_at", "published_at"]
    list_select_related = ["cycle", "suggested_by"]
    actions = ["publish_selected"]

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file")
        if upload and "file" in form.changed_data and hasattr(upload, "content_type"):
            services.attach_file(obj, upload)
        elif upload is False:
            obj.file_content_type = ""
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected resources"))
    def publish_selected(self, request, queryset):
        count = services.publish(queryset)
        self.message_user(
            request,
            ngettext("%(count)d resource published.", "%(count)d resources published.", count) % {"count": count},
            messages.SUCCESS,
        )
