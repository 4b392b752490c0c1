"""The forward search: hits for a typed query, each with a confidence and a precision,
and what a form may take from them (`geocode_address`)."""

from dataclasses import dataclass, replace

from django.contrib.gis.db.models.functions import Envelope, PointOnSurface, Transform
from django.contrib.gis.geos import MultiPoint, Point
from django.contrib.gis.measure import D
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from .. import conf
from ..geo import WEB_SRID, transformed
from ..models import Address, Area, AreaKind, PostcodeArea, Street
from ..text import normalize_street
from .addresses import AddressPoint, Precision, _with_postcode, address_locate
from .gazetteer import home_municipality_name
from .postcodes import _in_postcode, postcode_area_get, postcode_code_at
from .query import (
    _five_digits_resolved,
    _leading_place,
    _number_in_name,
    _outside_reason,
    _parse,
    _place_area,
    _place_names,
    _Query,
    _register_spelling,
    _trailing_place,
    _trailing_words,
)
from .streets import street_register_loaded


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "address", "street" or an area kind
    label: str
    lon: float
    lat: float
    bbox: tuple[float, float, float, float] | None  # WGS84 west, south, east, north
    confidence: float = 1.0  # 0..1: how sure the hit is what the query meant
    precision: str = Precision.STREET  # address / interpolated / street / area
    street_id: int | None = None
    postcode: str = ""  # of a house number, where known; a street spans several


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    reason: str = ""  # why there is no hit (or no sure one), in words for the user
    outside: bool = False  # the query names a postcode or place this portal does not serve
    # "address_unavailable": no street register is loaded, so no address can be found (the
    # report intake's code for the same case); else empty.
    code: str = ""


def geocode_search(*, query: str, limit: int = 10) -> SearchResult:
    """Search addresses, house numbers, streets and areas, each hit with a confidence (0..1)
    and a precision; the street-name part must be at least
    `conf.GEOPORTAL_SEARCH_MIN_SIMILARITY` similar to be a hit.

    A postcode or place in the query is respected: outside the service area there is no hit,
    and `reason` says why. A place that is a district or quarter narrows the streets to it
    ("Hauptstraße, Zündorf"). A name in several quarters gives one hit per quarter; a postcode
    with a known area keeps those of them in (or near) it ("Hauptstraße, 51143 Köln": Porz's).
    Where none of them is, all stay and `reason` says the street is not in that postcode.
    """
    parsed = _leading_place(_trailing_words(
        _trailing_place(_five_digits_resolved(_number_in_name(_parse(" ".join(query.split())))))
    ))
    reason = _outside_reason(parsed)
    if reason:
        return SearchResult(hits=[], reason=reason, outside=True)
    postcode = postcode_area_get(code=parsed.postcode)
    if postcode is not None and _names_only_the_city(parsed, postcode):
        # "50823 Köln" or "50823": the postcode's own area, not the whole city.
        return SearchResult(hits=[_postcode_hit(postcode)])
    parsed, suffix_quarter = _register_spelling(parsed)
    area = suffix_quarter or _place_area(parsed.place)
    key = normalize_street(parsed.street)
    if not key:
        return SearchResult(hits=[], reason=_("Bitte einen Straßennamen oder Ort eingeben."))
    area, not_there = _street_in_place(key, area) if suffix_quarter is None else (area, "")
    not_there = not_there or _unknown_words_reason(parsed)
    if parsed.number is not None:
        hits, reason = _number_hits(parsed, key=key, area=area, postcode=postcode, limit=limit)
        hits = [hit for hit in hits if hit.confidence >= conf.GEOPORTAL_SEARCH_MIN_SIMILARITY]
        if hits:
            return SearchResult(hits=hits[:limit], reason=reason or not_there)
    hits, street_reason = _street_hits(key=key, area=area, postcode=postcode, limit=limit)
    reason = street_reason or not_there
    if area is None or not hits:
        hits += _area_hits(key=key, limit=limit)
    hits.sort(key=lambda hit: (-hit.confidence, hit.kind != "street", hit.label))
    hits = [hit for hit in hits if hit.confidence >= conf.GEOPORTAL_SEARCH_MIN_SIMILARITY]
    if not hits:
        if not street_register_loaded():
            # A new city serves its outline before its streets (docs/new-city.md): no spelling
            # could help. Asked only after a miss: address points alone are found without it.
            return SearchResult(hits=[], code="address_unavailable", reason=_(
                "Adressen können wir hier noch nicht nachschlagen: das Straßenverzeichnis ist "
                "noch nicht eingerichtet."
            ))
        if _postcode_meant(parsed, postcode, street_reason or "none"):
            return _postcode_question(parsed, postcode, [])
        return SearchResult(
            hits=[], reason=_("Keine Straße und kein Ort ähnelt „%(q)s“.") % {"q": query.strip()}
        )
    if hits[0].kind == "street" and _postcode_meant(parsed, postcode, street_reason):
        return _postcode_question(parsed, postcode, hits[: limit - 1])
    if hits[0].kind != "street":
        # "50859 Weiden" names the quarter; that "Weidenweg" lies elsewhere is no doubt about it.
        reason = ""
    elif parsed.number is not None and not reason:
        # "Straße des 17. Juni 5": the register has no numbers for it (383 Köln streets), and
        # the number was dropped without a word; a form took the street as the place.
        reason = _(
            "Die Hausnummer %(number)s von „%(street)s“ steht nicht im Straßenverzeichnis; der "
            "Treffer ist die Straße."
        ) % {
            "number": parsed.house,
            "street": hits[0].label.partition(", ")[0],
        }
    return SearchResult(hits=hits[:limit], reason=reason)


