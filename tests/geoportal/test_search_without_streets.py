"""The search on a city that serves its outline before its street register
(docs/new-city.md): a miss says addresses cannot be looked up yet, with the report intake's
code `address_unavailable`, not "Keine Straße und kein Ort ähnelt …" (no spelling helps)."""

import pytest
from playwright.sync_api import expect

from geoportal.models import Address, Street, StreetNode

NOT_YET = "Adressen können wir hier noch nicht nachschlagen"


def _outline_only() -> None:
    Address.objects.all().delete()
    StreetNode.objects.all().delete()
    Street.objects.all().delete()  # and their segments


@pytest.mark.django_db
def test_a_miss_without_streets_says_addresses_cannot_be_looked_up_yet(client):
    answer = client.get("/api/geocode/search", {"q": "Venloer Straße 200"}).json()
    assert answer["code"] == "" and answer["results"]  # with streets: found, no code
    _outline_only()
    for typed in ("Venloer Straße 200", "Hauptstraße"):
        answer = client.get("/api/geocode/search", {"q": typed}).json()
        assert answer["results"] == [] and answer["code"] == "address_unavailable"
        assert answer["reason"].startswith(NOT_YET)
    english = client.get("/api/geocode/search", {"q": "Hauptstraße"},
                         HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["reason"].startswith("Addresses cannot be looked up here yet")
    ehrenfeld = client.get("/api/geocode/search", {"q": "Ehrenfeld"}).json()
    assert ehrenfeld["results"][0]["label"].startswith("Ehrenfeld")  # areas are still found
    assert ehrenfeld["code"] == ""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_live_search_says_so_too(page, live_server):
    _outline_only()  # committed; the session's city is put back after this test
    page.goto(live_server.url + "/")
    page.locator("#search-q").fill("Venloer Straße 200")
    expect(page.locator("#search-results .empty")).to_contain_text(NOT_YET)
    expect(page.locator("#search-results")).not_to_contain_text("Keine Straße und kein Ort")
