"""XML helpers shared by the XPlanGML readers (`xplan.py`, `gml.py`): safe parsing and walking
an lxml tree by local names (XPlanung has one namespace per version, so names are compared
without it)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from .types import PlanReadError

_DOCTYPE = re.compile(rb"^(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)


def parse_secure(data: bytes, label: str) -> etree._Element:
    """Parse without DTDs, entity expansion or network access; refuse any DOCTYPE."""
    if has_doctype(data):
        raise PlanReadError("XML declares a DOCTYPE (DTD/entities), refused for safety",
                            path=label, hint="export the plan again without a DOCTYPE")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PlanReadError(f"not well-formed XML ({exc})", path=label,
                            hint="check that the file is a complete XPlanGML export") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise PlanReadError("XML declares a DOCTYPE (DTD/entities), refused for safety",
                            path=label, hint="export the plan again without a DOCTYPE")
    return root


def has_doctype(data: bytes) -> bool:
    head = data[: 1024 * 1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return bool(_DOCTYPE.match(head))


def children(element: etree._Element | None) -> Iterator[etree._Element]:
    """Element children, skipping comments and processing instructions."""
    if element is None:
        return iter(())
    return (c for c in element if isinstance(c.tag, str))


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def child(element: etree._Element | None, *names: str) -> etree._Element | None:
    """The first child along a path of local names, or None."""
    for name in names:
        if element is None:
            return None
        element = next((c for c in children(element) if local(c) == name), None)
    return element


def text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None
