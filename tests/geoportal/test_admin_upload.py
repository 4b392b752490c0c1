"""The three admin uploads (land-use plan, Bebauungsplan, thematic layer) are one page: the
shared template admin/geoportal/upload.html, each filling only its blocks."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

PAGES = [
    ("/admin/landuse/plan/upload/", "/admin/landuse/plan/", "landuse/plan/upload.html"),
    ("/admin/landuse/bplan/upload/", "/admin/landuse/bplan/", "landuse/bplan/upload.html"),
    (
        "/admin/themes/datasetlayer/upload/",
        "/admin/themes/datasetlayer/",
        "themes/datasetlayer/upload.html",
    ),
]


@pytest.mark.parametrize(("url", "changelist", "page"), PAGES, ids=lambda v: v)
def test_every_upload_page_is_the_shared_page_with_its_own_intro(
    admin_client, url, changelist, page
):
    response = admin_client.get(url)
    assert response.status_code == 200
    names = [t.name for t in response.templates]
    assert f"admin/{page}" in names and "admin/geoportal/upload.html" in names
    html = response.content.decode()
    assert f'href="{changelist}"' in html, "the breadcrumb leads back to the list"
    assert 'name="dry_run"' in html and 'type="file"' in html
    intro = re.search(r'<div id="content"[^>]*>.*?<p>(.+?)</p>', html, re.S)
    assert intro and len(intro.group(1)) > 20, "the page says what the file should be"
    assert "import-errors" not in html


@pytest.mark.parametrize(("url", "changelist", "page"), PAGES, ids=lambda v: v)
def test_a_refused_file_is_named_once_in_one_error_list(admin_client, url, changelist, page):
    response = admin_client.post(
        url, {"file": SimpleUploadedFile("kaputt.txt", b"hello"), "name": "x", "kind": "zone"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    box = re.search(r'<div class="errornote import-errors" role="alert">(.+?)</div>', html, re.S)
    assert box and "kaputt.txt" in box.group(1)
    assert html.count("kaputt.txt") == 1, "the message is not repeated beside the field"
    assert re.search(r'<input type="file"[^>]*aria-invalid="true"', html)
