from django.urls import path

from . import views

# Included by reports/urls.py under /api/reports/ in the "reports" namespace.
urlpatterns = [
    path("", views.ReportListView.as_view(), name="api-list"),
    path("categories/", views.CategoryListView.as_view(), name="api-categories"),
    path("duplicates/", views.DuplicatesView.as_view(), name="api-duplicates"),
    path("place/", views.PlaceView.as_view(), name="api-place"),
    path("photo-location/", views.PhotoLocationView.as_view(), name="api-photo-location"),
    path("geojson/", views.ReportsGeoJSONView.as_view(), name="api-geojson"),
    path("outbox-health/", views.OutboxHealthView.as_view(), name="api-outbox-health"),
    path("<str:number>/", views.ReportDetailView.as_view(), name="api-detail"),
]
