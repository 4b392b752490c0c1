"""A municipality brands the portal with a JSON file and no code; the demo's Köln is one brand."""

import json

import pytest
from django.conf import settings

from geoportal import branding

BONN = {
    "name": "Geoportal Bonn",
    "municipality": "Bundesstadt Bonn",
    "logo": "https://www.bonn.example/logo.svg",
    "favicon": "https://www.bonn.example/favicon.png",
    "colors": {"accent": "#7a1e3a", "accent_text": "#ffffff", "focus": "#ffd400"},
    "imprint_url": "https://www.bonn.example/impressum",
    "privacy_url": "/datenschutz/",
    "contact": {
        "name": "Stadtplanungsamt",
        "email": "geoportal@bonn.example",
        "phone": "0228 77 0",
    },
    "data_attribution": "Geodaten: Bundesstadt Bonn, dl-de/by-2-0",
}


def _write(tmp_path, data) -> str:
    path = tmp_path / "brand.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def bonn(settings, tmp_path):
    settings.GEOPORTAL_BRAND = branding.load(_write(tmp_path, BONN))
    settings.GEOPORTAL_NAME = settings.GEOPORTAL_BRAND["name"]
    return settings.GEOPORTAL_BRAND


def test_the_demo_brand_is_a_brand_file_like_any_other():
    demo = branding.load(settings.BASE_DIR / "fixtures/brand/koeln-demo.json")
    assert demo == settings.GEOPORTAL_BRAND
    assert demo["name"] == "Geoportal Köln (Demo)" == settings.GEOPORTAL_NAME


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/status/", "/einsatz/anmelden/"])
def test_pages_render_with_another_brand(client, bonn, path):
    html = client.get(path).content.decode()
    assert "Köln" not in html.split("<main")[0], "nothing of the demo brand in the head/header"
    assert "--accent: #7a1e3a" in html and "--focus: #ffd400" in html
    assert 'href="https://www.bonn.example/favicon.png"' in html
    assert 'content="#7a1e3a"' in html, "theme-color"
    assert "Geodaten: Bundesstadt Bonn, dl-de/by-2-0" in html


@pytest.mark.django_db
def test_the_portal_header_and_footer_carry_name_logo_links_and_contact(client, bonn):
    html = client.get("/status/").content.decode()
    assert "<title>Status – Geoportal Bonn</title>" in html
    assert '<img src="https://www.bonn.example/logo.svg" alt=""' in html
    assert '<a href="https://www.bonn.example/impressum">Impressum</a>' in html
    assert '<a href="/datenschutz/">Datenschutz</a>' in html
    assert 'href="mailto:geoportal@bonn.example">Stadtplanungsamt</a>' in html
    assert 'href="tel:0228770"' in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colors": {"accent": "red; background: url(x)"}}, "colors.accent"),
        ({"colors": {"accent": "#9ecbff"}}, "contrast"),
        ({"colors": {"link": "#000000"}}, "colors.link"),
        ({"imprint_url": "javascript:alert(1)"}, "imprint_url"),
        ({"logo": "http://insecure.example/logo.png"}, "logo"),
        ({"slogan": "Köln kann"}, "unknown keys slogan"),
        ({"addresses": {"owner": "Stadt Essen"}}, "addresses: only the keys"),
        ({"addresses": {"municipality_key": "5113"}}, "addresses.municipality_key"),
    ],
)
def test_a_bad_brand_file_names_what_to_fix(tmp_path, change, message):
    with pytest.raises(branding.BrandError, match=message):
        branding.load(_write(tmp_path, {**BONN, **change}))


def test_a_missing_brand_file_is_a_clear_error(tmp_path):
    with pytest.raises(branding.BrandError, match="GEOPORTAL_BRAND_FILE"):
        branding.load(tmp_path / "nope.json")


def test_contrast_follows_wcag():
    assert round(branding.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(branding.contrast("#1d4e89", "#ffffff"), 1) >= 4.5
