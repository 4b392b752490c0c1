"""The portal's URLs plus one view that fails, for the production error-page test."""

from django.urls import path

from geoportal.urls import urlpatterns as portal


def boom(request):
    raise RuntimeError("secret internals: do not show me")


urlpatterns = [path("boom/", boom), *portal]
