from django.urls import path

from . import views

# Included by reports/urls.py under /open311/v2/. Every endpoint ends in .json or .xml.
urlpatterns = [
    path("discovery.<str:fmt>", views.discovery, name="open311-discovery"),
    path("services.<str:fmt>", views.service_list, name="open311-services"),
    path("services/<str:code>.<str:fmt>", views.service_definition, name="open311-service"),
    path("requests.<str:fmt>", views.requests, name="open311-requests"),
    path("requests/<str:request_id>.<str:fmt>", views.request_detail, name="open311-request"),
    path("tokens/<str:token>.<str:fmt>", views.token_detail, name="open311-token"),
]
