"""Run with production settings in a subprocess: request each path ("POST /x/" posts), print
status, headers, body."""

import json
import sys

import django
from django.conf import settings
from django.test import Client, override_settings

django.setup()

results = {}
limits = {**settings.TRUST_RATE_LIMITS, "probe-ip": (100, 3600)}
with override_settings(ROOT_URLCONF="tests.trust.failing_urls", TRUST_RATE_LIMITS=limits):
    client = Client(raise_request_exception=False)
    for spec in sys.argv[1:]:
        method, _, path = spec.rpartition(" ")
        send = client.post if method == "POST" else client.get
        response = send(path, secure=True, HTTP_HOST="geoportal.example.org")
        results[spec] = {
            "status": response.status_code,
            "headers": dict(response.headers),
            "body": response.content.decode(errors="replace"),
        }
print(json.dumps(results))
