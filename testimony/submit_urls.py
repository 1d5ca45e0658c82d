"""Giving testimony and the person's private link (testimony/submit_views.py)."""

from django.urls import path

from testimony import submit_views

urlpatterns = [
    path("testimony/new/", submit_views.pick_city, name="pick_city"),
    path("cities/<slug:slug>/testimony/new/", submit_views.new, name="new"),
    path("cities/<slug:slug>/testimony/thanks/", submit_views.thanks, name="thanks"),
    path("testimony/mine/<str:token>/", submit_views.mine, name="mine"),
    path("testimony/mine/<str:token>/consent/", submit_views.mine_consent, name="mine_consent"),
    path("testimony/mine/<str:token>/withdraw/", submit_views.mine_withdraw, name="mine_withdraw"),
]
