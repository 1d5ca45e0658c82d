from django.urls import path

from testimony import public_views

urlpatterns: list = [
    path("testimony/", public_views.testimony_list, name="list"),
    path("testimony/<int:pk>/", public_views.testimony_detail, name="detail"),
    path("testimony/<int:pk>/media/", public_views.testimony_media, name="media"),
]
