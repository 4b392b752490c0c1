from django.urls import path

from . import views
from .api import views as api

app_name = "landuse"
urlpatterns = [
    path("fnp/", views.plan_page, name="plan"),
    path("api/landuse/at", api.LandUseAtView.as_view(), name="at"),
    path("api/landuse/plan.geojson", api.PlanGeoJSONView.as_view(), name="plan-geojson"),
    path("api/landuse/stats", api.StatsView.as_view(), name="stats"),
    path("fnp/bplan/<int:plan_id>/xplan", views.bplan_original, name="bplan-original"),
    path("fnp/bplan/<int:plan_id>/dokumente/<str:name>", views.bplan_document,
         name="bplan-document"),
]
