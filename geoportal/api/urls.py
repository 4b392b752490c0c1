from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("areas/", views.AreasAtPointView.as_view(), name="areas"),
    path("areas.geojson", views.AreasGeoJSONView.as_view(), name="areas-geojson"),
    path("geocode/reverse", views.ReverseGeocodeView.as_view(), name="geocode-reverse"),
    path("geocode/search", views.SearchView.as_view(), name="geocode-search"),
]
