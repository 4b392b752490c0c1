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


@pytest.mark.parametrize(
    ("language", "who"),
    [
        ("de", ["Bürgerinnen und Bürger", "Einsatzteams", "Planung und Verwaltung"]),
        ("en", ["Citizens", "Field crews", "Planners and staff"]),
    ],
)
def test_the_start_page_says_in_one_sentence_each_what_three_visitors_can_do(language, who):
    """#19: citizen, crew member and planner each find one sentence with where to start."""
    import re

    from django.test import Client

    html = Client(HTTP_ACCEPT_LANGUAGE=language).get("/").content.decode()
    tasks = re.search(r'<ul class="tasks">(.*?)</ul>', html, re.S)[1]
    items = re.findall(r"<li>(.*?)</li>", tasks, re.S)
    assert len(items) == 3
    for item, name in zip(items, who, strict=True):
        text = re.sub(r"<[^>]+>", "", item).strip()
        assert text.startswith(name), text
        assert text.count(".") == 1 and text.endswith("."), "one sentence"
        assert re.search(r'<a href="/[^"]+/">', item), "and a link to start from"
