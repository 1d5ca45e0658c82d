from django.urls import path

from reports import dashboard_views

app_name = "dashboard"
urlpatterns = [
    path("organize/national/", dashboard_views.national, name="national"),
    path("organize/national/progress.csv", dashboard_views.national_csv, name="national_csv"),
]
