from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cities import geo, services
from cities.enums import RequestStatus
from cities.models import City, CityRequest, GetInvolvedRequest, Invitation, Membership
from portal.admin_inlines import AUTOCOMPLETE_NAMES_JS, LabelledTabularInline


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "approved_by", "approved_at"]
    fk_name = "city"


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "status", "human_rights_city_since", "coalition_name", "has_coordinates"]
    list_filter = ["status", "state", "priorities"]
    search_fields = ["name", "state", "coalition_name"]
    prepopulated_fields = {"slug": ["name", "state"]}
    # The 19 themes as checkboxes: Django's two-box filter widget carries ARIA attributes its elements may not have.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [MembershipInline]
    actions = ["fill_coordinates"]
    fieldsets = [
        (None, {"fields": ["name", "state", "slug", "status", "human_rights_city_since"]}),
        (_("Public page"), {"fields": ["coalition_name", "public_contact", "description", "priorities", "source"]}),
        (
            _("Location"),
            {
                "fields": ["latitude", "longitude", "population"],
                "description": _(
                    "Filled from GeoNames (places over 15,000 people). Type coordinates only for a place "
                    "GeoNames does not list; use the action “Fill coordinates from GeoNames” otherwise."
                ),
            },
        ),
    ]

    @admin.display(boolean=True, description=_("on the map"))
    def has_coordinates(self, obj: City) -> bool:
        return obj.latitude is not None and obj.longitude is not None

    @admin.action(description=_("Fill coordinates from GeoNames"))
    def fill_coordinates(self, request, queryset):
        found, missing = 0, []
        for city in queryset:
            place = geo.locate(city.name, city.state)
            if place is None:
                missing.append(str(city))
                continue
            city.latitude, city.longitude, city.population = place.latitude, place.longitude, place.population
            city.save(update_fields=["latitude", "longitude", "population"])
            found += 1
        self.message_user(request, ngettext("%d city located.", "%d cities located.", found) % found)
        if missing:
            self.message_user(
                request, _("Not in GeoNames, type their coordinates: %s") % ", ".join(missing), messages.WARNING
            )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role", "approved_by", "approved_at"]
    list_filter = ["role", "city"]
    search_fields = ["user__email", "user__full_name", "city__name"]
    autocomplete_fields = ["user", "city"]
    list_select_related = ["user", "city", "approved_by"]

    class Media:
        js = [AUTOCOMPLETE_NAMES_JS]


@admin.register(CityRequest)
class CityRequestAdmin(admin.ModelAdmin):
    list_display = ["city_name", "state", "kind", "coalition_name", "contact_name", "status", "created_at"]
    list_filter = ["status", "kind", "state"]
    search_fields = ["city_name", "coalition_name", "contact_name", "contact_email"]
    readonly_fields = ["kind", "status", "decided_by", "decided_at", "city", "created_at", "geonameid", "language"]
    fields = [
        "city_name",
        "state",
        "geonameid",
        "coalition_name",
        "contact_name",
        "contact_email",
        "why",
        "language",
        "created_at",
        "kind",
        "status",
        "decision_note",
        "decided_by",
        "decided_at",
        "city",
    ]
    actions = ["approve", "decline"]
    list_select_related = ["decided_by", "city"]

    def _decide(self, request, queryset, decide, done_message, routed=()) -> None:
        done = 0
        skipped = queryset.exclude(status=RequestStatus.PENDING).count()
        for city_request in queryset.filter(status=RequestStatus.PENDING):
            try:
                decide(city_request)
            except services.TeamError as exc:
                self.message_user(request, f"{city_request}: {exc}", messages.ERROR)
            else:
                done += 1
        done -= len(routed)
        if done or not routed:
            self.message_user(request, done_message(done) % {"n": done}, messages.SUCCESS)
        for city_request in routed:
            self.message_user(
                request,
                _(
                    "%(request)s: %(city)s already exists, so this became a request to join its team; the city's "
                    "coordinators decide it on their team page."
                )
                % {"request": city_request, "city": city_request.city},
                messages.WARNING,
            )
        if skipped:
            left = ngettext(
                "%(n)d already decided, left as it was.", "%(n)d already decided, left as they were.", skipped
            )
            self.message_user(request, left % {"n": skipped}, messages.WARNING)

    # For a city that already exists the requester is never made coordinator: see services.approve_city_request.
    @admin.action(description=_("Approve: create the city and invite the requester as coordinator"))
    def approve(self, request, queryset):
        routed = []

        def approve(city_request):
            if services.approve_city_request(city_request, by=request.user) is None:
                city_request.refresh_from_db()
                routed.append(city_request)

        self._decide(
            request,
            queryset,
            approve,
            lambda n: ngettext(
                "%(n)d approved; the requester was emailed an invitation.",
                "%(n)d approved; each requester was emailed an invitation.",
                n,
            ),
            routed=routed,
        )

    @admin.action(description=_("Decline (the requester is told, with the note on the decision)"))
    def decline(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda r: services.decline_city_request(r, by=request.user),
            lambda n: ngettext(
                "%(n)d declined; the requester was told.", "%(n)d declined; each requester was told.", n
            ),
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "city", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "city"]
    search_fields = ["email", "city__name"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by", "invited_by"]
    list_select_related = ["city", "invited_by"]


@admin.register(GetInvolvedRequest)
class GetInvolvedRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "city", "created_at", "handled_at"]
    list_filter = ["city", ("handled_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "message"]
    readonly_fields = ["created_at"]
    list_select_related = ["city"]
