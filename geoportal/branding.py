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
    for key in ("logo", "favicon"):
        if brand[key].startswith("http") and not brand[key].startswith("https://"):
            raise BrandError(f"{path}: {key}: https:// or a static file path")
    return brand
