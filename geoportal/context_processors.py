from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse


def _asset(path: str) -> str:
    return path if path.startswith("https://") else static(path)


def portal(request):
    brand = settings.GEOPORTAL_BRAND
    raster = settings.GEOPORTAL_BASEMAP_RASTER
    return {
        "portal_name": settings.GEOPORTAL_NAME,
        "brand": brand,
        "brand_logo_url": _asset(brand["logo"]) if brand["logo"] else "",
        "brand_favicon_url": _asset(brand["favicon"]),
        # Read by geoportal/static/geoportal/basemap.js on every Leaflet map (json_script).
        "basemap_config": {
            "tiles": reverse("services:basemap-tile", args=[0, 0, 0]).replace(
                "/0/0/0.mvt", "/{z}/{x}/{y}.mvt"
            ),
            "attribution": brand["data_attribution"],
            "raster": raster,
            # Where a map without anything to show opens (the settings' one centre and zoom).
            "center": list(settings.GEOPORTAL_MAP_CENTER),
            "zoom": settings.GEOPORTAL_MAP_ZOOM,
        },
    }
