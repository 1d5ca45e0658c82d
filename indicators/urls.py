from django.urls import path

from indicators import views

app_name = "indicators"
urlpatterns = [
    # Before cities' "cities/<slug>/": "compare" is no city.
    path("cities/compare/", views.compare, name="compare"),
    path("cities/indicators.csv", views.values_csv, name="csv"),
    path("cities/<slug:slug>/profile/", views.profile, name="profile"),
    path("cities/<slug:slug>/profile.csv", views.city_csv, name="city_csv"),
    path("organize/<slug:slug>/profile/", views.organize, name="organize"),
    path("organize/<slug:slug>/profile/figure/", views.add_value, {"kind": "outcome"}, name="add_figure"),
    path("organize/<slug:slug>/profile/fact/", views.add_value, {"kind": "structural"}, name="add_fact"),
    path("organize/<slug:slug>/profile/<slug:indicator>/history/", views.history, name="history"),
]
