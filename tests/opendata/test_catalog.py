"""The catalogue: every public layer is a dataset with a decided licence, described in
DCAT-AP.de JSON-LD with one distribution per format."""

import json

import pytest

from geoportal.ogc.layers import all_layers, get_layer
from opendata.datasets import FORMATS
from opendata.metadata import CC_BY_DE_3, DL_BY_DE_2, DL_ZERO_DE_2, OPEN_DATA, open_data_info

pytestmark = pytest.mark.django_db


def _with_rows() -> set[str]:
    return {name for name in OPEN_DATA if get_layer(name).queryset().exists()}


def test_every_registered_layer_has_decided_open_data_metadata():
    missing = {layer.name for layer in all_layers() if open_data_info(layer) is None}
    assert not missing, f"decide licence and attribution in opendata/metadata.py for {missing}"


def test_licences_follow_the_sources():
    assert OPEN_DATA["quarters"].licence == CC_BY_DE_3
    assert "Stadt Köln" in OPEN_DATA["streets"].attribution
    assert OPEN_DATA["addresses"].licence == DL_BY_DE_2
    assert "Stadt Essen" in OPEN_DATA["addresses"].attribution
    assert OPEN_DATA["reports"].licence == OPEN_DATA["council_places"].licence == DL_ZERO_DE_2


def test_catalog_jsonld_describes_every_dataset(client):
    response = client.get("/opendata/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcatde"] == "http://dcat-ap.de/def/dcatde/"
    datasets = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert set(datasets) == _with_rows() and {"districts", "streets"} <= set(datasets)
    for name, node in datasets.items():
        assert node["@type"] == "dcat:Dataset"
        for key in ("dct:title", "dct:description", "dct:publisher", "dct:modified"):
            assert node[key], (name, key)
        assert node["dcatde:politicalGeocodingURI"]["@id"].startswith(
            "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"
        )
        distributions = node["dcat:distribution"]
        assert len(distributions) == len(FORMATS)
        for dist in distributions:
            assert dist["@type"] == "dcat:Distribution"
            assert dist["dct:license"]["@id"] == OPEN_DATA[name].licence
            assert dist["dcat:downloadURL"]["@id"].startswith("http://testserver/opendata/")
            assert dist["dct:format"]["@id"].startswith(
                "http://publications.europa.eu/resource/authority/file-type/"
            )
            assert dist["dcat:mediaType"]["@id"].startswith("https://www.iana.org/")
    districts = datasets["districts"]
    assert "POLYGON((6." in districts["dct:spatial"]["dcat:bbox"]["@value"]
    assert datasets["streets"]["dcat:distribution"][0]["dcatde:licenseAttributionByText"]


def test_catalog_and_dataset_pages_link_every_download(client):
    page = client.get("/opendata/").content.decode()
    for name in _with_rows():
        for ext in FORMATS:
            assert f'href="/opendata/{name}.{ext}"' in page
    assert 'type="application/ld+json"' in page
    detail = client.get("/opendata/quarters/").content.decode()
    assert "Stadtteile" in detail and "CC BY 3.0 DE" in detail
    assert "<code>parent_id</code>" in detail
    embedded = detail.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(embedded)["dct:identifier"] == "quarters"


def test_pages_speak_english_too(client):
    catalog = client.get("/opendata/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Machine-readable catalogue" in catalog
    statistics = client.get("/statistik/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reports per category" in statistics and ">Statistics<" in statistics


def test_an_empty_layer_is_not_offered_but_its_address_still_answers(client):
    from geoportal.models import Address

    assert not Address.objects.exists()  # the test city has no address points
    page = client.get("/opendata/").content.decode()
    catalog = json.loads(client.get("/opendata/catalog.jsonld").content)
    assert 'href="/opendata/addresses.geojson"' not in page
    assert "addresses" not in {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    assert client.get("/opendata/addresses.geojson").status_code == 200
