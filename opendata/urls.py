from django.urls import path

from . import stats_views, views

app_name = "opendata"
urlpatterns = [
    path("opendata/", views.catalog, name="catalog"),
    path("opendata/catalog.jsonld", views.catalog_jsonld, name="catalog-jsonld"),
    path("opendata/<str:name>.<str:ext>", views.download, name="download"),
    path("opendata/<str:name>/", views.dataset_page, name="dataset"),
    path("statistik/", stats_views.statistics_page, name="statistics"),
    path("statistik/bezirke.geojson", stats_views.district_geojson, name="district-geojson"),
    path("statistik/<slug:name>.<str:fmt>", stats_views.statistics_export, name="export"),
]
