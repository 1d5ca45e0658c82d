from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/feed.ics", views.feed, name="feed"),
    path("events/feed/city/<slug:slug>.ics", views.feed_city, name="feed_city"),
    path("events/feed/theme/<slug:slug>.ics", views.feed_theme, name="feed_theme"),
    path("events/<slug:slug>/", views.detail, name="detail"),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="ics"),
    path("webinars/", views.webinars, name="webinars"),
    path("webinars/<slug:slug>/", views.webinar_detail, name="webinar_detail"),
    path("organize/<slug:slug>/events/", views.organize_list, name="organize_list"),
    path("organize/<slug:slug>/events/new/", views.organize_create, name="organize_create"),
    path("organize/<slug:slug>/events/<int:event_id>/edit/", views.organize_edit, name="organize_edit"),
    path("organize/<slug:slug>/events/<int:event_id>/delegates/", views.delegates, name="delegates"),
]
