"""What a typed search says: street, house number, postcode and place, read from the
text and checked against the places and postcodes this portal knows."""

import re
from dataclasses import dataclass, replace

from django.contrib.gis.measure import D
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import conf
from ..models import Address, Area, AreaKind, PostcodeArea, Street
from ..text import normalize_street, split_quarter_suffix
from .postcodes import _postcode_known, _postcode_served

_POSTCODE = re.compile(r"\b(?P<postcode>\d{5})\b")
_POSTCODE_PLACE = re.compile(r"^\d{5}(?:\s+\D+)?$")
# Up to five digits: "Venloer Straße 12345" is a house number the register lacks, said so,
# unless the group is a known postcode (`_five_digits_resolved`).
# "Nr." before the number is not part of the street's name ("Venloer Straße Nr. 200").
_NUMBER_WORDS = r"\b(?:nr|hausnr|hausnummer)\.?"
# A range after the number is one building on several numbers ("Venloer Straße 200-202",
# "200–202", "200/202", "12a-c"): its end as typed, kept for the label (`_range_end`).
_RANGE_END = r"(?:\s*[-‐‑–—−/]\s*(?P<last>\d{1,5}[a-zA-Z]?|[a-zA-Z]\b))?"
_STREET_NUMBER = re.compile(
    rf"^(?P<street>.*?\D)\s*(?:{_NUMBER_WORDS}\s*)?(?P<number>\d{{1,5}})\s*"
    rf"(?P<suffix>[a-zA-Z])?{_RANGE_END}\s*$",
    re.IGNORECASE,
)
# A five-digit group ending the street line, the only number in it: "Hauptstraße 51143".
_LAST_FIVE_DIGITS = re.compile(r"^(?P<street>\D*\D)\s+(?P<code>\d{5})$")
_NUMBER_WORD = re.compile(rf"{_NUMBER_WORDS}$", re.IGNORECASE)


@dataclass(frozen=True)
class _Query:
    street: str
    number: int | None
    suffix: str
    postcode: str
    place: str  # a city, district or quarter named after the street
    # The five digits of `number` where they may also be a postcode ("Hauptstraße 51143").
    maybe_postcode: str = ""
    # The end of a house-number range, as typed: "202" of "200-202", "c" of "12a-c".
    last: str = ""
    # The words stood alone beside the postcode, as on an envelope's last line: "50823 Bonn".
    beside_postcode: bool = False
    # Words after the house number that name no place this portal knows ("Hauptstr. 10 Frechen").
    unknown_words: str = ""

    @property
    def house(self) -> str:
        """The house number as the citizen typed it, a range with an en dash: "200–202"."""
        if self.number is None:
            return ""
        first = f"{self.number}{self.suffix}"
        return f"{first}–{self.last}" if self.last else first

    @property
    def last_house(self) -> tuple[int, str] | None:
        """(number, suffix) of the range's end: (202, "") for "200-202", (12, "c") for "12a-c"."""
        if not self.last or self.number is None:
            return None
        if self.last.isalpha():
            return self.number, self.last
        digits = self.last.rstrip("abcdefghijklmnopqrstuvwxyz")
        return int(digits), self.last[len(digits):]


def _range_end(number: int, suffix: str, last: str | None) -> str:
    """The end of a range after house `number`, or "" where the text after the dash or slash
    names no later number: "12/1" (a back house in some cities), "200-200", "12-c"."""
    last = (last or "").lower()
    if last.isalpha():
        return last if suffix and last > suffix else ""
    if not last:
        return ""
    digits, letter = last.rstrip("abcdefghijklmnopqrstuvwxyz"), last.lstrip("0123456789")
    return last if (int(digits), letter) > (number, suffix) else ""


