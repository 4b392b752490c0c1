"""`make run`'s server is the production one: gunicorn with persistent database connections,
WhiteNoise serving hashed static files with long cache headers, the workers beside it."""

import re
from pathlib import Path

import pytest
from django.db import connection

from geoportal import conf
from geoportal.gunicorn_conf import default_workers
from geoportal.ogc.sql import tile_containing

from .serving import ROOT, database_url, serve, server_env, wait_until

pytestmark = pytest.mark.django_db
COLOGNE_CATHEDRAL = (6.9583, 50.9413)


def backends(application_name: str) -> int:
    with connection.cursor() as cursor:
        # The test runs in one transaction, which would otherwise see one snapshot of the view.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


def children_env(pid: int) -> list[dict[str, str]]:
    """The environment of each process `pid` started (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent != pid:
                continue
            raw = (stat.parent / "environ").read_bytes()
        except (OSError, ValueError):
            continue  # gone meanwhile
        found.append(dict(v.decode().split("=", 1) for v in raw.split(b"\0") if b"=" in v))
    return found


def test_serve_runs_gunicorn_with_static_files_tiles_and_the_workers(tmp_path):
    # var/static: collected by `make setup` (or the suite's _static_collected fixture)
    # PORT as `make` exports it by default, while serve listens elsewhere (docs/new-city.md's
    # `manage.py serve --port 8084`): the links in emails must follow the port served.
    env = server_env(DATABASE_URL=database_url(application_name="serve-test"), PORT="8000")
    with serve(env, tmp_path / "serve.log", "--workers", "2") as server:
        page = server.get("/")
        assert page.status_code == 200
        assert "Serving http://127.0.0.1:" in server.output
        assert "with gunicorn, 2 workers" in server.output
        assert "Started worker: reports outbox" in server.output
        port = server.base.rsplit(":", 1)[1]
        children = children_env(server.process.pid)
        assert len(children) == 1 + len(conf.GEOPORTAL_WORKERS), "gunicorn and the workers"
        assert {child.get("PORT") for child in children} == {port}

        # The page links the content-hashed name; it is cached for a year and compressed.
        css = re.search(r'href="(/static/geoportal/portal\.[0-9a-f]{12}\.css)"', page.text)
        assert css, page.text[:2000]
        static = server.get(css.group(1), headers={"Accept-Encoding": "br, gzip"})
        assert static.status_code == 200
        assert static.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert static.headers["Content-Encoding"] in {"br", "gzip"}
        assert "text/css" in static.headers["Content-Type"]
        assert server.get("/static/geoportal/nope.css").status_code == 404

        z, x, y = tile_containing(*COLOGNE_CATHEDRAL, 12)
        for _ in range(6):
            tile = server.get(f"/tiles/districts/{z}/{x}/{y}.mvt")
            assert tile.status_code == 200
            assert tile.headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
            assert len(tile.content) > 100
        # Persistent connections: after the requests the workers keep theirs open (with
        # CONN_MAX_AGE=0 every request would open and close one); at most one per web worker
        # plus one per background worker.
        assert 1 <= backends("serve-test") <= 2 + len(conf.GEOPORTAL_WORKERS)
    assert server.process.returncode == 0
    # Every process stopped with serve (PostgreSQL notices a closed connection a moment later).
    wait_until(lambda: backends("serve-test") == 0, what="all connections closed")


def test_worker_count_follows_the_machine():
    assert 3 <= default_workers() <= 12


def test_make_run_uses_serve_and_make_dev_the_reloader():
    makefile = (ROOT / "Makefile").read_text()
    run = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    dev = re.search(r"^dev:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert "manage.py serve --port" in run and "--dev" not in run
    assert "manage.py serve --dev" in dev
    # A second city's administrator serves without the demo (docs/new-city.md).
    serve = re.search(r"^serve:(.*)\n((?:\t.*\n)+)", makefile, re.M)
    prerequisites = serve.group(1).split("##")[0].split()
    assert prerequisites == ["setup"], prerequisites
    assert "manage.py serve --port" in serve.group(2) and "load_demo" not in serve.group(2)
    setup = re.search(r"^setup:(.*)$", makefile, re.M).group(1)
    assert "static" in setup.split()
    assert "manage.py collectstatic" in makefile


@pytest.mark.browser
def test_map_pins_show_their_image_under_the_hashed_static_names(tmp_path, browser):
    """Leaflet finds its default marker image by the plain name in leaflet.css; with the hashed
    names served here it looked for /marker-icon.png beside the page, and every pin (search hit,
    report pin) was a broken image."""
    env = server_env(DATABASE_URL=database_url(application_name="serve-pins"))
    with serve(env, tmp_path / "serve.log", "--workers", "1") as server:
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        missing = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        page.goto(server.base + "/")
        page.get_by_label("Adresse, Straße oder Stadtteil suchen").fill("venloer str")
        page.keyboard.press("Enter")
        page.locator("#search-results button").first.click()
        icon = page.locator(".leaflet-marker-icon")
        icon.wait_for()
        wait_until(lambda: icon.evaluate("img => img.complete"), what="the pin image loaded")
        assert icon.evaluate("img => img.naturalWidth") > 0, missing
        assert not [url for url in missing if "marker" in url], missing
        context.close()
