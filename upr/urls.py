from django.urls import path

from upr import views

app_name = "upr"
urlpatterns = [
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/<int:cycle>/<str:paragraph>/", views.recommendation_detail, name="recommendation"),
]
