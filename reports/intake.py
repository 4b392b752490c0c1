"""One way in for a report: the checks every entry point shares.

The web form, REST and Open311 parse their own syntax (a Django form, DRF serializers) and hand
plain values to `services.report_submit`; everything a citizen can get wrong about a report
itself is checked here, once, and raised as one `ReportSubmitError` naming the field. Each
adapter maps that error to its format (form field error, `{"errors": {...}}`, Open311 list).

Moderation hooks in at `report_submit`; this module holds the checks it calls and imports
no writes, so `services` can re-export it without a cycle.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from geoportal.geo import OutsideServiceArea, point_from_lonlat
from geoportal.selectors import (
    Precision,
    SearchHit,
    geocode_address,
    geocode_reverse,
    geocode_search,
)

from . import conf, selectors
from .models import ApiKey, Category, Report, Reporter
from .photos import CleanPhoto, PhotoError, photo_clean

MAX_PHOTOS = 3
DESCRIPTION_MAX = Report._meta.get_field("description").max_length
# Other matches of a typed address shown to the citizen, so a user without JavaScript can pick.
ADDRESS_ALTERNATIVES = 5
# Search hits that name a house: their label may stand as the report's address.
NUMBERED = {Precision.ADDRESS, Precision.INTERPOLATED}
# How near the sent coordinates must lie to a house hit's point for its label to count as the
# address of that point: the hit's own coordinates, sent back at 6 decimals (~0.1 m).
ADDRESS_AT_POINT_M = 1.0
SOURCES_WITH_KEY = {"api", "open311"}


class ReportSubmitError(ValueError):
    """Input the sender can fix.

    `field` is one of category, location, description, email, name, phone, photos, api_key;
    `code` says what is wrong (required, unknown, not_leaf, invalid, too_long, too_many,
    address_unknown, address_unsure, address_unavailable, outside, not_served, forbidden), so
    an adapter that words its own messages (Open311 names its parameters) or picks a status
    code need not parse the text. `candidates` are the places an unsure address may mean, for
    the sender to pick.
    """

    def __init__(
        self, message: str, *, field: str, code: str = "invalid", candidates: Sequence = (),
        reason: str = "",
    ):
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message
        self.candidates = list(candidates)
        # Why the address search asked ("„Hauptstraße“ liegt nicht im Postleitzahlgebiet
        # 50667."), for adapters that word their own message around the candidates.
        self.reason = reason


@dataclass(frozen=True)
class ContactData:
    email: str
    name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Location:
    """Where the report is, as the sender gave it: WGS84 lat/lon, else an address to look up,
    else (web form only) the GPS position of an uploaded photo."""

    lat: float | None = None
    lon: float | None = None
    address: str = ""


@dataclass(frozen=True)
class Located:
    point: Point  # in the storage CRS
    lon: float
    lat: float
    label: str
    found_by: str  # "coordinates", "address" or "photo"
    alternatives: list[SearchHit] = field(default_factory=list)
    # The house the sender named ("Venloer Straße 198, Köln"), as the portal's search labels
    # it and only where the search puts that house at this point; empty otherwise. It is the
    # report's address: reverse geocoding the point may name the cross street at a corner.
    address: str = ""


def report_category_for_intake(*, code: str) -> Category:
    """The active leaf category a report may be filed under."""
    if not code:
        raise ReportSubmitError(
            _("Bitte eine Kategorie wählen."), field="category", code="required"
        )
    category = selectors.category_get(code=code)
    if category is None:
        raise ReportSubmitError(
            _("Diese Kategorie gibt es nicht."), field="category", code="unknown"
        )
    if category.children.exists():
        raise ReportSubmitError(
            _("Bitte wählen Sie eine Unterkategorie."), field="category", code="not_leaf"
        )
    return category


def report_photos_clean(*, uploads: Sequence[bytes | CleanPhoto]) -> list[CleanPhoto]:
    """Check and clean photos before the transaction, so a bad photo writes nothing.

    Photos already cleaned (the web form cleans them once to read their GPS) pass through.
    """
    if len(uploads) > MAX_PHOTOS:
        raise ReportSubmitError(
            _("Höchstens %(n)s Fotos pro Meldung.") % {"n": MAX_PHOTOS},
            field="photos",
            code="too_many",
        )
    fresh = sum(1 for u in uploads if not isinstance(u, CleanPhoto))
    if fresh and selectors.photos_stored_today() + fresh > conf.REPORTS_PHOTOS_PER_DAY:
        # A global cap on what uploads cost in disk; the report itself is still welcome.
        raise ReportSubmitError(
            _(
                "Heute nehmen wir keine Fotos mehr an (Tageskontingent erreicht). Bitte melden "
                "Sie ohne Foto; die Beschreibung genügt."
            ),
            field="photos",
            code="budget",
        )
    try:
        return [u if isinstance(u, CleanPhoto) else photo_clean(data=u) for u in uploads]
    except PhotoError as exc:
        raise ReportSubmitError(str(exc), field="photos") from exc


def report_locate(*, location: Location, photos: Sequence[CleanPhoto] = ()) -> Located:
    """The report's point from coordinates, else the address search, else a photo's GPS."""
    try:
        if location.lat is not None and location.lon is not None:
            point = point_from_lonlat(lon=location.lon, lat=location.lat)
            return Located(
                point=point,
                lon=location.lon,
                lat=location.lat,
                label=location.address,
                found_by="coordinates",
                address=_house_at(address=location.address, point=point),
            )
        if location.address:
            try:
                return _located_by_address(location.address)
            except ReportSubmitError as exc:
                # Without a street register the typed words cannot place the report, but a
                # photo's position can: a citizen without JavaScript, told to add one, need
                # not clear the address field too.
                if exc.code != "address_unavailable" or not any(p.gps for p in photos):
                    raise
        for photo in photos:
            if photo.gps:
                lon, lat = photo.gps
                return Located(
                    point=point_from_lonlat(lon=lon, lat=lat),
                    lon=lon,
                    lat=lat,
                    label=_("Position aus dem Foto"),
                    found_by="photo",
                )
    except OutsideServiceArea as exc:
        raise ReportSubmitError(str(exc), field="location", code="outside") from exc
    raise ReportSubmitError(
        _(
            "Bitte den Ort angeben: Adresse eingeben, Punkt auf der Karte setzen "
            "oder Standort verwenden."
        ),
        field="location",
        code="required",
    )


def _located_by_address(address: str) -> Located:
    """The place a typed address names: a house or a street, never an area's middle."""
    best, hits = _address_sure(address)
    if best.precision == Precision.AREA:
        _street_register_needed()
        # "Köln" or "Bickendorf" was filed at the area's middle under whatever house
        # stands there ("Neusser Straße 141"): no place a crew could go to.
        raise ReportSubmitError(
            _(
                "„%(place)s“ ist ein Gebiet, kein Ort für eine Meldung. Bitte Straße "
                "und Hausnummer angeben oder den Punkt auf der Karte setzen."
            ) % {"place": " ".join(address.split())},
            field="location", code="address_area",
        )
    point = point_from_lonlat(lon=best.lon, lat=best.lat)
    return Located(
        point=point,
        lon=best.lon,
        lat=best.lat,
        label=best.label,
        found_by="address",
        alternatives=hits[1:],
        address=_named_at(hit=best, point=point),
    )


