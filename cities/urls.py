from django.urls import path

from cities import views

app_name = "cities"
urlpatterns = [
    path("cities/", views.directory, name="directory"),
    path("cities/<slug:slug>/", views.detail, name="detail"),
    path("organize/", views.organize, name="organize"),
]
