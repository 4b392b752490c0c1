"""The public text of a report, as FixMyStreet does it: contact data that citizens type into
the description (email addresses, phone numbers, IBANs) and their names are masked before
anything is published; what they wrote stays in `Report.description_original`, for staff only.

Phone numbers are found by libphonenumber (`phonenumberslite`, the library every phone app
uses): it knows German area codes, so dates, times, house numbers, postcodes and report numbers
are left alone. IBANs count only with a valid ISO 7064 check sum.

Names (Köln's own Mängelmelder publishes descriptions that end "Danke im voraus / <name>"):
the reporter's own name from the form wherever it stands, and, since most people leave the
name field empty and sign the text, a name after a closing formula at the very end, on a last
line of its own under a letter, or after "Mein Name ist" / "ich, …,". A false hit only sends a
report to moderation, but it also blanks a word of the public text, so words that follow
"Danke" without being names (Stadt, Team, streets, the city's quarters) are left alone.
Measured on real Sag's uns texts in `bench/reports_name_mask.py` (docs/reports.md).
"""

import functools
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

import phonenumbers

from .first_names import FIRST_NAMES

EMAIL_MASK = "[E-Mail-Adresse entfernt]"
PHONE_MASK = "[Telefonnummer entfernt]"
IBAN_MASK = "[IBAN entfernt]"
NAME_MASK = "[Name entfernt]"

EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b", re.I)


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: tuple[str, ...]  # "email", "phone", "iban", "name" found and masked

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


# libphonenumber accepts what real Sag's uns texts hold but is no number: a house number and
# postcode ("Musterstr. 3  50765 Köln", no leading 0 or +) and a date running into a time
# ("2025-04-08 12:31:46", "08.04.2025 12:31").
_ADDRESS_TAIL = re.compile(r"\s+[A-ZÄÖÜ]")
_TIME_TAIL = re.compile(r":\d\d")


def _phone_lookalike(text: str, match) -> bool:
    raw = match.raw_string
    if _TIME_TAIL.match(text, match.end):
        return True
    house_and_postcode = re.fullmatch(r"[1-9]\d{0,3}\s+\d{5}", raw)
    return bool(house_and_postcode and _ADDRESS_TAIL.match(text, match.end))


def _iban_valid(candidate: str) -> bool:
    value = re.sub(r"\s", "", candidate).upper()
    digits = "".join(str(int(c, 36)) for c in value[4:] + value[:4])
    return 15 <= len(value) <= 34 and int(digits) % 97 == 1


# ---------------------------------------------------------------- names

# Closing formulas a signature follows; longest first, so "Danke im Voraus" wins over "Danke".
_CLOSINGS = [
    r"mit\s+(?:den\s+)?(?:freundlichen|besten|herzlichen|lieben|vielen)\s+gr(?:ü|ue|u)(?:ß|ss)(?:en|e)?",
    r"(?:freundliche|beste|herzliche|liebe|viele|schöne|sonnige)\s+gr(?:ü|ue)(?:ß|ss)e",
    r"(?:freundlichen|besten|herzlichen|lieben|vielen|schönen)\s+gr(?:u)(?:ß|ss)",
    r"gr(?:ü|ue)(?:ß|ss)e", r"gru(?:ß|ss)",
    r"(?:vielen|herzlichen|besten)\s+dank(?:\s+im\s+voraus|\s+vorab)?",
    r"danke(?:\s+im\s+voraus|\s+vorab|\s*schön|\s+sehr)?", r"dankeschön",
    r"mfg", r"lg", r"vg", r"bg", r"tschüss?", r"ciao",
    r"(?:best|kind|warm)\s+regards", r"regards", r"thanks", r"thank\s+you", r"cheers",
    r"sincerely", r"yours",
]
CLOSING = re.compile(r"(?<!\w)(?:" + "|".join(_CLOSINGS) + r")(?!\w)", re.I)
# "Ihr Peter Muster" closes a letter only at the start of a line or sentence: "Danke für Ihre
# Hilfe" must not count.
YOURS = re.compile(r"(?:^|(?<=[\n.!?,;:]))[ \t]*(?:Ihr|Ihre|Euer|Eure)(?!\w)", re.M)
CONTACT_MASKS = re.compile(re.escape(EMAIL_MASK) + "|" + re.escape(PHONE_MASK))
SALUTATION = re.compile(
    r"\A\s*(?:sehr\s+geehrte|hallo|guten\s+(?:tag|morgen|abend)|liebe|lieber|moin|servus|"
    r"dear|hello)(?!\w)",
    re.I,
)
INTRODUCTION = re.compile(
    r"(?<!\w)(?:mein\s+name\s+(?:ist|lautet)|ich\s+hei(?:ß|ss)e|my\s+name\s+is)\s+", re.I
)
ICH_COMMA = re.compile(r"(?<!\w)ich,\s+([^,\n]{3,60}),", re.I)

