"""Open311 GeoReport v2 output: the same Python data as JSON or as the spec's XML."""

import json

from django.http import HttpResponse
from lxml import etree

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Child element names for lists in XML, as the spec's examples spell them.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent, tag: str, value) -> None:
    element = etree.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for child in value:
            _append(element, ITEM_TAGS.get(tag, "item"), child)
    else:
        element.text = _text(value)


def to_xml(data, root: str) -> bytes:
    element = etree.Element(root)
    if isinstance(data, list):
        for item in data:
            _append(element, ITEM_TAGS[root], item)
    else:
        for key, value in data.items():
            _append(element, key, value)
    return etree.tostring(element, xml_declaration=True, encoding="utf-8")


def respond(data, fmt: str, root: str, status: int = 200) -> HttpResponse:
    body = to_xml(data, root) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The spec's error list: [{code, description}], with the HTTP status as the code."""
    return respond([{"code": status, "description": description}], fmt, "errors", status=status)
