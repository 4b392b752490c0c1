"""The public report list shows each report's first public photo as a small thumbnail."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from reports.services import report_photos_clean
from tests.reports.conftest import DOM, jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_the_list_shows_a_thumbnail_of_the_first_public_photo(
    client, make_report, django_assert_max_num_queries
):
    photos = report_photos_clean(uploads=[jpeg_with_gps(*DOM, size=(1600, 1200))])
    with_photo = make_report(*DOM, photos=photos)
    without = make_report(*DOM, description="Ein zweites Loch, ohne Foto.")
    with django_assert_max_num_queries(6):  # the photo is a subquery, not a query per row
        html = client.get("/meldungen/").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    row = next(r for r in rows if with_photo.number in r)
    src = re.search(r'<img src="([^"]+-klein\.jpg)" alt="Foto zur Meldung [^"]+"', row)[1]
    assert "<img" not in next(r for r in rows if without.number in r)

    thumb = client.get(src)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    image = Image.open(
        io.BytesIO(b"".join(thumb.streaming_content) if thumb.streaming else thumb.content)
    )
    assert image.size == (160, 160)
    assert not image.getexif(), "pixels only, like the photo it is made from"

    # Removed by moderation: no thumbnail any more, and the list no longer offers it.
    with_photo.photos.update(hidden_at=timezone.now())
    assert client.get(src).status_code == 404
    assert src not in client.get("/meldungen/").content.decode()
