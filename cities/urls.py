from django.urls import path

from cities import views

app_name = "cities"
urlpatterns = [
    path("cities/", views.directory, name="directory"),
    path("cities/join/", views.join, name="join"),
    path("cities/join/places/", views.join_places, name="join_places"),
    path("cities/join/thanks/", views.join_thanks, name="join_thanks"),
    path("offers/<str:token>/", views.offer, name="offer"),
    path("cities/<slug:slug>/", views.detail, name="detail"),
    path("cities/<slug:slug>/get-involved/", views.get_involved, name="get_involved"),
    path("organize/", views.organize, name="organize"),
    path("organize/<slug:slug>/team/", views.team, name="team"),
    path("organize/<slug:slug>/team/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path(
        "organize/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(
        "organize/<slug:slug>/join-requests/<int:request_id>/approve/",
        views.decide_join_request,
        {"decision": "approve"},
        name="approve_join_request",
    ),
    path(
        "organize/<slug:slug>/join-requests/<int:request_id>/decline/",
        views.decide_join_request,
        {"decision": "decline"},
        name="decline_join_request",
    ),
    path("organize/<slug:slug>/requests/", views.requests, name="requests"),
    path("organize/<slug:slug>/requests/<int:offer_id>/handled/", views.handle_request, name="handle_request"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
