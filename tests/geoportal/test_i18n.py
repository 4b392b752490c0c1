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


def test_403_and_404_answers_follow_the_language_too(client):
    german = client.post("/api/reports/", {}).json()["detail"]
    english = client.post("/api/reports/", {}, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert german == "Ein gültiger API-Schlüssel ist nötig (Kopfzeile X-Api-Key)."
    assert english == "A valid API key is required (header X-Api-Key)."
    assert client.get("/api/reports/0000-00000/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == (
        "No public report with this number."
    )
    crew = client.post("/einsatz/api/meldungen/1/aenderung/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert (crew.status_code, crew.json()["error"]) == (403, "Login required.")


def test_the_script_catalogue_is_served_per_language(client):
    english = client.get("/i18n/js/en.js")
    assert english.status_code == 200
    assert english["Content-Type"].startswith("text/javascript")
    assert "max-age=3600" in english["Cache-Control"]
    assert '"Nichts gefunden."' in english.content.decode()
    assert '"Nothing found."' in english.content.decode()
    assert client.get("/i18n/js/xx.js").status_code == 404


def test_the_admin_names_models_in_either_language(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chef", "chef@example.org", "pw"))
    german = client.get("/admin/").content.decode()
    english = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Adressen" in german and "Stadt und Gazetteer" in german
    assert "Addresses" in english and "City and gazetteer" in english and "Routing rules" in english
    assert "Addresss" not in english + german


def test_area_kinds_are_interface_words(client):
    """The map's "what is here" shows kind_label and name: "City district Innenstadt" on an
    English page; the stored and filtered value stays the key ("district")."""
    dom = {"lat": 50.9413, "lon": 6.9581}
    english = client.get("/api/areas/", dom, HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    german = client.get("/api/areas/", dom, HTTP_ACCEPT_LANGUAGE="de").json()["results"]
    assert [(a["kind"], a["kind_label"]) for a in english] == [
        ("municipality", "Municipality"), ("district", "City district"), ("quarter", "Quarter")
    ]
    assert [a["kind_label"] for a in german] == ["Gemeinde", "Stadtbezirk", "Stadtteil"]
