"""Run with production settings in a subprocess: GET each path, print status, headers, body."""

import json
import sys

import django
from django.test import Client, override_settings

django.setup()

results = {}
with override_settings(ROOT_URLCONF="tests.trust.failing_urls"):
    client = Client(raise_request_exception=False)
    for path in sys.argv[1:]:
        response = client.get(path, secure=True, HTTP_HOST="geoportal.example.org")
        results[path] = {
            "status": response.status_code,
            "headers": dict(response.headers),
            "body": response.content.decode(errors="replace"),
        }
print(json.dumps(results))