def _postcode_meant(parsed: _Query, postcode: PostcodeArea | None, street_reason: str) -> bool:
    """Whether "50667 Hauptbahnhof" means the postcode's area: words alone beside a known
    postcode (not a town: `_envelope_place`) that name no street and that no street in that
    area resembles (`street_reason`: the streets like them lie outside it)."""
    return (
        postcode is not None and parsed.beside_postcode and parsed.number is None
        and bool(street_reason)
        and not Street.objects.filter(name_key=normalize_street(parsed.street)).exists()
    )


def _postcode_question(
    parsed: _Query, postcode: PostcodeArea, hits: list[SearchHit]
) -> SearchResult:
    """The postcode's area first, asked for: it is what the text says for sure; the streets
    like the words (elsewhere in the city) follow as other choices."""
    hit = _postcode_hit(postcode)
    return SearchResult(hits=[hit, *hits], reason=_(
        "„%(words)s“ kennen wir nicht als Straße oder Ort in %(postcode)s. Meinten Sie das "
        "Postleitzahlgebiet %(postcode)s?"
    ) % {"words": parsed.street, "postcode": hit.label})


def _unknown_words_reason(parsed: _Query) -> str:
    """Why a form asks about "Hauptstr. 10 Frechen": the hits are the city's own streets of
    that name, and the words after the number may be a town this portal does not serve."""
    if not parsed.unknown_words:
        return ""
    city = home_municipality_name()
    if city:
        return _(
            "„%(words)s“ kennen wir nicht als Ort in %(city)s; Adressen anderer Orte nimmt "
            "dieses Portal nicht an. Liegt die Adresse in %(city)s, wählen Sie einen Treffer."
        ) % {"words": parsed.unknown_words, "city": city}
    return _(
        "„%(words)s“ kennen wir nicht als Ort in diesem Gebiet; Adressen anderer Orte nimmt "
        "dieses Portal nicht an. Liegt die Adresse hier, wählen Sie einen Treffer."
    ) % {"words": parsed.unknown_words}


def _names_only_the_city(parsed: _Query, postcode: PostcodeArea) -> bool:
    """Whether a query with a postcode says nothing more than its city: "50823", "50823 Köln",
    "Köln 50823", or a letter's last line, "50823 Köln-Ehrenfeld" (the postcode is the finer
    of the two there). A quarter alone ("50859 Weiden") or a street is searched."""
    if parsed.number is not None:
        return False
    city = {normalize_street(postcode.place)} if postcode.place else set()

    def is_city(text: str) -> bool:
        key = normalize_street(text)
        area = _place_area(key)
        return key in city or (area is not None and area.kind == AreaKind.MUNICIPALITY)

    for text in filter(None, (parsed.street, parsed.place)):
        town, dash, part = text.partition("-")
        named = dash and normalize_street(part) in _place_names()  # not "Kalk-Mülheimer"
        if not (is_city(text) or (named and is_city(town))):
            return False
    return True


def _postcode_hit(postcode: PostcodeArea) -> SearchHit:
    located = _located(PostcodeArea.objects.filter(pk=postcode.pk).defer("geom")).get()
    label = f"{postcode.code} {postcode.place}".strip()
    return _hit("postcode", label, located, precision=Precision.AREA, postcode=postcode.code)


# A street this near a named district or quarter counts as in it, as with a postcode area: a
# long street is filed under one quarter only (Venloer Straße under Ehrenfeld, also where it
# runs through Bickendorf).
_STREET_IN_PLACE_M = 250