def _house_at(*, address: str, point: Point) -> str:
    """The label of the house `address` names, if the search places it at `point`: the form
    sends back a chosen hit's label with its coordinates (JavaScript, or the no-JS check step).
    The sender's text itself is never taken: a moved pin or an edited label gives "".

    An address in another city sent with a point in this one ("Poppelsdorfer Allee 1, Bonn")
    is an error: one of the two is wrong, and filing at the point would take it silently."""
    text = " ".join(address.split())
    if not text:
        return ""
    result = geocode_search(query=text, limit=1 + ADDRESS_ALTERNATIVES)
    if result.outside:
        raise ReportSubmitError(
            _(
                "%(reason)s Der Punkt liegt aber im Gebiet. Bitte Adresse oder Punkt "
                "korrigieren."
            ) % {"reason": result.reason},
            field="location", code="address_elsewhere",
        )
    for hit in result.hits:
        if hit.label == text:
            at = point_from_lonlat(lon=hit.lon, lat=hit.lat)
            if at.distance(point) <= ADDRESS_AT_POINT_M:
                return _named_at(hit=hit, point=point)
    return ""


def _named_at(*, hit: SearchHit, point: Point) -> str:
    """The report's address for a search hit placed at `point`: a house's label; for a street,
    "" (the house reverse geocoding finds there) unless that house is on another street: the
    street's point may lie at a crossing, and "Ehrenfeldgürtel" was filed as "Subbelrather
    Straße 243". Then the street's own label."""
    if hit.precision in NUMBERED:
        return hit.label
    if hit.precision != Precision.STREET or hit.street_id is None:
        return ""
    there = geocode_reverse(point=point)
    return "" if there is not None and there.street_id == hit.street_id else hit.label


