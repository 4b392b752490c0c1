"""Open311 GeoReport v2: every endpoint, both formats, the spec's field names and errors."""

import json
import re

import pytest
from defusedxml import ElementTree

from reports.models import ApiKey, Report, Status
from reports.services import report_confirm, report_status_change

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def _json(client, path, expect=200, language="de", **params):
    response = client.get(f"{BASE}/{path}", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == expect, response.content
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def _xml(client, path, expect=200, language="de", **params):
    response = client.get(f"{BASE}/{path}", params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == expect, response.content
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)


def test_discovery(client, koeln):
    data = _json(client, "discovery.json")
    assert {"changeset", "contact", "key_service", "endpoints"} <= data.keys()
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = _xml(client, "discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_and_a_service_definition(client, koeln):
    services = _json(client, "services.json")
    assert all(set(s) == SERVICE_FIELDS for s in services)
    codes = {s["service_code"]: s for s in services}
    assert codes["schlagloch"]["group"] == "Straße"
    assert codes["schlagloch"]["type"] == "batch" and codes["ampel-defekt"]["type"] == "realtime"
    assert "strasse" not in codes, "groups are not services"
    root = _xml(client, "services.xml")
    assert root.tag == "services" and {e.tag for e in root[0]} == SERVICE_FIELDS
    definition = _json(client, "services/schlagloch.json")
    assert definition == {"service_code": "schlagloch", "attributes": []}
    assert _xml(client, "services/schlagloch.xml").find("service_code").text == "schlagloch"
    assert _json(client, "services/gibtsnicht.json", expect=404, language="en") == [
        {"code": 404, "description": "service_code 'gibtsnicht' not found"}
    ]


def test_post_a_request_with_lat_long_and_follow_it_by_token(client, koeln):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": "demo-open311-key",
            "service_code": "schlagloch",
            "lat": DOM[1],
            "long": DOM[0],
            "description": "Loch",
            "email": "app@example.org",
            "first_name": "A",
            "last_name": "B",
        },
    )
    assert response.status_code == 201
    (created,) = json.loads(response.content)
    assert set(created) == {"token", "service_notice", "account_id"}
    assert _json(client, f"tokens/{created['token']}.json") == [
        {"service_request_id": None, "token": created["token"]}
    ]
    report = Report.objects.get(token=created["token"])
    assert report.source == "open311"
    assert report.api_key.key == "demo-open311-key"
    report_confirm(token=report.reporter.confirm_token)
    root = _xml(client, f"tokens/{created['token']}.xml")
    assert root.find("request/service_request_id").text == report.number


def test_post_a_realtime_request_by_address_in_xml(client, koeln):
    response = client.post(
        f"{BASE}/requests.xml",
        {
            "api_key": "demo-open311-key",
            "service_code": "ampel-defekt",
            "address_string": "Venloer Straße",
            "description": "Ampel dunkel",
            "email": "a@example.org",
        },
    )
    assert response.status_code == 201
    root = ElementTree.fromstring(response.content)
    number = root.find("request/service_request_id").text
    (item,) = _json(client, f"requests/{number}.json")
    assert set(item) == REQUEST_FIELDS
    assert re.fullmatch(r"Venloer Straße \d+, \d{5} Köln", item["address"])
    assert item["agency_responsible"] == "Amt für Verkehrsmanagement"
    assert item["status"] == "open"


