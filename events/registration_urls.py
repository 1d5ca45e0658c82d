from django.urls import path  # noqa: F401  (registration links are added here)

app_name = "registrations"
urlpatterns: list = []
