"""Hostile photo uploads through the REST API and the web form: refused with a clear message in
the API's error shape, never a 500; polyglots lose everything but their pixels."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports.models import Report

from .conftest import DOM

pytestmark = pytest.mark.django_db


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming width × height, with a tiny IDAT (a bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _post(client, data: bytes, name: str):
    return client.post(
        "/api/reports/",
        {
            "category": "ampel-defekt",
            "lat": DOM[1],
            "lon": DOM[0],
            "description": "Ampel aus",
            "email": "foto@example.org",
            "photos": [SimpleUploadedFile(name, data)],
        },
        HTTP_X_API_KEY="demo-open311-key",
    )


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    return out.getvalue()


HOSTILE = [
    ("text.jpg", b"#!/bin/sh\nrm -rf /\n", "kein lesbares Bild"),
    ("page.html", b"<html><script>alert(1)</script></html>", "kein lesbares Bild"),
    ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "kein lesbares"),
    ("bomb.png", _png_header_only(30_000, 30_000), "zu groß"),
    ("wide.png", _png_header_only(10_000, 6_000), "Megapixel"),
    ("truncated.jpg", _jpeg((400, 300))[:-400], "beschädigt"),
    ("anim.gif", _gif(), "GIF wird nicht angenommen"),
    ("gifar.gif", _gif() + b"PK\x03\x04" + b"\0" * 64, "GIF wird nicht angenommen"),
]


@pytest.mark.parametrize(("name", "data", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_upload_is_refused_in_the_api_error_shape(client, koeln, name, data, message):
    response = _post(client, data, name)
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["status"] == 400 and message in body["detail"]
    assert message in body["errors"]["photos"][0]
    assert not Report.objects.exists()


@pytest.mark.parametrize(("name", "data", "message"), HOSTILE[:5], ids=[h[0] for h in HOSTILE[:5]])
def test_photo_location_refuses_them_too(client, name, data, message):
    response = client.post(
        "/api/reports/photo-location/", {"photo": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400 and message in response.json()["detail"]


def test_polyglot_jpeg_keeps_only_its_pixels(client, koeln):
    payload = b"<?php system($_GET['c']); ?><script>alert(1)</script>PK\x03\x04zip"
    response = _post(client, _jpeg() + payload, "polyglot.jpg")
    assert response.status_code == 201
    (photo,) = Report.objects.get().photos.all()
    stored = default_storage.open(photo.image.name).read()
    assert stored.startswith(b"\xff\xd8") and b"<?php" not in stored and b"PK\x03\x04" not in stored


def test_web_form_shows_the_reason_at_the_photo_field(client, koeln):
    response = client.post(
        "/melden/",
        {
            "category": "ampel-defekt",
            "lat": DOM[1],
            "lon": DOM[0],
            "description": "Ampel ist dunkel.",
            "email": "foto@example.org",
            "action": "submit",
            "photos": [SimpleUploadedFile("bomb.png", _png_header_only(30_000, 30_000))],
        },
    )
    assert response.status_code == 400
    assert "zu groß" in response.content.decode()
    assert not Report.objects.exists()


def test_oversized_bodies_are_a_413_before_they_are_read(client, koeln, settings):
    settings.TRUST_MAX_BODY_BYTES = 50_000
    big = _jpeg() + b"\0" * 60_000
    rest = _post(client, big, "big.jpg")
    assert rest.status_code == 413 and rest.json() == {
        "status": 413,
        "detail": "Die Anfrage ist zu groß (höchstens 48 kB).",
        "errors": {},
    }
    open311 = client.post("/open311/v2/requests.xml", {"description": "x" * 60_000})
    assert open311.status_code == 413 and b"<code>413</code>" in open311.content
    assert not Report.objects.exists()


def _truncated_png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((300, 200), 60).convert("RGB").save(out, "PNG")
    return out.getvalue()[: out.tell() // 2]


def test_finding_4_truncated_png_is_a_400_on_every_upload(client, koeln):
    """Finding 4: `OSError: image file is truncated` escaped as a 500 on all three uploads."""
    data = _truncated_png()
    photo = {"photo": SimpleUploadedFile("t.png", data)}
    check = client.post("/api/reports/photo-location/", photo)
    assert check.status_code == 400 and "beschädigt" in check.json()["detail"]
    rest = _post(client, data, "t.png")
    assert rest.status_code == 400 and "beschädigt" in rest.json()["errors"]["photos"][0]
    form = client.post(
        "/melden/",
        {
            "category": "ampel-defekt",
            "lat": DOM[1],
            "lon": DOM[0],
            "description": "Ampel ist dunkel.",
            "email": "foto@example.org",
            "action": "submit",
            "photos": [SimpleUploadedFile("t.png", data)],
        },
    )
    assert form.status_code == 400 and "beschädigt" in form.content.decode()
    assert not Report.objects.exists()
