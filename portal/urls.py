from django.urls import path

from portal import views

urlpatterns = [
    # One-click opt-out of optional emails (RFC 8058); the view is CSRF-exempt itself, the signed token is the key.
    path("email/stop/<str:token>/", views.email_stop, name="email_stop"),
]