def _address_sure(address: str) -> tuple[SearchHit, list[SearchHit]]:
    """The one place a typed address means, or an error with the candidates."""
    answer = geocode_address(query=address, alternatives=ADDRESS_ALTERNATIVES)
    if answer.hit is None:
        if answer.code != "outside":
            _street_register_needed()
        raise ReportSubmitError(answer.problem, field="location", code=answer.code,
                                candidates=answer.candidates, reason=answer.reason)
    return answer.hit, answer.candidates


def _street_register_needed() -> None:
    """A typed address that found no house or street, in a city whose street register is not
    loaded yet (a new city serves its outline first, docs/new-city.md): not the sender's
    spelling ("Diese Adresse kennen wir nicht"), and no place to file it at. Asked only after a
    miss, because address points alone (Hauskoordinaten without streets) are found without it.
    """
    if not selectors.street_register_loaded():
        raise ReportSubmitError(
            _(
                "Adressen können wir hier noch nicht nachschlagen: das Straßenverzeichnis ist "
                "noch nicht eingerichtet. Bitte setzen Sie den Punkt auf der Karte, verwenden "
                "Sie Ihren Standort oder laden Sie ein Foto mit GPS-Position hoch."
            ),
            field="location", code="address_unavailable",
        )


def report_text_check(*, description: str, contact: ContactData) -> None:
    """The description and the contact: present, well-formed, and within the columns."""
    if not contact.email.strip():
        raise ReportSubmitError(
            _("Bitte eine E-Mail-Adresse angeben."), field="email", code="required"
        )
    try:
        validate_email(contact.email.strip())
    except ValidationError as exc:
        raise ReportSubmitError(
            _("Bitte eine gültige E-Mail-Adresse angeben."), field="email"
        ) from exc
    if not description.strip():
        raise ReportSubmitError(
            _("Bitte den Mangel beschreiben."), field="description", code="required"
        )
    if len(description.strip()) > DESCRIPTION_MAX:
        raise ReportSubmitError(
            _("Höchstens %(n)s Zeichen.") % {"n": DESCRIPTION_MAX},
            field="description",
            code="too_long",
        )
    # Over-long contact fields are the sender's error, not a database error.
    for name in ("email", "name", "phone"):
        limit = Reporter._meta.get_field(name).max_length
        if len(getattr(contact, name).strip()) > limit:
            raise ReportSubmitError(
                _("%(field)s: höchstens %(n)s Zeichen.") % {"field": name, "n": limit},
                field=name,
                code="too_long",
            )


def report_api_key_check(*, source: str, api_key: ApiKey | None) -> None:
    """Machine entry points need an active key; the adapter authenticates before parsing (so a
    client without a key hears 403, not a list of field errors), this makes sure it did."""
    if source in SOURCES_WITH_KEY and (api_key is None or not api_key.active):
        raise ReportSubmitError(
            _("Ein gültiger API-Schlüssel ist nötig."), field="api_key", code="forbidden"
        )
