from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from . import status_views, views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("status/", status_views.status_page, name="status"),
    path("status.json", status_views.status_json, name="status-json"),
    path("api/", include("geoportal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="schema"), name="api-docs"),
    path("api/docs/redoc.standalone.js", views.api_docs_redoc, name="api-docs-redoc"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("i18n/js/<str:lang>.js", views.js_catalog, name="js-catalog"),
    path("sprache/<str:code>/", views.language, name="language"),
    # /wfs, /ogcapi/, /tiles/, /geojson/ (geoportal/ogc, docs/services.md)
    path("", include("geoportal.ogc.urls")),
    path("", include("reports.urls")),
    path("", include("councilmap.urls")),
    path("", include("landuse.urls")),
    path("", include("crews.urls")),
    path("", include("opendata.urls")),
    path("", include("themes.urls")),
    path("", include("alerts.urls")),
]

# Unknown addresses under /api/ answer in the API's error shape, elsewhere with the HTML page.
handler404 = "geoportal.api.errors.not_found"
