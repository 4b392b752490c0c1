from django.urls import path

from . import api, views

app_name = "councilmap"
urlpatterns = [
    path("rat/", views.council_map, name="map"),
    path("rat/vorlagen/<int:pk>/", views.paper_page, name="paper"),
    path("api/rat/beschluesse.geojson", api.DecisionGeoJSON.as_view(), name="api-decisions"),
    path("api/rat/statistik/", api.DecisionStatistics.as_view(), name="api-statistics"),
]
