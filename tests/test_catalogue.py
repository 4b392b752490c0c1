"""The compiled catalogues are committed (a clean clone needs no gettext): each .mo must say what
its .po says, or an English string added to the .po but not compiled would silently stay German."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/*.po")) + sorted(
    Path(settings.BASE_DIR).glob("*/locale/*/LC_MESSAGES/*.po")
)


def po_entries(path: Path) -> dict[tuple[str, str], str | tuple[str, str]]:
    """(msgctxt, msgid) -> msgstr (or the singular and plural forms) of every translated,
    non-fuzzy entry; msgctxt is "" without a context (one msgid may stand in several)."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if "#, fuzzy" in block:
            continue
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if not fields.get("msgid"):
            continue
        key = (fields.get("msgctxt", ""), fields["msgid"])
        if "msgid_plural" in fields:
            if fields.get("msgstr[0]"):
                entries[key] = (fields["msgstr[0]"], fields["msgstr[1]"])
        elif fields.get("msgstr"):
            entries[key] = fields["msgstr"]
    return entries


def test_there_are_catalogues():
    assert {p.name for p in CATALOGUES} >= {"django.po", "djangojs.po"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_each_compiled_catalogue_matches_its_source(po):
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for (context, msgid), msgstr in po_entries(po).items():
        if isinstance(msgstr, tuple):
            forms = (compiled.npgettext(context, msgid, "", 1),
                     compiled.npgettext(context, msgid, "", 2)) if context else (
                compiled.ngettext(msgid, "", 1), compiled.ngettext(msgid, "", 2))
            if forms != msgstr:
                stale.append(msgid)
        elif (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr:
            stale.append(msgid)
    assert stale == [], f"{po}: run `make messages` (compilemessages); stale: {stale[:5]}"
