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
