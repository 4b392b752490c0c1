"""Photo intake: JPEG, PNG and HEIC/HEIF in, a clean, rotated, resized JPEG out.

What we store is re-encoded from pixels only, so EXIF (GPS, camera serial), XMP, ICC and
comments of the upload never reach the disk or a visitor.
"""

import io
import struct
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000  # 50 MP: any phone camera, but not a decompression bomb
MAX_EDGE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "HEIF", "MPO"}
GPS_IFD = 0x8825


class PhotoError(ValueError):
    pass


# Translated where raised: the message reaches the sender in the page's or request's language.
DAMAGED = gettext_noop("Das Bild ist beschädigt und kann nicht gelesen werden.")
# What Pillow raises on damaged data while decoding: `OSError: image file is truncated`,
# `SyntaxError` from broken PNG chunks, `ValueError`/`struct.error` from broken headers.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int
    gps: tuple[float, float] | None  # (lon, lat) read before stripping, if the photo had it


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise PhotoError(
            _("Das Foto ist %(size)s MB groß; erlaubt sind höchstens %(most)s MB.")
            % {"size": number_format(len(data) / 1_048_576, 1), "most": MAX_BYTES // 1_048_576}
        )
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise PhotoError(_("Die Datei ist kein lesbares Bild (erlaubt: JPEG, PNG, HEIC).")) from exc
    except Image.DecompressionBombError as exc:  # header claims > 2 × Pillow's pixel limit
        raise PhotoError(
            _("Das Bild ist zu groß; erlaubt sind höchstens %(n)s Megapixel.")
            % {"n": MAX_PIXELS // 1_000_000}
        ) from exc
    if image.format not in ALLOWED_FORMATS:
        raise PhotoError(
            _("Bildformat %(format)s wird nicht angenommen (JPEG, PNG, HEIC).")
            % {"format": image.format}
        )
    if image.width * image.height > MAX_PIXELS:
        raise PhotoError(
            _("Das Foto hat %(width)s×%(height)s Pixel; erlaubt sind höchstens %(n)s Megapixel.")
            % {"width": image.width, "height": image.height, "n": MAX_PIXELS // 1_000_000}
        )
    return image


def _ratio(value) -> float:
    return float(value[0]) / float(value[1]) if isinstance(value, tuple) else float(value)


def _dms(values, ref: str) -> float:
    degrees, minutes, seconds = (_ratio(v) for v in values)
    decimal = degrees + minutes / 60 + seconds / 3600
    return -decimal if ref in ("S", "W") else decimal


def gps_position(image: Image.Image) -> tuple[float, float] | None:
    """(lon, lat) from the EXIF GPS block, or None."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        lat = _dms(gps[2], gps.get(1, "N"))
        lon = _dms(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if lat == 0 and lon == 0:
        return None
    return (round(lon, 7), round(lat, 7))


def _gps_or_damaged(image: Image.Image) -> tuple[float, float] | None:
    # A PNG keeps EXIF after its pixels, so Pillow decodes it all to find it: a truncated file
    # fails here, not in `Image.open`.
    try:
        return gps_position(image)
    except DECODE_ERRORS as exc:
        raise PhotoError(_(DAMAGED)) from exc


def photo_gps(*, data: bytes) -> tuple[float, float] | None:
    return _gps_or_damaged(_open(data))


def photo_clean(*, data: bytes) -> CleanPhoto:
    image = _open(data)
    gps = _gps_or_damaged(image)
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
        image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    except (*DECODE_ERRORS, Image.DecompressionBombError) as exc:
        raise PhotoError(_(DAMAGED)) from exc
    # A fresh image from the raw pixels carries no info dict: nothing of the upload survives.
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    name = f"{uuid.uuid4().hex}.jpg"
    return CleanPhoto(
        content=ContentFile(out.getvalue(), name=name),
        width=clean.width,
        height=clean.height,
        gps=gps,
    )


THUMB_EDGE = 160  # twice the list's 80 px cell: sharp on a phone's 2x screen


def photo_thumbnail(*, stored) -> bytes:
    """A small square JPEG of a stored (already clean) photo, for the report list.

    Made on request rather than stored: the list shows at most 25, the JPEG decoder's draft
    mode reads a 1600 px photo at 1/8 scale (a few ms), and moderation never has two files of one
    photo to remove."""
    with Image.open(stored) as image:
        image.draft("RGB", (THUMB_EDGE * 2, THUMB_EDGE * 2))
        square = ImageOps.fit(image.convert("RGB"), (THUMB_EDGE, THUMB_EDGE))
    out = io.BytesIO()
    square.save(out, "JPEG", quality=80)
    return out.getvalue()
