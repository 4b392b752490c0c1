"""geoportal/ogc/wfs_compat.py: hostile ValueReferences are 400s, and the contract with the
django-gisserver internals the shim replaces (it fails when an upgrade moves them)."""

import inspect
from importlib.metadata import version
from pathlib import Path
from xml.etree.ElementTree import QName

import pytest
from gisserver.features import FeatureType
from gisserver.parsers.ast import tag_registry
from gisserver.parsers.fes20 import expressions, filters
from gisserver.parsers.gml.geometries import GEOSGMLGeometry
from gisserver.parsers.xml import xmlns
from lxml import etree

from geoportal.ogc import wfs_compat

from .test_wfs import NS, exception_text, wfs

PINNED = "2.5.0"
HOSTILE = ["foo()", "number[1]", "//number", "name[1]", "//name", "child::name", "name/text()"]


def _filter(reference: str) -> str:
    return (
        "<fes:Filter xmlns:fes='http://www.opengis.net/fes/2.0'><fes:PropertyIsEqualTo>"
        f"<fes:ValueReference>{reference}</fes:ValueReference><fes:Literal>x</fes:Literal>"
        "</fes:PropertyIsEqualTo></fes:Filter>"
    )


def _exception_code(content: bytes) -> str:
    return etree.fromstring(content).find(".//ows:Exception", NS).get("exceptionCode")


@pytest.mark.django_db
@pytest.mark.parametrize("reference", HOSTILE)
def test_hostile_value_reference_in_a_filter_is_a_400(client, reference):
    response, content = wfs(
        client, REQUEST="GetFeature", TYPENAMES="streets", FILTER=_filter(reference)
    )
    assert response.status_code == 400
    assert _exception_code(content) == "InvalidParameterValue"
    assert reference in exception_text(content)


@pytest.mark.django_db
@pytest.mark.parametrize("reference", HOSTILE)
def test_hostile_value_reference_in_get_property_value_is_a_400(client, reference):
    response, content = wfs(
        client, REQUEST="GetPropertyValue", TYPENAMES="streets", VALUEREFERENCE=reference
    )
    assert response.status_code == 400
    assert _exception_code(content) == "InvalidParameterValue"


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["name", "app:name", "streets/name", "/app:streets/app:name"])
def test_property_paths_still_work(client, reference):
    response, content = wfs(
        client,
        REQUEST="GetFeature",
        TYPENAMES="streets",
        FILTER=_filter(reference),
        RESULTTYPE="hits",
    )
    assert response.status_code == 200, content[:500]
    assert etree.fromstring(content).get("numberMatched") == "0"


def test_django_gisserver_is_the_pinned_version():
    assert version("django-gisserver") == PINNED
    pyproject = (Path(__file__).parents[3] / "pyproject.toml").read_text()
    assert f'"django-gisserver=={PINNED}"' in pyproject


def test_the_shim_is_installed_from_app_ready():
    envelope = QName(xmlns.gml32.value, "Envelope").text
    assert tag_registry.parsers[envelope] is wfs_compat.EnvelopeInDefaultCRS
    assert GEOSGMLGeometry.from_bbox.__func__ is wfs_compat._from_bbox_legacy_xy
    assert FeatureType.resolve_element is wfs_compat._resolve_property_path


def test_gisserver_internals_the_shim_replaces_are_where_it_expects():
    # 1. The Envelope parser is looked up in the tag registry's plain dict.
    assert isinstance(tag_registry.parsers, dict)
    assert issubclass(wfs_compat.EnvelopeInDefaultCRS, GEOSGMLGeometry)
    assert {"srs", "geos_data"} <= set(inspect.signature(GEOSGMLGeometry).parameters)
    # 2. The KVP BBOX is parsed by calling GEOSGMLGeometry.from_bbox by attribute lookup.
    assert "parser=GEOSGMLGeometry.from_bbox" in inspect.getsource(filters)
    assert list(inspect.signature(wfs_compat._from_bbox).parameters) == ["cls", "bbox_value"]
    # 3. Every XPath goes through FeatureType.resolve_element(xpath, ns_aliases).
    original = wfs_compat._resolve_element
    assert original.__module__ == "gisserver.features"
    assert list(inspect.signature(original).parameters) == ["self", "xpath", "ns_aliases"]
    assert "resolve_element(" in inspect.getsource(expressions.ValueReference.parse_xpath)
