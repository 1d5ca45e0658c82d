from django.urls import path

from tracking import views

app_name = "tracking"
urlpatterns = [
    path("scorecard/", views.network_scorecard, name="network"),
    path("scorecard.csv", views.network_scorecard_csv, name="network_csv"),
    path("cities/<slug:slug>/scorecard/", views.city_scorecard, name="scorecard"),
    path("cities/<slug:slug>/scorecard.csv", views.city_scorecard_csv, name="scorecard_csv"),
    path("tracking/documents/<int:evidence_id>/", views.evidence_file, name="document"),
    path("tracking/reply/<str:token>/", views.reply, name="reply"),
    path("scorecard/follow/", views.follow, name="follow"),
    path("scorecard/follow/check-your-email/", views.follow_check_email, name="follow_check_email"),
    path("scorecard/follow/<str:token>/", views.follow_confirm, name="follow_confirm"),
    path("organize/<slug:slug>/tracking/", views.board, name="board"),
    path("organize/<slug:slug>/tracking/choose/", views.choose, name="choose"),
    path("organize/<slug:slug>/tracking/export.csv", views.export_items, name="export"),
    path("organize/<slug:slug>/tracking/import/", views.import_items, name="import"),
    path("organize/<slug:slug>/tracking/brief/", views.brief_files, name="brief"),
    path("organize/<slug:slug>/tracking/brief/<int:render_id>/", views.brief_download, name="brief_download"),
    path("organize/<slug:slug>/tracking/local/", views.local, name="local"),
    path("organize/<slug:slug>/tracking/offices/", views.offices, name="offices"),
    path("organize/<slug:slug>/tracking/offices/<int:office_id>/", views.offices, name="office_edit"),
    path("organize/<slug:slug>/tracking/items/<int:item_id>/", views.item_detail, name="item"),
    path("organize/<slug:slug>/tracking/items/<int:item_id>/who/", views.item_change, name="item_change"),
    path("organize/<slug:slug>/tracking/items/<int:item_id>/quick/", views.quick_update, name="quick_update"),
    path("organize/<slug:slug>/tracking/items/<int:item_id>/reply/", views.request_reply, name="request_reply"),
    path("organize/<slug:slug>/tracking/replies/<int:reply_id>/decide/", views.decide_reply, name="decide_reply"),
]
