"""The municipality's brand: name, logo, colours, favicon, imprint and privacy links, contact.

A city brands the portal with a JSON file (GEOPORTAL_BRAND_FILE) and no code; the demo's
"Geoportal Köln (Demo)" is fixtures/brand/koeln-demo.json. Checked once at start-up: a colour
that is not a plain hex value could inject CSS, and an accent colour too pale for white text
would make every page fail WCAG contrast, so both stop the start with a message instead.
Settings import this module: no Django models here.
"""

import json
import re
from pathlib import Path

from .crs import GERMANY_WGS84

DEFAULTS = {
    "name": "Geoportal",
    "municipality": "",
    "logo": "",  # a static file path ("geoportal/brand/logo.svg") or an https:// URL; "" = none
    "favicon": "geoportal/favicon.svg",
    "colors": {
        "accent": "#1d4e89",  # header, buttons, links
        "accent_text": "#ffffff",  # text on the accent colour
        "ink": "#111111",
        "paper": "#ffffff",
        "focus": "#ffbf47",
    },
    "imprint_url": "",
    "privacy_url": "",
    "contact": {"name": "", "email": "", "phone": "", "address": ""},
    # The footer's source line for the city's own data (the own base map draws it too).
    "data_attribution": "",
    # The licence of the city's own data (areas, streets, land use) as open data: its short
    # name ("dl-de/by-2.0", "CC BY 3.0 DE", "dl-de/zero-2.0", "ODbL 1.0"; opendata/metadata.py).
    # "" = none declared: those layers are not offered as open data at all.
    "data_licence": "",
    # The municipality's official key (AGS, 8 digits, "08221000"): the place the open data's
    # catalogue names (DCAT-AP.de politicalGeocodingURI).
    "municipality_key": "",
    # Where every map opens before it has anything of its own to show ([lat, lon], Leaflet's
    # zoom). The default is the middle of Germany, not any one city: a portal set up for
    # another city must never open on the demo's (settings.GEOPORTAL_MAP_CENTER reads this).
    "map": {"center": [51.16, 10.45], "zoom": 6},
    # The address points' terms as open data, where they are not the city's own data like its
    # streets (the demo's are Essen's): licence short name, attribution, publisher, AGS. Empty
    # values fall back to the city's (data_licence, data_attribution, municipality,
    # municipality_key).
    "addresses": {"licence": "", "attribution": "", "publisher": "", "municipality_key": ""},
}
HEX = re.compile(r"\A#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
LINK = re.compile(r"\A(?:https?://|/)[^\s\"'<>]*\Z")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


class BrandError(ValueError):
    pass


def _luminance(color: str) -> float:
    digits = color[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _check_map(path, view: dict) -> None:
    unknown = set(view) - set(DEFAULTS["map"])
    if unknown:
        raise BrandError(f"{path}: unknown keys map.{', map.'.join(sorted(unknown))}")
    center, zoom = view["center"], view["zoom"]
    lon_min, lat_min, lon_max, lat_max = GERMANY_WGS84
    numbers = isinstance(center, list) and len(center) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in center
    )
    # [lat, lon] as Leaflet takes it; swapped values land outside Germany and are caught here.
    if not numbers or not (lat_min <= center[0] <= lat_max and lon_min <= center[1] <= lon_max):
        raise BrandError(
            f"{path}: map.center = {center!r}: [latitude, longitude] in Germany, e.g. [49.41, 8.69]"
        )
    if not isinstance(zoom, int) or isinstance(zoom, bool) or not 5 <= zoom <= 19:
        raise BrandError(f"{path}: map.zoom = {zoom!r}: a whole number from 5 to 19")


def load(path: str | Path | None) -> dict:
    """The brand from `path` laid over DEFAULTS, checked. Raises BrandError naming the key."""
    data = {}
    if path:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BrandError(f"GEOPORTAL_BRAND_FILE {path}: {exc}") from exc
    unknown = set(data) - set(DEFAULTS) - {"_comment"}
    if unknown:
        raise BrandError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    brand = {**DEFAULTS, **{k: v for k, v in data.items() if k != "_comment"}}
    brand["colors"] = {**DEFAULTS["colors"], **data.get("colors", {})}
    brand["contact"] = {**DEFAULTS["contact"], **data.get("contact", {})}
    brand["map"] = {**DEFAULTS["map"], **data.get("map", {})}
    brand["addresses"] = {**DEFAULTS["addresses"], **data.get("addresses", {})}
    if set(brand["addresses"]) != set(DEFAULTS["addresses"]):
        raise BrandError(
            f"{path}: addresses: only the keys {', '.join(DEFAULTS['addresses'])}"
        )
    _check_map(path, brand["map"])
    for key, value in brand["colors"].items():
        if key not in DEFAULTS["colors"] or not HEX.match(str(value)):
            raise BrandError(f"{path}: colors.{key} = {value!r}: use a known key and #rrggbb")
    for text, background in (("accent_text", "accent"), ("ink", "paper"), ("accent", "paper")):
        ratio = contrast(brand["colors"][text], brand["colors"][background])
        if ratio < MIN_CONTRAST:
            raise BrandError(
                f"{path}: colors.{text} on colors.{background} has contrast {ratio:.1f}:1;"
                f" WCAG AA needs {MIN_CONTRAST}:1"
            )
    for key in ("imprint_url", "privacy_url"):
        if brand[key] and not LINK.match(brand[key]):
            raise BrandError(f"{path}: {key} = {brand[key]!r}: an https:// or /path link")
    for label, key in (("municipality_key", brand["municipality_key"]),
                       ("addresses.municipality_key", brand["addresses"]["municipality_key"])):
        if key and not re.fullmatch(r"\d{8}", key):
            raise BrandError(f"{path}: {label}: the 8-digit AGS, e.g. 08221000")
    for key in ("logo", "favicon"):
        if brand[key].startswith("http") and not brand[key].startswith("https://"):
            raise BrandError(f"{path}: {key}: https:// or a static file path")
    return brand
