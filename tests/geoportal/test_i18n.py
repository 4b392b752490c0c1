import pytest

pytestmark = pytest.mark.django_db


def test_german_is_the_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="de">' in page
    assert "Adresse, Straße oder Stadtteil suchen" in page


def test_english_by_browser_preference(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page
    assert "Search for an address, street or district" in page


def test_language_switch_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/status/"})
    assert response.status_code == 302
    page = client.get("/status/").content.decode()
    assert "Is everything working?" in page
    assert "The database is running." in page


def test_api_errors_follow_the_language(client):
    german = client.get("/api/areas/", {"lat": 0, "lon": 0}).json()["detail"]
    english = client.get("/api/areas/", {"lat": 0, "lon": 0}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert "außerhalb des Gebiets" in german
    assert "outside the area this portal serves" in english["detail"]
