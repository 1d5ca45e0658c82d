from django.urls import path  # noqa: F401  (the events pages are added here)

app_name = "events"
urlpatterns: list = []