@pytest.mark.parametrize(
    ("data", "status", "fragment"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"api_key": None}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code is required"),
        ({"service_code": "nope"}, 404, "service_code 'nope' not found"),
        ({"email": ""}, 400, "email is required"),
        ({"email": "kein-at"}, 400, "email is not a valid"),
        ({"lat": "", "long": ""}, 400, "location is required"),
        ({"lat": "abc"}, 400, "decimal degrees"),
        ({"lat": "50.7374", "long": "7.0982"}, 400, "outside Köln"),  # Bonn
        ({"lat": "10", "long": "10"}, 400, "outside the area"),
        ({"lat": "", "long": "", "address_string": "Xyzzystraße 12"}, 400, "not found"),
        # A point in Köln with an address in Bonn: one of them is wrong, neither is taken.
        ({"address_string": "Poppelsdorfer Allee 1, Bonn"}, 400, "is not in the area, but"),
    ],
)
def test_post_errors_use_the_spec_format(client, koeln, data, status, fragment):
    form = {
        "api_key": "demo-open311-key",
        "service_code": "schlagloch",
        "lat": DOM[1],
        "long": DOM[0],
        "description": "Loch im Weg",
        "email": "a@example.org",
    }
    form.update(data)
    if data.get("api_key", "") is None:
        form.pop("api_key")
    for fmt in ("json", "xml"):
        response = client.post(f"{BASE}/requests.{fmt}", form, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == status
        if fmt == "json":
            (error,) = json.loads(response.content)
            assert error["code"] == status and fragment in error["description"]
        else:
            root = ElementTree.fromstring(response.content)
            assert root.tag == "errors" and root.find("error/code").text == str(status)
            assert fragment in root.find("error/description").text
    assert not Report.objects.exists()


def test_an_inactive_key_is_refused(client, koeln):
    ApiKey.objects.filter(key="demo-open311-key").update(active=False)
    response = client.post(f"{BASE}/requests.json", {"api_key": "demo-open311-key"})
    assert response.status_code == 403


def test_get_requests_filters(client, make_report, django_assert_max_num_queries):
    dom = make_report(*DOM, code="schlagloch")
    ehrenfeld = make_report(*EHRENFELD, code="baum")
    make_report(*EHRENFELD, code="baum", publish=False)  # unconfirmed: never listed
    report_status_change(report=ehrenfeld, status=Status.CLOSED, note="Ast entfernt")

    def ids(**params):
        return [r["service_request_id"] for r in _json(client, "requests.json", **params)]

    with django_assert_max_num_queries(2):  # the requests, their first photos
        assert sorted(ids()) == sorted([dom.number, ehrenfeld.number])
    assert ids(status="closed") == [ehrenfeld.number]
    assert ids(status="open") == [dom.number]
    assert ids(service_code="baum") == [ehrenfeld.number]
    assert ids(service_request_id=f"{dom.number},nope") == [dom.number]
    assert ids(bbox="6.90,50.94,6.93,50.96") == [ehrenfeld.number]
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == []
    assert len(ids(start_date="2000-01-01T00:00:00Z")) == 2
    (closed,) = _json(client, "requests.json", status="closed")
    assert closed["status_notes"] == "Ast entfernt" and closed["lat"] == pytest.approx(EHRENFELD[1])
    root = _xml(client, "requests.xml")
    assert root.tag == "service_requests"
    assert {e.tag for e in root.find("request")} == REQUEST_FIELDS
    for params, fragment in [
        ({"status": "maybe"}, "status must be"),
        ({"start_date": "gestern"}, "start_date must be"),
        ({"bbox": "1,2,3"}, "bbox must be"),
        ({"start_date": "2026-02-01", "end_date": "2026-01-01"}, "start_date must not be after"),
    ]:
        (error,) = _json(client, "requests.json", expect=400, language="en", **params)
        assert error["code"] == 400 and fragment in error["description"]


def test_unknown_request_token_and_format_are_404(client, koeln):
    assert _json(client, "requests/2026-99999.json", expect=404)[0]["code"] == 404
    assert _xml(client, "tokens/nope.xml", expect=404).find("error/code").text == "404"
    unknown = _json(client, "requests.csv", expect=404, language="en")[0]["description"]
    assert unknown.startswith("Unknown format")


GEO_BAD = [
    ({"lat": "NaN", "long": "NaN", "radius": "1e309"}, "finite"),
    ({"lat": "50.94", "long": "6.95", "radius": "1e309"}, "radius"),
    ({"lat": "50.94", "long": "6.95", "radius": "-5"}, "radius"),
    ({"lat": "50.94", "long": "6.95", "radius": "viel"}, "radius"),
    ({"lat": "inf", "long": "6.95"}, "finite"),
    ({"lat": "50.94"}, "lat and long"),
    ({"radius": "100"}, "radius needs lat and long"),
    ({"lat": "6.95", "long": "50.94"}, "swapped"),
]


@pytest.mark.parametrize(("params", "message"), GEO_BAD, ids=[str(p[0]) for p in GEO_BAD])
def test_finding_8_invalid_geo_params_are_a_400_open311_error(client, koeln, params, message):
    """Finding 8: `lat=NaN&long=NaN&radius=1e309` answered 200 with every request."""
    body = _json(client, "requests.json", expect=400, language="en", **params)
    assert body[0]["code"] == 400 and message in body[0]["description"]
    root = _xml(client, "requests.xml", expect=400, language="en", **params)
    assert root.tag == "errors" and message in root.find("error/description").text


@pytest.mark.parametrize(
    ("language", "get_error", "post_error"),
    [
        (
            "de",
            "status muss open, closed oder open,closed sein",
            "api_key fehlt oder ist nicht gültig",
        ),
        ("en", "status must be open, closed or open,closed", "api_key is missing or not valid"),
    ],
)
def test_errors_speak_the_language_of_the_request(client, koeln, language, get_error, post_error):
    """Like the REST API's: the cookie, else Accept-Language, else German; JSON and XML alike."""
    (error,) = _json(client, "requests.json", expect=400, language=language, status="maybe")
    assert error["description"] == get_error
    root = _xml(client, "requests.xml", expect=400, language=language, status="maybe")
    assert root.find("error/description").text == get_error
    for fmt in ("json", "xml"):
        response = client.post(
            f"{BASE}/requests.{fmt}", {"api_key": "wrong"}, HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 403
        if fmt == "json":
            assert json.loads(response.content)[0]["description"] == post_error
        else:
            assert ElementTree.fromstring(response.content).find("error/description").text == (
                post_error
            )
    client.cookies["django_language"] = "en"  # the language link wins over the browser
    (error,) = _json(client, "requests.json", expect=400, language="de", status="maybe")
    assert error["description"] == "status must be open, closed or open,closed"


def test_lat_long_radius_select_requests_around_a_point(client, make_report):
    dom = make_report(lon=DOM[0], lat=DOM[1])
    make_report(lon=EHRENFELD[0], lat=EHRENFELD[1])
    near = _json(client, "requests.json", lat=DOM[1], long=DOM[0], radius=500)
    assert [r["service_request_id"] for r in near] == [dom.number]
    both = _json(client, "requests.json", lat=DOM[1], long=DOM[0], radius=5000)
    assert len(both) == 2


def test_discovery_names_the_brands_municipality_not_the_demo(client, koeln, settings):
    """A second city's discovery said "Mängelmelder, Stadt Köln (Demo)": a default literal."""
    settings.GEOPORTAL_BRAND = {
        **settings.GEOPORTAL_BRAND,
        "municipality": "Stadt Heidelberg",
        "contact": {**settings.GEOPORTAL_BRAND["contact"], "email": "maengel@heidelberg.example"},
    }
    contact = _json(client, "discovery.json")["contact"]
    assert contact == "Mängelmelder, Stadt Heidelberg, maengel@heidelberg.example"
    settings.REPORTS_OPEN311_CONTACT = "Bürgerservice Heidelberg, Tel. 06221 58-10580"
    assert _json(client, "discovery.json")["contact"] == settings.REPORTS_OPEN311_CONTACT


def test_an_unsure_address_string_says_why_besides_the_candidates(client, koeln):
    """The search's reason was dropped for the bare "nicht eindeutig" and the candidates: a
    client sending "Hauptstraße 5, 50667 Köln" was not told the street is not in 50667, nor
    one sending "Hauptstr. 10 Frechen" that Frechen is not served (outside tryout, #13)."""
    form = {
        "api_key": "demo-open311-key", "service_code": "schlagloch", "description": "Loch",
        "email": "a@example.org",
    }
    for address, reason in [
        ("Hauptstraße 5, 50667 Köln", "„Hauptstraße“ liegt nicht im Postleitzahlgebiet 50667."),
        ("Hauptstr. 10 Frechen", "„Frechen“ kennen wir nicht als Ort in Köln"),
    ]:
        response = client.post(f"{BASE}/requests.json", {**form, "address_string": address},
                               HTTP_ACCEPT_LANGUAGE="de")
        (error,) = json.loads(response.content)
        assert response.status_code == 400 and reason in error["description"]
        assert "Hauptstraße 5, 51143 Köln-Zündorf" in error["description"] or "10" in address
    plain = client.post(f"{BASE}/requests.json", {**form, "address_string": "Hauptstraße 5"},
                        HTTP_ACCEPT_LANGUAGE="de")
    (error,) = json.loads(plain.content)
    assert error["description"].endswith("Sürther Hauptstraße 5, 50999 Köln")  # no reason
