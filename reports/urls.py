from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("organize/<slug:slug>/report/", views.edit, name="edit"),
    path("organize/<slug:slug>/report/preview/", views.preview, name="preview"),
    path("organize/<slug:slug>/report/render/", views.request_render, name="render"),
    path("organize/<slug:slug>/report/renders/<int:render_id>/", views.render_status, name="render_status"),
    path("organize/<slug:slug>/report/renders/<int:render_id>/retry/", views.retry, name="retry"),
    path("organize/<slug:slug>/report/renders/<int:render_id>/download/", views.download, name="download"),
    path("cities/<slug:slug>/report/", views.public_report, name="public"),
    path("cities/<slug:slug>/report/pdf/", views.public_pdf, name="public_pdf"),
]
