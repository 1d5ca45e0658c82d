"""All testimony URLs under one namespace; each part of the app keeps its own list."""

from testimony import moderation_urls, public_urls, submit_urls

app_name = "testimony"
urlpatterns = [*submit_urls.urlpatterns, *moderation_urls.urlpatterns, *public_urls.urlpatterns]