_TOKEN = re.compile(r"[^\s,]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?(?:-[^\W\d_]+(?:['’][^\W\d_]+)?)*")
_TITLES = {"dr.", "prof.", "dipl.-ing.", "dipl.", "fam.", "herr", "frau", "familie"}
_PARTICLES = {"von", "van", "de", "der", "den", "zu", "zur", "vom", "ten", "ter", "di", "da"}

# Capitalised words that follow "Danke", "Gruß" or "Ihre" without being a name. Any one of them
# rejects the candidate (so "Danke, Stadt Köln" stays), checked in lower case.
_NOT_NAME_WORDS = """
    stadt stadtverwaltung verwaltung team amt ordnungsamt grünflächenamt bezirksamt bürgeramt
    abfallwirtschaftsbetriebe polizei feuerwehr köln koeln kölle cologne deutschland nrw
    anwohner anwohnerin anwohnerinnen anwohnende nachbar nachbarn nachbarin nachbarschaft
    bürger bürgerin bürgerinnen mieter mieterin mieterinnen eltern kinder hausgemeinschaft
    hausverwaltung eigentümer eigentümergemeinschaft bürgerverein verein schule kita
    kindergarten leute alle allen ihnen euch dir sie du ihr ihre euer eure die der das ein eine
    einer mein meine meinen unser unsere voraus vorab schön sehr vielmals nochmals nochmal gott
    gruß grüße gruss grüsse dank danke hilfe mühe bemühungen unterstützung bearbeitung
    erledigung rückmeldung antwort info information informationen service einsatz engagement
    geduld verständnis prüfung abholung beseitigung reparatur entfernung kümmern mitarbeiter
    mitarbeiterin mitarbeiterinnen mitarbeitende mitarbeitenden kollegen kolleginnen
    straße strasse str weg platz allee gasse gürtel ufer markt brücke hausnummer haus nr ecke
    höhe foto fotos bild bilder anhang
    opel fiat audi mercedes benz volkswagen renault peugeot citroen citroën toyota skoda
    seat smart hyundai kia mazda nissan honda volvo dacia tesla mini porsche panda golf polo
    corsa astra fiesta focus passat transporter sprinter roller fahrrad
    montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april
    juni september oktober november dezember
    city council thanks regards
    mit grüßen grüssen gruessen freundlichen freundliche freundlicher besten beste herzliche
    herzlichen herzlich liebe lieben lieber liebes viele vielen schöne schönen schönes schöner
    gute guten gutes frohe frohes frohen woche wochenende tag tage abend morgen ostern
    weihnachten jahr neujahr feiertage bitte siehe achtung vorsicht dringend akut akute große
    großer großes hohe hoher gefahr keine kein neue neuer alte alter hallo moin schade leider
"""
NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# Street names ("Danke, Venloer Straße"), with at least `n` letters before the ending so that
# names like Hering or Möhring stay names.
_STREET_ENDINGS = [
    ("straße", 3), ("strasse", 3), ("str.", 3), ("str", 3), ("weg", 3), ("platz", 3),
    ("allee", 3), ("gasse", 3), ("gürtel", 3), ("ufer", 3), ("damm", 3), ("park", 3),
    ("brücke", 3), ("markt", 3), ("pfad", 3), ("chaussee", 3), ("ring", 5), ("wall", 5),
]

# Nouns that are no surnames, by their ending ("Akute Verletzungsgefahr" on a last line).
_NOUN_ENDINGS = ("heit", "keit", "schaft", "gefahr", "tion", "ität", "ungen", "nisse", "ismus")

Places = Callable[[], Collection[str]]


def _is_street(word: str) -> bool:
    low = word.lower()
    return any(low.endswith(end) and len(low) - len(end) >= n for end, n in _STREET_ENDINGS)


