"""Open311 is not in the OpenAPI schema; Hypothesis throws hostile form data at its POST and
query strings at its GETs: never a 5xx, every error in the spec's error list."""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

pytestmark = pytest.mark.django_db

text = st.text(max_size=40) | st.sampled_from(
    ["", "NaN", "inf", "-1e309", "50.94", "6.96", "'; DROP TABLE x;--", "\x00", "a" * 3000]
)
FIELDS = [
    "api_key",
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "email",
    "first_name",
    "last_name",
    "phone",
    "jurisdiction_id",
    "media_url",
]
VALID = {
    "service_code": "schlagloch",
    "lat": "50.94",
    "long": "6.96",
    "description": "Loch",
    "email": "fuzz@example.org",
}
BOUNDED = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _assert_spec_error(response, fmt):
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        if fmt == "json":
            (error,) = json.loads(response.content)
            assert error["code"] == response.status_code and error["description"]
        else:
            root = etree.fromstring(response.content)
            assert root.tag == "errors" and root.findtext("error/code") == str(response.status_code)


@BOUNDED
@given(
    form=st.dictionaries(st.sampled_from(FIELDS), text, max_size=len(FIELDS)),
    fmt=st.sampled_from(["json", "xml"]),
    valid_key=st.booleans(),
)
@example(form={**VALID, "description": "Loch\x00"}, fmt="json", valid_key=True)
@example(form={**VALID, "first_name": "\x00"}, fmt="xml", valid_key=True)
@example(form={**VALID, "lat": "NaN", "long": "inf"}, fmt="json", valid_key=True)
@example(form={**VALID, "lat": "1e400"}, fmt="json", valid_key=True)
@example(form={**VALID, "description": "x" * 100_000}, fmt="xml", valid_key=True)
@example(form={**VALID, "email": "a@b" + "c" * 300 + ".de"}, fmt="json", valid_key=True)
@example(form={**VALID, "phone": "+49" + "1" * 300}, fmt="json", valid_key=True)
def test_post_requests_never_fails_with_5xx(client, koeln, form, fmt, valid_key):
    if valid_key:
        form["api_key"] = "demo-open311-key"
    response = client.post(f"/open311/v2/requests.{fmt}", form)
    _assert_spec_error(response, fmt)


@BOUNDED
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "service_code",
                "status",
                "start_date",
                "end_date",
                "bbox",
                "service_request_id",
                "jurisdiction_id",
            ]
        ),
        text,
        max_size=4,
    ),
    fmt=st.sampled_from(["json", "xml"]),
)
@example(params={"service_code": "a\x00b"}, fmt="json")
@example(params={"start_date": "9999-99-99T99:99:99Z", "bbox": "nan,nan,inf,inf"}, fmt="xml")
def test_get_requests_never_fails_with_5xx(client, koeln, params, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}", params)
    _assert_spec_error(response, fmt)
