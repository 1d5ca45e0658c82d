from django.contrib import admin

from cities.models import City, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "approved_by", "approved_at"]
    fk_name = "city"


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "status", "human_rights_city_since", "coalition_name"]
    list_filter = ["status", "state", "priorities"]
    search_fields = ["name", "state", "coalition_name"]
    prepopulated_fields = {"slug": ["name", "state"]}
    filter_horizontal = ["priorities"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role", "approved_by", "approved_at"]
    list_filter = ["role", "city"]
    search_fields = ["user__email", "user__full_name", "city__name"]
    autocomplete_fields = ["user", "city"]
    list_select_related = ["user", "city", "approved_by"]
