from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control


def map_page(request):
    return render(request, "geoportal/map.html")


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    # Browsers, feed readers and crawlers ask /favicon.ico whatever the page links: answer it.
    path = finders.find("geoportal/favicon.ico")
    if path is None:
        raise Http404("favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
