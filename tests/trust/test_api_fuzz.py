"""Schemathesis against the OpenAPI schema (every REST operation): generated, also malformed,
input never gives a 5xx, and every error has the API's {"status", "detail", "errors"} shape.
Bounded: a few examples per operation, derandomized (the same cases on every run)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from geoportal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
EXAMPLES = 8


@pytest.fixture
def wsgi_in_test_transaction():
    """Schemathesis calls the WSGI app directly; keep Django from closing the test's connection
    at the end of each request (what Django's own test client does)."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_one_error_shape(case, koeln, wsgi_in_test_transaction):
    response = case.call(headers={"X-Api-Key": "demo-open311-key", "Accept-Encoding": "identity"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400 and response.status_code != 405:
        body = response.json()
        assert set(body) == {"status", "detail", "errors"}, body
        assert body["status"] == response.status_code
