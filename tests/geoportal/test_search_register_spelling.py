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
