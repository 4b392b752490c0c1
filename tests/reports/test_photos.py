import io

import pytest
from PIL import Image
from pillow_heif import from_pillow

from reports.photos import MAX_EDGE, PhotoError, photo_clean, photo_gps

from .conftest import DOM, jpeg_with_gps


def _stored(clean) -> bytes:
    return clean.content.read()


def test_gps_camera_and_comment_are_gone_from_the_stored_jpeg():
    upload = jpeg_with_gps(*DOM)
    assert photo_gps(data=upload) == pytest.approx(DOM, abs=1e-5)
    clean = photo_clean(data=upload)
    assert clean.gps == pytest.approx(DOM, abs=1e-5)
    stored = _stored(clean)
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert (
        "exif" not in image.info and "comment" not in image.info and "icc_profile" not in image.info
    )
    for needle in (b"Exif", b"Secret Phone", b"Zacharias", b"GPS"):
        assert needle not in stored


def test_photos_are_turned_upright_and_resized():
    # Orientation 6: the camera was held upright, the pixels are stored lying on the side.
    clean = photo_clean(data=jpeg_with_gps(*DOM, size=(4000, 3000), orientation=6))
    assert (clean.width, clean.height) == (1200, MAX_EDGE)


def test_png_and_heic_are_accepted():
    png = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 0, 128)).save(png, "PNG")
    assert photo_clean(data=png.getvalue()).width == 300
    heic = io.BytesIO()
    from_pillow(Image.new("RGB", (320, 240), (10, 20, 30))).save(heic, quality=60)
    clean = photo_clean(data=heic.getvalue())
    assert (clean.width, clean.height) == (320, 240)
    assert Image.open(clean.content).format == "JPEG"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image at all", "kein lesbares Bild"),
        (b"\xff" * (16 * 1024 * 1024), "MB groß"),
    ],
)
def test_bad_uploads_get_a_clear_error(data, message):
    with pytest.raises(PhotoError, match=message):
        photo_clean(data=data)


def test_too_many_pixels_are_refused_before_decoding():
    big = io.BytesIO()
    Image.new("L", (8000, 7000)).save(big, "PNG")  # 56 MP, a few KB compressed
    with pytest.raises(PhotoError, match="Megapixel"):
        photo_clean(data=big.getvalue())


def test_gif_is_refused():
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(PhotoError, match="GIF"):
        photo_clean(data=gif.getvalue())