def _parse(query: str) -> _Query:
    """Split "Venloer Str. 200a, 50825 Köln-Ehrenfeld" into its parts."""
    parts = [p.strip() for p in query.split(",") if p.strip()]
    if len(parts) > 1 and _POSTCODE_PLACE.match(parts[0]):
        # "50859 Köln, Schillerstraße 5": the place written first, as on some letters.
        parts = [*parts[1:], parts[0]]
    head, rest = (parts[0], parts[1:]) if parts else ("", [])
    postcode = ""
    place = ""
    for part in rest:
        match = _POSTCODE.search(part)
        if match:
            postcode = match["postcode"]
            part = _POSTCODE.sub(" ", part)
        part = " ".join(part.split())
        if part and not place:
            place = part
    match = _POSTCODE.search(head)
    last = _LAST_FIVE_DIGITS.match(head)
    if last and not postcode and normalize_street(last["street"]):
        if _NUMBER_WORD.search(last["street"].strip()):
            match = None  # "Venloer Straße Nr. 12345": said to be the house number
        else:
            # Where a house number stands, with no other number for the house and neither a
            # comma nor a city after it: a house number or a postcode, as the data decides.
            street, code = last["street"].strip(), last["code"]
            return _Query(
                street, int(code), "", postcode, place, maybe_postcode=code, beside_postcode=True
            )
    if match and not postcode:
        # "50825 Köln Venloer Str" or "Venloer Str 200 50825 Köln": cut the postcode out.
        postcode = match["postcode"]
        before, after = head[: match.start()].strip(), head[match.end() :].strip()
        head = before or after
        beside = not (before and after)
        if before and after and not place:
            place = after
    else:
        beside = False
    number = suffix = None
    end = ""
    match = _STREET_NUMBER.match(head)
    if match and normalize_street(match["street"]):
        head, number, suffix = match["street"].strip(), int(match["number"]), match["suffix"]
        end = _range_end(number, (suffix or "").lower(), match["last"])
    return _Query(
        head, number, (suffix or "").lower(), postcode, place, last=end, beside_postcode=beside
    )


_NUMBER_THEN_WORDS = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d{1,4})\s*(?P<suffix>[a-zA-Z])?"
    rf"{_RANGE_END}\s+(?P<place>[^\d,]+)$"
)


def _trailing_place(parsed: _Query) -> _Query:
    """"Venloer Straße 200 Köln-Ehrenfeld", "Hauptstraße 5 Zündorf": written without a comma,
    the words after the house number are the place, where they name one this portal serves
    (found nothing, or the street without its number). Other words stay part of the text."""
    if parsed.number is not None or parsed.place:
        return parsed
    match = _NUMBER_THEN_WORDS.match(parsed.street)
    if not match or not normalize_street(match["street"]):
        return parsed
    place = match["place"].strip()
    if _place_area(place) is None and not _is_served_city(place):
        return parsed
    number, suffix = int(match["number"]), (match["suffix"] or "").lower()
    return replace(
        parsed, street=match["street"].strip(), number=number,
        suffix=suffix, place=place, last=_range_end(number, suffix, match["last"]),
    )


def _trailing_words(parsed: _Query) -> _Query:
    """"Hauptstr. 10 Frechen", "Kölner Str. 1 Leverkusen": words after the house number that
    name no place this portal serves were read as part of the street's name, and the answer
    was Köln's streets of about that name, without the number and without a word why. Where
    the text before the number is a street's name in the register, that is the street and the
    number; the words are kept, so the answer can say it does not know them and a form asks
    (not refused outright: "Venloer Straße 200 Hinterhof" is in Köln)."""
    if parsed.number is not None or parsed.place:
        return parsed
    match = _NUMBER_THEN_WORDS.match(parsed.street)
    if not match or not normalize_street(match["street"]):
        return parsed
    if Street.objects.filter(name_key=normalize_street(parsed.street)).exists():
        return parsed  # the whole text is a street's name
    if not Street.objects.filter(name_key=normalize_street(match["street"])).exists():
        return parsed
    number, suffix = int(match["number"]), (match["suffix"] or "").lower()
    return replace(
        parsed, street=match["street"].strip(), number=number, suffix=suffix,
        last=_range_end(number, suffix, match["last"]), unknown_words=match["place"].strip(),
    )


def _leading_place(parsed: _Query) -> _Query:
    """"50825 Köln Venloer Str", as on an envelope's last line run into the first: the city (or
    district, quarter) before the street is the place, not part of the street's name. Only a
    word that is exactly a place's name, and not where the whole text is a street's name
    ("Chorweiler Zubringer")."""
    if parsed.place:
        return parsed
    first, _, rest = parsed.street.partition(" ")
    if not normalize_street(rest):
        return parsed
    if not (normalize_street(first) in _place_names() or _is_served_city(first)):
        return parsed
    if Street.objects.filter(name_key=normalize_street(parsed.street)).exists():
        return parsed
    return replace(parsed, street=rest.strip(), place=first)


