"""The register's spelling with the city after a comma, as Köln's own Mängelmelder "Sag's uns"
writes its answers ("Geyergasse (Altstadt/Nord), Köln", fixtures/koeln/koeln_sagsuns_pins.csv):
found in the outside tryout of #13, where the quarter in parentheses was searched as part of
the street's name and the form asked about a weak "Geyergasse, Köln" (confidence 0.42)."""

import pytest
from django.utils import translation

from geoportal import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Geyergasse (Altstadt/Nord), Köln", "Geyergasse, Köln"),
        ("Hauptstr. (Rodenkirchen), Köln", "Hauptstraße, Köln-Rodenkirchen"),
        ("Hauptstr. (Zündorf), Köln", "Hauptstraße, Köln-Zündorf"),
        ("Schillerstr. We, Köln", "Schillerstraße, Köln-Weiden"),
    ],
)
def test_the_register_spelling_with_the_city_after_it_is_the_one_street(query, label):
    result = selectors.geocode_search(query=query)
    assert result.hits[0].label == label and result.hits[0].confidence == 1.0
    assert selectors.search_hit_is_sure(result=result)


def test_a_quarter_in_parentheses_the_street_is_not_in_still_asks():
    result = selectors.geocode_search(query="Geyergasse (Ehrenfeld), Köln")
    assert result.hits[0].label == "Geyergasse, Köln"
    assert result.reason == "„Geyergasse“ liegt nicht in Ehrenfeld."
    assert not selectors.search_hit_is_sure(result=result)


@pytest.mark.parametrize(
    "query",
    [
        "Hauptstraße 5 (Zündorf)",
        "Hauptstraße (Zündorf) 5",
        "Hauptstraße 5 (Zündorf), Köln",
        "Hauptstraße (Zündorf) 5, Köln",
        "Hauptstr. 5, Köln-Zündorf",
        "Hauptstraße 5 (Zündorf), 51143 Köln",
    ],
)
def test_the_house_number_survives_the_register_spelling_in_every_order(query):
    """"Hauptstraße 5 (Zündorf), Köln" found the street without its number: with the city after
    the comma, "Hauptstraße 5" was searched as a street's name (outside tryout, session 9)."""
    result = selectors.geocode_search(query=query)
    hit = result.hits[0]
    assert hit.label == "Hauptstraße 5, 51143 Köln-Zündorf"
    assert hit.precision == "interpolated" and hit.kind == "address"
    assert selectors.search_hit_is_sure(result=result)
