from django.urls import path

from api import views
from api.v1 import api

# No namespace of its own: ninja reverses its schema URL under its namespace "api-v1" at the top level.
urlpatterns = [
    # Before the API's own routes: the reference page is ours, rendered from the schema (api/reference.py).
    path("api/v1/docs/", views.api_reference, name="api_reference"),
    path("api/v1/", api.urls),
]
