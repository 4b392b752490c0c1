"""The PlanZV designations in the page's language: English names on English pages (legend, the
point query the popup shows, the area statistics), the plan's German term on German pages and in
every data output, whatever the language."""

from django.utils import translation

from landuse import planzv
from landuse.classes import CLASSES

AIRPORT = {"lat": 50.866, "lon": 7.143}


def test_every_class_has_an_english_name_and_its_german_label_unchanged():
    with translation.override("de"):
        assert {key: planzv.label(key) for key in CLASSES} == {
            key: cls.label for key, cls in CLASSES.items()
        }
    with translation.override("en"):
        untranslated = [key for key, cls in CLASSES.items() if planzv.label(key) == cls.label]
        assert untranslated == []
        assert planzv.label("wohnbauflaeche") == "Residential building area"


def test_the_legend_speaks_the_page_language(client, koeln_plan):
    english = client.get("/fnp/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    german = client.get("/fnp/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Area for air traffic" in english and "Fläche für den Luftverkehr" not in english
    assert "Industrial area" in english and "Industriegebiet" not in english
    assert "Fläche für den Luftverkehr" in german and "Area for air traffic" not in german
    assert english.count("<li data-class=") == german.count("<li data-class=") == 19


def test_the_point_query_gives_both_the_plan_term_and_the_page_name(client, koeln_plan):
    english = client.get("/api/landuse/at", AIRPORT, HTTP_ACCEPT_LANGUAGE="en").json()
    german = client.get("/api/landuse/at", AIRPORT, HTTP_ACCEPT_LANGUAGE="de").json()
    [en], [de] = english["results"], german["results"]
    assert (en["label"], en["display_label"]) == (
        "Fläche für den Luftverkehr",
        "Area for air traffic",
    )
    assert de["label"] == de["display_label"] == "Fläche für den Luftverkehr"
    stats = client.get("/api/landuse/stats", HTTP_ACCEPT_LANGUAGE="en").json()
    airport = next(c for c in stats["classes"] if c["class_key"] == "luftverkehr")
    assert (airport["label"], airport["display_label"]) == (
        "Fläche für den Luftverkehr",
        "Area for air traffic",
    )


def test_data_outputs_keep_the_german_term_in_english(client, koeln_plan):
    """The QGIS/SLD legend of the service layer is data for planners: the PlanZV wording."""
    sld = client.get(
        "/ogcapi/collections/landuse/styles/default", {"f": "sld"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Fläche für den Luftverkehr" in sld and "Area for air traffic" not in sld
