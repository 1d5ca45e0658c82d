from django.urls import path

from events import registration_views as views

app_name = "registrations"
urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("events/<slug:slug>/register/check-your-email/", views.check_email, name="check_email"),
    path("events/registration/<str:token>/", views.detail, name="detail"),
    path("events/registration/<str:token>/confirm/", views.confirm, name="confirm"),
    path("events/registration/<str:token>/cancel/", views.cancel, name="cancel"),
    path("events/registration/<str:token>/delete/", views.erase, name="erase"),
    path("organize/<slug:slug>/events/<int:event_id>/registrations/", views.organize_list, name="organize_list"),
    path("organize/<slug:slug>/events/<int:event_id>/registrations.csv", views.organize_csv, name="organize_csv"),
]