def _is_noun(word: str) -> bool:
    low = word.lower()
    return any(low.endswith(end) and len(low) - len(end) >= 3 for end in _NOUN_ENDINGS)


def _capitalised(word: str) -> bool:
    """Peter, Meyer-Lüdenscheidt, O'Brien: not 'peter', 'AWB' or 'mfG'."""
    parts = re.split(r"[-'’]", word)
    return all(p[:1].isupper() and (len(p) == 1 or p[1:].islower()) for p in parts if p)


def _name_tokens(core: str, *, min_words: int = 1) -> bool:
    """Whether `core` is a name as people sign: 1–3 capitalised words, maybe with a title,
    initials and a particle ('Dr. Anna von Berg', 'Muster, Anna', 'P. Muster')."""
    words = initials = 0
    tokens = _TOKEN.findall(core)
    for position, token in enumerate(tokens):
        low = token.lower()
        if low in _TITLES and position < len(tokens) - 1:
            continue
        if low in _PARTICLES and 0 < position < len(tokens) - 1:
            continue
        if re.fullmatch(r"[^\W\d_]\.", token) and token[0].isupper():
            initials += 1
            continue
        if not (_WORD.fullmatch(token) and _capitalised(token)):
            return False
        words += 1
    return words >= 1 and min_words <= words + initials <= 3


def _not_a_name(core: str, places: Places | None) -> bool:
    words = [w.lower() for w in _WORD.findall(core)]
    words = [w for w in words if w not in _TITLES and f"{w}." not in _TITLES]
    parts = [p for w in words for p in w.split("-")]  # "Köln-Sülz", "Venloer-Straße"
    if any(p in NOT_NAMES or _is_street(p) or _is_noun(p) for p in parts):
        return True
    if places is not None:
        known = {p.lower() for place in places() for p in [place, *re.split(r"[\W_]+", place)]}
        if parts and all(p in known for p in parts):  # "Grüße, Ehrenfeld"
            return True
    return False


# Between a closing and the name: punctuation, and "Ihr" ("Mit freundlichen Grüßen Ihr …").
_LEAD = re.compile(r"[\s,.:;!+&*\-–—]*(?:(?:Ihr|Ihre|Euer|Eure|Dein|Deine)\s+)?")
# What may follow a signature: punctuation and the signer's contact data, already masked
# ("MfG Anna Muster, Tel. [Telefonnummer entfernt]").
_TAIL_PIECE = re.compile(
    r"(?:[\s,.:;!)*/\-–—]+|"
    + "|".join(re.escape(m) for m in (EMAIL_MASK, PHONE_MASK, IBAN_MASK))
    + r"|(?<!\w)(?i:tel|telefon|fon|handy|mobil|mobile|e-mail|email|mail|phone))\Z"
)


def _signature_end(text: str) -> int:
    """Where the text ends once trailing punctuation and masked contact data are cut off."""
    end = len(text)
    while end and (piece := _TAIL_PIECE.search(text, max(0, end - 40), end)):
        end = piece.start()
    return end


def _signature_span(text: str, places: Places | None) -> tuple[int, int] | None:
    """Where the name stands that signs `text` at its end, if it does."""
    end = _signature_end(text)
    starts = [m.end() for m in CLOSING.finditer(text, 0, end)]
    starts += [m.end() for m in YOURS.finditer(text, 0, end)]
    # "Bei Fragen: 0151 … Anna Muster": a name right after masked contact data is its owner's.
    starts += [m.end() for m in CONTACT_MASKS.finditer(text, 0, end)]
    for start in sorted(starts, reverse=True):
        if end - start > 100:  # three names and a title are shorter; earlier closings too
            break
        start = _LEAD.match(text, start).end()
        core = text[start:end]
        if core and _name_tokens(core) and not _not_a_name(core, places):
            return start, end
    # A name alone on the last line of a letter ("Sehr geehrte …" or after a blank line),
    # beginning with a common first name or an initial: without a closing formula before it,
    # a short last line is as often "Akute Verletzungsgefahr" as a name.
    line_start = text.rfind("\n", 0, end) + 1
    if line_start:
        core = text[line_start:end].strip()
        start = end - len(core)
        before = text[:line_start]
        letter = SALUTATION.search(text) or re.search(r"\n[ \t]*\r?\n\s*\Z", before)
        first = next((t.lower() for t in _TOKEN.findall(core) if t.lower() not in _TITLES), "")
        known = first in FIRST_NAMES or re.fullmatch(r"[^\W\d_]\.", first)
        if (
            letter
            and known
            and _name_tokens(core, min_words=2)
            and not _not_a_name(core, places)
        ):
            return start, end
    return None


