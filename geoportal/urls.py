from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from . import views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("api/", include("geoportal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
    path("", include("councilmap.urls")),
    path("", include("landuse.urls")),
    path("", include("crews.urls")),
]
