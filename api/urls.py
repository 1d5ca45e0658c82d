from django.urls import path

from api import views
from api.v1 import api

# No namespace of its own: ninja reverses its schema URL under its namespace "api-v1" at the top level.
urlpatterns = [
    # Before the API's own routes: the reference page is ours, rendered from the schema (api/reference.py).
    path("api/v1/docs/", views.api_reference, name="api_reference"),
    path("api/v1/", api.urls),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/datapackage.json", views.datapackage_json, name="open_data_package"),
    path("open-data/upr-cities-open-data.zip", views.package_zip, name="open_data_zip"),
    path("open-data/<slug:name>.csv", views.dataset_csv, name="open_data_csv"),
    path("feeds/<slug:key>.atom", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