def _street_in_place(key: str, area: Area | None) -> tuple[Area | None, str]:
    """The place to look in, and why not: a street of exactly that name that is not in the
    district or quarter named ("Venloer Straße 200, Köln-Porz") was dropped for a weak other
    name there ("Osloer Straße, Köln-Porz"); now the streets of the name stay, everywhere, and
    the reason says it is not in that place, so a form asks instead of taking one."""
    if area is None or area.kind == AreaKind.MUNICIPALITY:
        return area, ""
    named = Street.objects.filter(name_key=key)
    name = named.values_list("name", flat=True).first()
    if name is None or _streets_in(named, area).exists():
        return area, ""
    if named.filter(geom__dwithin=(area.geom, D(m=_STREET_IN_PLACE_M))).exists():
        return None, ""  # filed under a neighbouring quarter, it runs through this one
    return None, _("„%(street)s“ liegt nicht in %(place)s.") % {"street": name, "place": area.name}


def gazetteer_search(*, query: str, limit: int = 10) -> list[SearchHit]:
    """The hits of `geocode_search`, best first (for callers that need no reason)."""
    return geocode_search(query=query, limit=limit).hits


def search_hit_is_sure(*, result: SearchResult) -> bool:
    """Whether a form may take the first hit without asking: confident enough, and no other
    hit as good (the same name in two quarters is a question, not an answer), and no doubt in
    `reason` (a street that is not in the postcode typed with it)."""
    hits = result.hits
    if not hits or result.reason or hits[0].confidence < conf.GEOPORTAL_SEARCH_ACCEPT_CONFIDENCE:
        return False
    return len(hits) == 1 or hits[1].confidence < hits[0].confidence - 0.05


@dataclass(frozen=True)
class AddressAnswer:
    """What a typed address means to a form: the one place, or why not and what else fits."""

    hit: SearchHit | None  # the place meant, only when sure
    candidates: list[SearchHit]  # best first; the citizen picks one when `hit` is None
    problem: str = ""  # for the citizen: why nothing was taken
    code: str = ""  # outside | address_unknown | address_unsure
    reason: str = ""  # the search's own reason for asking, where it gave one


def geocode_address(*, query: str, alternatives: int = 5) -> AddressAnswer:
    """The place a form may take for a typed address, or candidates and a clear problem: a weak
    match, a name in several quarters or a place outside the service area is never taken
    silently ("Poppelsdorfer Allee 1, Bonn" is not "Giesdorfer Allee, Köln")."""
    result = geocode_search(query=query, limit=1 + alternatives)
    if result.outside:
        return AddressAnswer(hit=None, candidates=[], problem=result.reason, code="outside")
    if not result.hits:
        return AddressAnswer(
            hit=None, candidates=[], code="address_unknown",
            problem=_("Diese Adresse kennen wir nicht. Bitte anders schreiben."),
        )
    if not search_hit_is_sure(result=result):
        hits = result.hits
        several = len(hits) > 1 and hits[1].confidence >= hits[0].confidence - 0.05
        if result.reason:
            problem = result.reason
        elif several:
            problem = _(
                "„%(address)s“ ist nicht eindeutig. Bitte wählen Sie einen der Treffer, "
                "schreiben Sie die Adresse genauer oder setzen Sie den Punkt auf der Karte."
            ) % {"address": query}
        else:
            # One weak match is not a choice between equals: "Poppelsdorfer Allee 1" (in Bonn)
            # found only "Giesdorfer Allee 1" and was called ambiguous.
            problem = _(
                "„%(address)s“ haben wir nicht sicher gefunden. Meinten Sie einen dieser "
                "Treffer? Sonst schreiben Sie die Adresse genauer oder setzen Sie den Punkt "
                "auf der Karte."
            ) % {"address": query}
        return AddressAnswer(
            hit=None, candidates=hits, code="address_unsure", problem=problem,
            reason=result.reason,
        )
    return AddressAnswer(hit=result.hits[0], candidates=result.hits)


def _streets_in(qs: QuerySet, area: Area | None) -> QuerySet:
    if area is None or area.kind == AreaKind.MUNICIPALITY:
        return qs.filter(municipality=area) if area is not None else qs
    if area.kind == AreaKind.QUARTER:
        return qs.filter(quarter=area)
    return qs.filter(quarter__parent=area)


