from django.urls import path

from resources import views

app_name = "resources"
urlpatterns = [
    path("resources/", views.resource_list, name="list"),
    path("resources/suggest/", views.suggest, name="suggest"),
    path("resources/<slug:slug>/", views.detail, name="detail"),
    path("resources/<slug:slug>/file/", views.resource_file, name="file"),
]