def _number_in_name(parsed: _Query) -> _Query:
    """"BAB 555", "L 84": the number is part of a road's name, not a house number (read as one,
    "L 84" became a weak "Leostraße 84" and "BAB 555" one of all motorways)."""
    if parsed.number is None:
        return parsed
    whole = f"{parsed.street} {parsed.maybe_postcode or parsed.number}{parsed.suffix}"
    if Street.objects.filter(name_key=normalize_street(whole)).exists():
        return replace(parsed, street=whole, number=None, suffix="", maybe_postcode="", last="")
    return parsed


def _five_digits_resolved(parsed: _Query) -> _Query:
    """"Hauptstraße 51143": a known postcode ("the Hauptstraße in 51143", Zündorf's) rather than
    a house number no street has (Köln's register numbers end at 1435); "Venloer Straße 12345"
    names no known postcode, so it is the house number, and the answer says the register does
    not hold it instead of calling 12345 a postcode outside the city."""
    code = parsed.maybe_postcode
    if code and _postcode_known(code):
        return replace(parsed, number=None, suffix="", postcode=code, maybe_postcode="")
    return parsed


def _register_spelling(parsed: _Query) -> tuple[_Query, Area | None]:
    """The city register's own way to tell equal names apart, copied from its data: "Hauptstr.
    (Rodenkirchen)" names a place, "Schillerstr. We" a quarter code of a street of that name
    (the quarter it stands for). Without a street that carries the code, the text stays as typed."""
    if parsed.place:
        # "Geyergasse (Altstadt/Nord), Köln", as the city's own Mängelmelder writes its
        # answers: the city after the comma adds nothing to the register's spelling before it.
        # Kept as typed, the quarter in parentheses was searched as part of the street's name.
        area = _place_area(parsed.place)
        if area is None or area.kind != AreaKind.MUNICIPALITY:
            return parsed, None
    base, code, place = split_quarter_suffix(parsed.street)
    if place:
        return _number_before_spelling(replace(parsed, street=base, place=place)), None
    if code:
        street = (
            Street.objects.filter(name_key=normalize_street(base), suffix=code)
            .exclude(quarter=None).select_related("quarter").first()
        )
        if street is not None:
            return replace(parsed, street=base), street.quarter
    return parsed, None


def _number_before_spelling(parsed: _Query) -> _Query:
    """"Hauptstraße 5 (Zündorf), Köln": the number stands before the register's quarter in
    brackets. With the city after a comma nothing else read it (`_trailing_place` leaves a query
    with a place alone), so "Hauptstraße 5" was searched as a street's name and the number lost."""
    if parsed.number is not None:
        return parsed
    match = _STREET_NUMBER.match(parsed.street)
    if not match or not normalize_street(match["street"]):
        return parsed
    number, suffix = int(match["number"]), (match["suffix"] or "").lower()
    return replace(
        parsed, street=match["street"].strip(), number=number, suffix=suffix,
        last=_range_end(number, suffix, match["last"]),
    )


def _place_names() -> dict[str, Area]:
    return {
        area.name_key: area
        for area in Area.objects.defer("geom").order_by("-kind", "code")
    }


def _outside_reason(parsed: _Query) -> str:
    """Why the query lies outside the service area, in words that say what to type instead.

    A postcode and a place that do not go together name the conflict: "50823 Bonn" is Köln's
    postcode with another city ("Bonnstraße is not in 50823" said nothing of it), "53111 Köln"
    a postcode this portal does not serve with a place it does."""
    place = parsed.place or _envelope_place(parsed)
    place_out = bool(place) and _place_area(place) is None and not _is_served_city(place)
    if parsed.postcode and not _postcode_served(parsed.postcode):
        if place and not place_out:
            return _(
                "Die Postleitzahl %(postcode)s gehört nicht zu %(place)s. Bitte die "
                "Postleitzahl prüfen oder weglassen."
            ) % {"postcode": parsed.postcode, "place": place}
        return _(
            "Die Postleitzahl %(postcode)s liegt nicht im Gebiet, das dieses Portal bedient."
        ) % {"postcode": parsed.postcode}
    if place_out:
        city = _postcode_city(parsed.postcode)
        if city:
            return _(
                "Die Postleitzahl %(postcode)s gehört zu %(city)s, nicht zu %(place)s. Für eine "
                "Adresse in %(city)s schreiben Sie „%(postcode)s %(city)s“; Adressen in "
                "%(place)s kennt dieses Portal nicht."
            ) % {"postcode": parsed.postcode, "city": city, "place": place}
        return _("„%(place)s“ liegt nicht im Gebiet, das dieses Portal bedient.") % {
            "place": place
        }
    return ""


