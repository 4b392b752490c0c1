"""The trust layer knows no app: apps register guards, error formats and backup counts from
their AppConfig.ready() (trust/registry.py)."""

import ast
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory

from trust import registry
from trust.middleware import error_response

TRUST = Path(__file__).resolve().parents[2] / "trust"
PROJECT_APPS = {"reports", "crews", "geoportal", "councilmap", "landuse", "opendata"}


def test_trust_imports_no_project_app():
    imported = set()
    for source in TRUST.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add((source.name, node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                imported |= {(source.name, alias.name.split(".")[0]) for alias in node.names}
    assert {(f, m) for f, m in imported if m in PROJECT_APPS} == set()
    for template in TRUST.rglob("*.html"):
        assert "reports:" not in template.read_text(), template


def test_reports_registered_its_guards_and_open311_errors():
    assert registry.guard_for("reports:new").fields == ("email",)
    assert registry.guard_for("reports:api-photo-location").count_failures
    request = RequestFactory().get("/open311/v2/requests.xml")
    assert b"<errors><error><code>429</code>" in error_response(request, 429, "x", 5).content


def test_an_app_registers_its_own_error_format():
    def teapot(request, status, detail):
        return HttpResponse(f"tea {status}: {detail}", status=status)

    registry.register_error_format("/tee/", teapot)
    try:
        response = error_response(RequestFactory().get("/tee/kanne"), 503, "leer", 30)
        assert response.content == b"tea 503: leer" and response["Retry-After"] == "30"
    finally:
        registry._ERROR_FORMATS[:] = [e for e in registry._ERROR_FORMATS if e[0] != "/tee/"]
