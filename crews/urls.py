from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "crews"
urlpatterns = [
    path("einsatz/", views.queue, name="queue"),
    path("einsatz/anmelden/", views.LoginView.as_view(), name="login"),
    path(
        "einsatz/abmelden/",
        auth_views.LogoutView.as_view(next_page="/einsatz/anmelden/"),
        name="logout",
    ),
    path("einsatz/meldung/<int:report_id>/", views.detail, name="detail"),
    path("einsatz/amt/<int:office_id>/", views.dashboard, name="dashboard"),
    path("einsatz/api/meldungen/<int:report_id>/", views.api_state, name="api-state"),
    path("einsatz/api/meldungen/<int:report_id>/aenderung/", views.api_change, name="api-change"),
    path("einsatz/sw.js", views.service_worker, name="sw"),
    path("einsatz/manifest.webmanifest", views.manifest, name="manifest"),
]
