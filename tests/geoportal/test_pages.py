"""Small things every page relies on."""

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_and_pages_link_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header, not an HTML error page
    assert "max-age" in response["Cache-Control"]
    assert 'rel="icon"' in client.get("/").content.decode()


def test_an_unknown_api_address_is_a_json_404_and_a_page_address_an_html_one(client):
    api = client.get("/api/poi/a%2Fb/near")
    assert api.status_code == 404 and api.json()["status"] == 404
    assert set(api.json()) == {"status", "detail", "errors"}
    page = client.get("/gibt-es-nicht/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]
