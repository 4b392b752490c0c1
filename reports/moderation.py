"""The public text of a report, as FixMyStreet does it: contact data that citizens type into
the description (email addresses, phone numbers, IBANs) is masked before anything is
published; what they wrote stays in `Report.description_original`, for staff only.

Phone numbers are found by libphonenumber (`phonenumberslite`, the library every phone app
uses): it knows German area codes, so dates, times, house numbers, postcodes and report numbers
are left alone. IBANs count only with a valid ISO 7064 check sum.
"""

import re
from dataclasses import dataclass

import phonenumbers

EMAIL_MASK = "[E-Mail-Adresse entfernt]"
PHONE_MASK = "[Telefonnummer entfernt]"
IBAN_MASK = "[IBAN entfernt]"

EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b", re.I)


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: tuple[str, ...]  # "email", "phone", "iban" found and masked

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def _iban_valid(candidate: str) -> bool:
    value = re.sub(r"\s", "", candidate).upper()
    digits = "".join(str(int(c, 36)) for c in value[4:] + value[:4])
    return 15 <= len(value) <= 34 and int(digits) % 97 == 1


def text_mask(text: str, *, region: str = "DE") -> Masked:
    """`text` with contact data replaced by a note saying what was removed."""
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
    spans = [(m.start, m.end) for m in matcher]
    if spans:
        kinds.append("phone")
        for start, end in reversed(spans):
            masked = masked[:start] + PHONE_MASK + masked[end:]
    return Masked(text=masked, kinds=tuple(kinds))
