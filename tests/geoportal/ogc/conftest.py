"""Fixtures for the geodata services: GDAL's own command-line clients against a live server.

pytest-django's live_server normally asks for `transactional_db`, which empties every table
after each test. Our session loads the Köln core once (tests/conftest.py) and commits it; a
flush would take it away from every later test, and reloading costs ~10 s a time. These tests
only read, so for them the live server reads the committed data as it is, and the test body
may use the ORM outside a test transaction.
"""

import json
import subprocess
from pathlib import Path

import pytest

OGR_TIMEOUT_S = 60


@pytest.fixture(autouse=True)
def _live_server_helper(request, django_db_blocker):
    if "live_server" not in request.fixturenames:
        yield
        return
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()


def _run(args: list[str]) -> str:
    # GDAL_HTTP_* keep GDAL from caching between calls, so every call really asks the server.
    env = {"GDAL_HTTP_TIMEOUT": "30", "CPL_VSIL_CURL_CACHE_SIZE": "0", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=OGR_TIMEOUT_S, env=env, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture
def ogrinfo():
    def run(*args: str) -> str:
        return _run(["ogrinfo", "-ro", *args])

    return run


@pytest.fixture
def ogr2geojson(tmp_path: Path):
    """Copy a layer with ogr2ogr into GeoJSON and return the parsed document."""

    def run(source: str, layer: str, *options: str) -> dict:
        out = tmp_path / f"{layer.replace(':', '_')}.geojson"
        out.unlink(missing_ok=True)
        _run(["ogr2ogr", "-f", "GeoJSON", *options, str(out), source, layer])
        return json.loads(out.read_text())

    return run


def decode_tile(data: bytes, tmp_path: Path, z: int, x: int, y: int) -> dict:
    """A Mapbox vector tile read by GDAL's MVT driver, as GeoJSON in EPSG:4326."""
    path = tmp_path / f"{z}-{x}-{y}.mvt"
    path.write_bytes(data)
    out = subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            "/vsistdout/",
            str(path),
            "-oo",
            f"X={x}",
            "-oo",
            f"Y={y}",
            "-oo",
            f"Z={z}",
            "-t_srs",
            "EPSG:4326",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)
