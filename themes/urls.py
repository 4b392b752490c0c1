from django.urls import path

from . import views
from .api import views as api

app_name = "themes"
urlpatterns = [
    path("zonen/", views.zones_page, name="zones"),
    path("in-der-naehe/", views.near_index, name="near-index"),
    path("in-der-naehe/<slug:name>/", views.near_page, name="near"),
    path("api/zones/at", api.ZonesAtView.as_view(), name="zones-at"),
    path("api/poi/<slug:name>/near", api.PlacesNearView.as_view(), name="poi-near"),
]
