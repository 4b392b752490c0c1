"""The map background every Leaflet map of the portal draws, chosen by `GEOPORTAL_BASEMAP`.

"own" (the default) draws the city's own layers (land use with its water, districts, quarters,
streets with their names) from the portal's vector tiles at /basemap/{z}/{x}/{y}.mvt, so a map
works offline and no visitor's address leaves the site. The others are raster tiles from a third
party: the browser then sends every visitor's IP address to that server, which German
municipalities may do only with consent, so the map asks first (geoportal/static/geoportal/
basemap.js) and the CSP admits that one origin. Settings import this module: no Django here.
"""

from urllib.parse import urlsplit

OWN = "own"
RASTER = {
    "osm": {
        "label": "OpenStreetMap",
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">'
        "OpenStreetMap</a>-Mitwirkende",
        "privacy": "https://osmfoundation.org/wiki/Privacy_Policy",
        "max_zoom": 19,
    },
    # The official German base map (BKG and the Länder), WMTS in Web Mercator, CC BY 4.0.
    "basemapde": {
        "label": "basemap.de",
        "url": "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/"
        "de_basemapde_web_raster_farbe/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png",
        "attribution": '&copy; <a href="https://basemap.de">basemap.de</a> / BKG '
        '(<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>)',
        "privacy": "https://www.bkg.bund.de/DE/Service/Datenschutz/datenschutz.html",
        "max_zoom": 18,
    },
}
CHOICES = (OWN, *RASTER, "custom")


def raster(name: str, *, url: str = "", attribution: str = "") -> dict | None:
    """The third-party raster base map `name` stands for; None for the portal's own.
    "custom" is any XYZ server named by `url` (GEOPORTAL_TILE_URL)."""
    if name == OWN:
        return None
    if name == "custom":
        if not url:
            raise ValueError("GEOPORTAL_BASEMAP=custom needs GEOPORTAL_TILE_URL.")
        host = urlsplit(url).hostname or url
        return {
            "label": host,
            "url": url,
            "attribution": attribution,
            "privacy": "",
            "max_zoom": 19,
        }
    if name not in RASTER:
        raise ValueError(f"GEOPORTAL_BASEMAP={name!r}: use one of {', '.join(CHOICES)}.")
    return RASTER[name]


def origin(url: str) -> str:
    """The CSP source of a tile URL template ({s} subdomains become a wildcard)."""
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc
    if "{s}" in url:
        host = "*." + host.split(".", 1)[1]
    return f"{parts.scheme}://{host}"