def _street_matches(*, key: str, area: Area | None, limit: int) -> list[Street]:
    floor = conf.GEOPORTAL_SEARCH_MIN_SIMILARITY
    streets = _streets_in(Street.objects.select_related("municipality"), area).annotate(
        similarity=TrigramSimilarity("name_key", key),
        rank=Case(
            When(name_key=key, then=Value(0)),
            When(name_key__startswith=key, then=Value(1)),
            When(name_key__contains=key, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
    )
    streets = streets.filter(
        Q(name_key__startswith=key) | Q(name_key__contains=key) | Q(similarity__gte=floor)
    )
    if len(key) >= 3:
        # The trigram index narrows the scan; the floor above decides what is a hit.
        streets = streets.filter(
            Q(name_key__startswith=key)
            | Q(name_key__contains=key)
            | Q(name_key__trigram_similar=key)
        )
    return list(streets.defer("geom").order_by("rank", "-similarity", "label")[:limit])


def _street_confidence(street: Street, key: str) -> float:
    if street.rank == 0:
        return 1.0
    if street.rank == 1:
        # A prefix: sure in proportion to how much of the name was typed.
        return round(0.5 + 0.4 * len(key) / len(street.name_key), 2)
    return round(min(street.similarity, 0.75), 2)


def _street_hits(
    *, key: str, area: Area | None, postcode: PostcodeArea | None, limit: int
) -> tuple[list[SearchHit], str]:
    streets, reason = _in_postcode(_street_matches(key=key, area=area, limit=limit), postcode)
    located = {
        s.pk: s
        for s in _located(Street.objects.filter(pk__in=[s.pk for s in streets]).only("id"))
    }
    hits = [
        _hit(
            "street", s.label or s.name, located[s.pk],
            confidence=_street_confidence(s, key), precision=Precision.STREET, street_id=s.pk,
        )
        for s in streets
    ]
    return hits, reason


# An interpolated house this near a postcode area counts as in it (placed beside the line by
# GEOPORTAL_HOUSE_OFFSET_M, it may fall just across a border drawn on the street): the offset
# plus this margin.
_HOUSE_IN_POSTCODE_MARGIN_M = 2.0


def _number_hits(
    parsed: _Query, *, key: str, area: Area | None, postcode: PostcodeArea | None, limit: int
) -> tuple[list[SearchHit], str]:
    hits = []
    # Address points first (a city that has them): exact street key and number.
    addresses = _ranked(Address.objects.filter(house_number=parsed.number), key, "street_key")
    if parsed.suffix:
        addresses = addresses.filter(house_number_suffix__iexact=parsed.suffix)
    if parsed.postcode:
        addresses = addresses.filter(postcode=parsed.postcode)
    floor = conf.GEOPORTAL_SEARCH_MIN_SIMILARITY
    for a in addresses.annotate(center=Transform("geom", 4326)).order_by(
        "rank", "-similarity", "house_number_suffix"
    )[:limit]:
        if a.rank > 1 and a.similarity < floor:
            continue
        a.box = None
        confidence = 1.0 if a.street_key == key else round(min(a.similarity, 0.75), 2)
        label = a.label
        if parsed.last:
            # "Rüttenscheider Straße 200–202": the range as typed, between its two points.
            label = label.replace(f"{a.street_name} {a.house}", f"{a.street_name} {parsed.house}")
            number, suffix = parsed.last_house
            end = (
                Address.objects.filter(
                    street_key=a.street_key, postcode=a.postcode, house_number=number,
                    house_number_suffix=suffix,
                ).values_list("geom", flat=True).first()
            )
            a.center = transformed(_between(a.geom, end), WEB_SRID)
        hits.append(
            _hit("address", label, a, confidence=confidence, precision=Precision.ADDRESS,
                 street_id=a.street_id, postcode=a.postcode)
        )
    if hits:
        return hits, ""
    streets, reason = _in_postcode(_street_matches(key=key, area=area, limit=limit), postcode)
    inside = {}  # street id: whether the placed house lies in the postcode area
    in_range = {}  # street id: whether the register's ranges hold the number
    for street in streets:
        placed = address_locate(street=street, number=parsed.number, suffix=parsed.suffix)
        if placed is None:
            continue
        if parsed.last:
            placed = _range_placed(placed, parsed)
        in_range[street.pk] = placed.in_range
        off_postcode = postcode.geom.distance(placed.point) if postcode is not None else None
        if off_postcode is not None:
            inside[street.pk] = off_postcode <= (
                conf.GEOPORTAL_HOUSE_OFFSET_M + _HOUSE_IN_POSTCODE_MARGIN_M
            )
        center = transformed(placed.point, WEB_SRID)
        confidence = _street_confidence(street, key) * (0.95 if placed.in_range else 0.6)
        # The postcode typed, where it was taken for this street and the house lies near it:
        # the 1999 border and the interpolation may put the house just outside (real Köln
        # addresses: up to 223 m), and the citizen knows their postcode better. A house far
        # from it (a long street, another number) gets the postcode of its own place.
        typed = (
            postcode is not None and not reason
            and off_postcode <= conf.GEOPORTAL_POSTCODE_TOLERANCE_M
        )
        code = postcode.code if typed else postcode_code_at(point=placed.point)
        hits.append(
            SearchHit(
                kind="address", label=_with_postcode(placed.label, code), lon=round(center.x, 6),
                lat=round(center.y, 6), bbox=None, confidence=round(confidence, 2),
                precision=placed.precision, street_id=street.pk, postcode=code,
            )
        )
    # Two streets of the best-matching name touch the postcode area, but only one's house lies
    # in it: that one. Only among namesakes: a typo-near name's house inside the area must not
    # push out the street written, whose house may stand just across a 1999 border.
    namesakes = {s.pk: inside[s.pk] for s in streets
                 if s.pk in inside and s.name_key == streets[0].name_key}
    if not reason and any(namesakes.values()) and not all(namesakes.values()):
        hits = [hit for hit in hits if namesakes.get(hit.street_id, True)]
    named = [in_range[s.pk] for s in streets
             if s.pk in in_range and s.name_key == streets[0].name_key]
    if not reason and named and not any(named):
        # "Venloer Straße 2000": shown at the street's last number, under the number typed; a
        # form offers it, and the citizen should know the register does not hold that house.
        reason = _(
            "Die Hausnummer %(number)s von „%(street)s“ steht nicht im Straßenverzeichnis; der "
            "Treffer liegt bei der nächsten bekannten Hausnummer."
        ) % {"number": parsed.house, "street": streets[0].name}
    hits.sort(key=lambda hit: -hit.confidence)
    return hits, reason


# The two ends of a house-number range this far apart or less are one building, whose point
# lies between them ("Venloer Straße 200-202": 200 and 202 stand some 5 m apart). Farther
# ("1-99"), beyond the register's ranges or on the other side, the first number stands for
# it, as address geocoders do where no building carries the range (Nominatim is asked to
# search the first number, osm-search/Nominatim#4150).
_RANGE_SPAN_M = 150


def _between(first: Point, last: Point | None) -> Point:
    if last is None or first.distance(last) > _RANGE_SPAN_M:
        return first
    return MultiPoint(first, last, srid=first.srid).centroid


def _range_placed(placed: AddressPoint, parsed: _Query) -> AddressPoint:
    """The house of a range ("200-202"), labelled with the range as typed."""
    number, suffix = parsed.last_house
    end = address_locate(street=placed.street, number=number, suffix=suffix)
    point = placed.point
    if end is not None and end.in_range and placed.in_range and end.side == placed.side:
        point = _between(placed.point, end.point)
    return replace(placed, house_number=parsed.house, point=point)


def _ranked(qs: QuerySet, key: str, field: str) -> QuerySet:
    return (
        qs.annotate(
            similarity=TrigramSimilarity(field, key),
            rank=Case(
                When(**{f"{field}__startswith": key}, then=Value(0)),
                When(**{f"{field}__contains": key}, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .filter(
            Q(**{f"{field}__startswith": key})
            | Q(**{f"{field}__contains": key})
            | Q(**{f"{field}__trigram_similar": key})
        )
        .order_by("rank", "-similarity")
    )


def _located(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        center=Transform(PointOnSurface("geom"), 4326), box=Transform(Envelope("geom"), 4326)
    )


def _hit(kind: str, label: str, obj, **extra) -> SearchHit:
    box = obj.box.extent if obj.box is not None else None
    return SearchHit(
        kind=kind,
        label=label,
        lon=round(obj.center.x, 6),
        lat=round(obj.center.y, 6),
        bbox=tuple(round(v, 6) for v in box) if box else None,
        **extra,
    )


def _area_hits(*, key: str, limit: int) -> list[SearchHit]:
    areas = _located(_ranked(Area.objects.defer("geom"), key, "name_key"))[:limit]
    hits = []
    for a in areas:
        if a.rank == 2 and a.similarity < conf.GEOPORTAL_SEARCH_MIN_SIMILARITY:
            continue
        exact = a.name_key == key
        confidence = 1.0 if exact else round(
            0.5 + 0.4 * len(key) / len(a.name_key) if a.rank == 0 else min(a.similarity, 0.75), 2
        )
        # An area named exactly wins over a street that merely starts with the name.
        hits.append(
            _hit(a.kind, f"{a.name} ({a.get_kind_display()})", a, confidence=confidence,
                 precision=Precision.AREA)
        )
    return hits