# The last word of a street's name, as a key: "50823 Venlor Straße" is a misspelt street
# after a postcode, not a town.
_STREET_WORDS = ("str", "pl", "weg", "gasse", "allee", "ring", "wall", "ufer", "damm", "pfad",
                 "gurtel", "steg", "chaussee")


def _envelope_place(parsed: _Query) -> str:
    """The town of "50823 Bonn" or "Bonn 50823": words alone beside a postcode, as on an
    envelope's last line, that name no street of the register (and do not end like one)."""
    words = parsed.street.strip()
    if not parsed.beside_postcode or parsed.number is not None or not words:
        return ""
    key = normalize_street(words)
    if not key or any(c.isdigit() for c in words) or key.endswith(_STREET_WORDS):
        return ""
    if Street.objects.filter(name_key=key).exists():
        return ""
    if _is_place_word(key):
        return ""
    # A street of about that name in the postcode's area is what was meant ("50667 Dom":
    # Domkloster); "Bonn" resembles only streets elsewhere (Bonnstraße is in Lövenich).
    area = PostcodeArea.objects.filter(code=parsed.postcode).first()
    near = D(m=conf.GEOPORTAL_POSTCODE_TOLERANCE_M)
    if area is not None and Street.objects.filter(
        Q(name_key__startswith=key) | Q(name_key__contains=key) | Q(name_key__trigram_similar=key),
        geom__dwithin=(area.geom, near),
    ).exists():
        return ""
    return words


# Words for a place in any town, not a town: "50667 Hauptbahnhof" was told that 50667 belongs
# to Köln, "not to Hauptbahnhof". Whole keys (`normalize_street`), and endings of compounds
# ("Südfriedhof", "Stadtpark"); only endings no town's name ends in ("-hafen", "-bad" and
# "-markt" do: Ludwigshafen, Karlsbad, Neumarkt, so those count only alone).
_PLACE_WORDS = frozenset({
    "hbf", "bf", "bahnhof", "dom", "rathaus", "markt", "marktplatz", "kirche", "hafen",
    "innenstadt", "zentrum", "stadtmitte", "city", "altstadt", "post", "polizei", "feuerwache",
    "flughafen", "messe", "stadion", "zoo", "uni", "universitat", "schule", "grundschule",
    "gymnasium", "kita", "kindergarten", "krankenhaus", "klinik", "klinikum", "friedhof",
    "park", "spielplatz", "sportplatz", "schwimmbad", "hallenbad", "freibad", "bucherei",
    "bibliothek", "museum", "theater", "oper", "burgeramt", "haltestelle", "brucke",
    "kreuzung", "ecke", "platz", "rhein", "rheinufer", "ufer", "wald", "see", "einkaufszentrum",
    "supermarkt", "apotheke", "bezirksrathaus", "stadthaus", "bahnhofsvorplatz",
})
_PLACE_WORD_ENDINGS = ("bahnhof", "friedhof", "park", "platz", "kirche", "schule", "rathaus",
                       "krankenhaus", "klinik", "stadion", "brucke", "haltestelle", "museum")


def _is_place_word(key: str) -> bool:
    """Whether the words are a common place in the city ("Hauptbahnhof", "Dom") rather than a
    town's name, for a key from `normalize_street`."""
    key = key.replace(" ", "")
    return key in _PLACE_WORDS or key.endswith(_PLACE_WORD_ENDINGS)


def _postcode_city(postcode: str) -> str:
    """The town a served postcode belongs to: its area's place, else its address points'."""
    if not postcode:
        return ""
    area = PostcodeArea.objects.filter(code=postcode).exclude(place="").first()
    if area is not None:
        return area.place
    return (
        Address.objects.filter(postcode=postcode).exclude(city="")
        .values_list("city", flat=True).first() or ""
    )


def _is_served_city(place: str) -> bool:
    # The city of imported address points counts as served ("Essen"), as do area names.
    return Address.objects.filter(city__iexact=place).exists()


def _place_area(place: str) -> Area | None:
    """The area a place names: "Köln", "Ehrenfeld", "Köln-Weiden" (the narrowest part)."""
    if not place:
        return None
    names = _place_names()
    for candidate in [place, *reversed(re.split(r"\s*-\s*|\s+", place))]:
        area = names.get(normalize_street(candidate))
        if area is not None:
            return area
    return None


