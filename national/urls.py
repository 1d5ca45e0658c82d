from django.urls import path

from national import views

app_name = "national"
urlpatterns = [
    path("organize/national/", views.national, name="dashboard"),
    path("organize/national/progress.csv", views.national_csv, name="dashboard_csv"),
    path("sign-off/<str:token>/", views.sign_off, name="sign_off"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
]
