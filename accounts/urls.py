from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/2fa/enrol/", views.enrolment_page, name="enrolment"),
    path("accounts/2fa/enrol/<str:token>/", views.enrolment_link, name="enrolment_link"),
]
