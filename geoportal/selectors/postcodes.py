"""Postcode areas: which holds a point, which codes are known or served, and which
streets lie in one."""

from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.utils.translation import gettext as _

from .. import conf
from ..models import Address, PostcodeArea, Street


def _postcode_known(postcode: str) -> bool:
    """A postcode this portal has data for: an area of it or an address point with it (not
    merely a number in a served range: 50700 is in Köln's range but no postcode)."""
    return (
        PostcodeArea.objects.filter(code=postcode).exists()
        or Address.objects.filter(postcode=postcode).exists()
    )


def _postcode_served(postcode: str) -> bool:
    if any(first <= postcode <= last for first, last in conf.GEOPORTAL_POSTCODE_RANGES):
        return True
    return _postcode_known(postcode)


def postcode_area_get(*, code: str) -> PostcodeArea | None:
    """The postcode area of that code, if loaded (Köln's of 1999; Essen has none)."""
    if not code:
        return None
    return PostcodeArea.objects.filter(code=code).first()


def postcode_at(*, point: Point) -> PostcodeArea | None:
    """The postcode area holding the point; on a shared border the lower code."""
    return PostcodeArea.objects.covering(point).defer("geom").order_by("code").first()


def postcode_code_at(*, point: Point) -> str:
    area = postcode_at(point=point)
    return area.code if area is not None else ""


def _postcode_reason(street_name: str, postcode: PostcodeArea) -> str:
    return _("„%(street)s“ liegt nicht im Postleitzahlgebiet %(postcode)s.") % {
        "street": street_name, "postcode": postcode.code,
    }


def _in_postcode(streets: list[Street], postcode: PostcodeArea | None) -> tuple[list[Street], str]:
    """The matched streets narrowed to those in or near the postcode area, and why not.

    Only when the best name match itself is among them: a typo-near name in the postcode must
    not replace the street the citizen wrote. Otherwise every match stays, with a reason, so
    a form asks instead of picking one silently.
    """
    if postcode is None or not streets:
        return streets, ""
    near = set(
        Street.objects.filter(
            pk__in=[s.pk for s in streets],
            geom__dwithin=(postcode.geom, D(m=conf.GEOPORTAL_POSTCODE_TOLERANCE_M)),
        ).values_list("pk", flat=True)
    )
    kept = [s for s in streets if s.pk in near]
    best = min(s.rank for s in streets)
    if kept and min(s.rank for s in kept) == best:
        return kept, ""
    return streets, _postcode_reason(streets[0].name, postcode)