def _introduction_spans(text: str, places: Places | None) -> list[tuple[int, int]]:
    """'Mein Name ist Anna Muster', 'ich, Anna Muster, wohne …' anywhere in the text."""
    spans = []
    for match in INTRODUCTION.finditer(text):
        tokens = list(_TOKEN.finditer(text, match.end()))[:4]
        best = None
        for n in range(1, len(tokens) + 1):
            core = text[match.end() : tokens[n - 1].end()].rstrip(".!?;:")
            if not _name_tokens(core):
                break
            best = (match.end(), match.end() + len(core))
        if best and not _not_a_name(text[best[0] : best[1]], places):
            spans.append(best)
    for match in ICH_COMMA.finditer(text):
        core = match.group(1).strip()
        if _name_tokens(core) and not _not_a_name(core, places):
            spans.append((match.start(1), match.start(1) + len(core)))
    return spans


# Parts of the reporter's own name that are not masked on their own: particles, titles, and
# words an organisation puts in the name field ("Bürgerverein Sülz" masks Sülz, not every
# "Verein").
_OWN_NAME_SKIP = _PARTICLES | {
    "herr", "frau", "familie", "fam", "dr", "prof", "dipl", "ing", "und", "stadt", "team",
    "amt", "verein", "gmbh",
}


def _own_name_pattern(name: str) -> re.Pattern | None:
    parts = {
        p for p in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", name)
        if len(p) >= 3 and p.lower() not in _OWN_NAME_SKIP
    }
    if not parts:
        return None
    part = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    # "Anna Muster", "Muster, Anna", "Meyer-Lüdenscheidt" become one mask, not two; a part
    # hyphened to other words is a street or a firm named after someone ("Emil-Hoffmann-Str.").
    return re.compile(
        rf"(?<![\w-])(?:{part})(?:(?:[ \t]*,[ \t]*|[ \t]+|-)(?:{part}))*(?![\w-])", re.I
    )


def name_mask(text: str, *, own_name: str = "", places: Places | None = None) -> tuple[str, bool]:
    """`text` with the reporter's own name and a signed name replaced by NAME_MASK."""
    masked, count = text, 0
    if places is not None:
        places = functools.cache(places)  # one query per text, however many candidates
    pattern = _own_name_pattern(own_name)
    if pattern:
        masked, count = pattern.subn(NAME_MASK, masked)
    spans = _introduction_spans(masked, places)
    signature = _signature_span(masked, places)
    if signature:
        spans.append(signature)
    for start, end in sorted(set(spans), reverse=True):
        masked = masked[:start] + NAME_MASK + masked[end:]
    return masked, bool(count or spans)


def text_mask(
    text: str, *, region: str = "DE", own_name: str = "", places: Places | None = None
) -> Masked:
    """`text` with contact data and names replaced by a note saying what was removed.

    `own_name` is the name the reporter gave (form, API, Open311); `places` gives the names of
    the city's quarters when asked (only when a signature is suspected), which are no names."""
    kinds = []
    masked, count = EMAIL.subn(EMAIL_MASK, text)
    if count:
        kinds.append("email")

    def iban(match):
        if not _iban_valid(match.group()):
            return match.group()
        if "iban" not in kinds:
            kinds.append("iban")
        return IBAN_MASK

    masked = IBAN.sub(iban, masked)
    matcher = phonenumbers.PhoneNumberMatcher(masked, region, leniency=phonenumbers.Leniency.VALID)
    spans = [(m.start, m.end) for m in matcher if not _phone_lookalike(masked, m)]
    if spans:
        kinds.append("phone")
        for start, end in reversed(spans):
            masked = masked[:start] + PHONE_MASK + masked[end:]
    masked, named = name_mask(masked, own_name=own_name, places=places)
    if named:
        kinds.append("name")
    return Masked(text=masked, kinds=tuple(kinds))
