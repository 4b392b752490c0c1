"""The licences a dataset layer may carry, by the short name the command and admin accept."""

from opendata.metadata import CC_BY_DE_3, DL_BY_DE_2, DL_ZERO_DE_2, LICENCE_SHORT, ODBL

LICENCES = {
    "cc-by-de-3.0": CC_BY_DE_3,
    "dl-de/by-2.0": DL_BY_DE_2,
    "dl-de/zero-2.0": DL_ZERO_DE_2,
    "odbl": ODBL,
}
CHOICES = [(uri, LICENCE_SHORT[uri]) for uri in LICENCES.values()]


def licence_uri(value: str | None) -> str | None:
    """A short name (or the URI itself) as the URI; None when unknown."""
    if not value:
        return None
    if value in LICENCES.values():
        return value
    return LICENCES.get(value.lower())
