from django.urls import include, path

from . import moderation_views, sms_views, views

app_name = "reports"
urlpatterns = [
    path("melden/", views.report_new, name="new"),
    path("melden/danke/<str:token>/", views.report_thanks, name="thanks"),
    path("melden/bestaetigen/<str:token>/", views.report_confirm, name="confirm"),
    path("meldungen/", views.report_list, name="list"),
    path("meldungen/karte.geojson", views.reports_geojson, name="geojson"),
    path("meldungen/export.csv", views.report_export_csv, name="export"),
    path("meldungen/<str:number>/", views.report_detail, name="detail"),
    path("meldungen/<str:number>/unterstuetzen/", views.report_support, name="support"),
    path("meldungen/<str:number>/fotos/<int:photo_id>.jpg", views.report_photo, name="photo"),
    path(
        "meldungen/<str:number>/fotos/<int:photo_id>-klein.jpg",
        views.report_photo_thumb,
        name="photo-thumb",
    ),
    path("sms/status/", sms_views.sms_status, name="sms-status"),
    path("moderation/", moderation_views.moderation_queue, name="moderation-queue"),
    path("moderation/<str:number>/", moderation_views.report_moderate, name="moderate"),
    path(
        "moderation/<str:number>/fotos/<int:photo_id>.jpg",
        moderation_views.moderation_photo,
        name="moderation-photo",
    ),
    path("api/reports/", include("reports.api.urls")),
    path("open311/v2/", include("reports.open311.urls")),
]
