from django.urls import path

from testimony import organizer_views as views

urlpatterns = [
    path("organize/<slug:slug>/testimony/", views.moderate, name="moderate"),
    path("organize/<slug:slug>/testimony/bulk/", views.moderate_bulk, name="moderate_bulk"),
    path("organize/<slug:slug>/testimony/enter/", views.enter, name="enter"),
    path("organize/<slug:slug>/testimony/import/", views.import_csv, name="import"),
    path("organize/<slug:slug>/testimony/export.csv", views.export_csv, name="export"),
    path("organize/<slug:slug>/testimony/<int:testimony_id>/", views.moderate_detail, name="moderate_detail"),
    path(
        "organize/<slug:slug>/testimony/<int:testimony_id>/public-version/",
        views.public_version,
        name="public_version",
    ),
    path("organize/<slug:slug>/testimony/<int:testimony_id>/approve/", views.approve, name="approve"),
    path("organize/<slug:slug>/testimony/<int:testimony_id>/reject/", views.reject, name="reject"),
    path(
        "organize/<slug:slug>/testimony/<int:testimony_id>/wider-consent/",
        views.review_widening,
        name="review_widening",
    ),
]
