"""Words after the house number that name no place this portal knows, written without a comma
("Hauptstr. 10 Frechen"): found in the outside tryout of #13, where the answer was Köln's
Hauptstraßen without the number and without a word why, so a citizen of Frechen was offered
Köln's streets to pick from."""

import pytest
from django.utils import translation

from geoportal import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.mark.parametrize(
    ("query", "words", "first"),
    [
        ("Hauptstr. 10 Frechen", "Frechen", "Hauptstraße 10, "),
        ("Kölner Str. 1 Leverkusen", "Leverkusen", "Kölner Straße 1, "),
        ("Venloer Straße 200 Hinterhof", "Hinterhof", "Venloer Straße 200, 50823 Köln"),
    ],
)
def test_unknown_words_after_the_number_keep_the_number_and_say_why_a_form_asks(
    query, words, first
):
    result = selectors.geocode_search(query=query)
    assert result.hits and result.hits[0].label.startswith(first)
    assert result.hits[0].precision == "interpolated"
    assert f"„{words}“ kennen wir nicht als Ort in Köln" in result.reason
    assert not selectors.search_hit_is_sure(result=result)
    answer = selectors.geocode_address(query=query)
    assert answer.hit is None and answer.problem == result.reason


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Venloer Straße 200 Ehrenfeld", "Venloer Straße 200, 50823 Köln"),
        ("Hauptstraße 5 Zündorf", "Hauptstraße 5, 51143 Köln-Zündorf"),
        ("Straße des 17. Juni", "Straße des 17. Juni, Köln"),
    ],
)
def test_a_served_place_after_the_number_or_a_number_in_the_name_is_still_taken(query, label):
    result = selectors.geocode_search(query=query)
    assert result.hits[0].label == label
    assert selectors.search_hit_is_sure(result=result)
