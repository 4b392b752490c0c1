"""A real PostgreSQL streaming replica of the test cluster (pg_basebackup -R into a second Debian
cluster), and the production server reading public paths from it (geoportal/replicas.py)."""

import os
import shutil
import socket

import httpx
import psycopg
import pytest
from django.db import connection

from geoportal.models import Area, AreaKind, Street
from geoportal.ogc.sql import tile_containing
from reports import demo, services
from reports.models import ApiKey, Report, Reporter
from scripts import standby

from .serving import HOST, database_url, serve, server_env, wait_until

CLUSTER = os.environ.get("GEOPORTAL_REPLICA_TEST_CLUSTER", "test_replica_i16")
PORTS = range(5160, 5170)  # the ports this checkout may use for extra clusters
COLOGNE_CATHEDRAL = (6.9583, 50.9413)
pytestmark = [
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("pg_createcluster"),
        reason="creates a Debian PostgreSQL cluster: needs root and postgresql-common",
    ),
    pytest.mark.slow,
]


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            if s.connect_ex((HOST, port)) != 0:
                return port
    raise RuntimeError(f"no free port in {PORTS}")


@pytest.fixture(scope="module")
def replica(django_db_setup):
    """A hot standby of the cluster that holds the test database, streaming from it."""
    port = _free_port()
    standby.create(CLUSTER, port, database_url())
    try:
        yield {**connection.settings_dict, "PORT": port}
    finally:
        standby.drop(CLUSTER)


def on_replica(settings_dict: dict, sql: str, params=()) -> list[tuple]:
    with psycopg.connect(database_url(settings_dict), autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def cathedral():
    from django.contrib.gis.geos import Point

    return Point(*COLOGNE_CATHEDRAL, srid=4326).transform(25832, clone=True)


def reports_in(response) -> int:
    """Reports counted by the cluster view (the public map zoomed out)."""
    assert response.status_code == 200, response.text
    return sum(f["properties"]["count"] for f in response.json()["features"])


def districts(server) -> list[dict]:
    response = server.get("/geojson/districts.geojson")
    assert response.status_code == 200, response.text
    return response.json()["features"]


def test_public_reads_hit_the_replica_writes_the_primary(replica, transactional_db, tmp_path):
    demo.configure()  # categories and the Open311 key, committed (transactional test)
    wait_until(
        lambda: on_replica(replica, f"SELECT count(*) FROM {ApiKey._meta.db_table}")[0][0] > 0,
        timeout=300,  # it first replays what the cluster wrote during the base backup
        what="the replica has replayed the demo configuration",
    )
    env = server_env(
        DATABASE_URL=database_url(application_name="i16-primary"),
        DATABASE_REPLICA_URLS=database_url(replica, application_name="i16-replica"),
        GEOPORTAL_REPLICA_MAX_LAG_SECONDS="600",
        GEOPORTAL_REPLICA_RETRY_SECONDS="1",
    )
    z, x, y = tile_containing(*COLOGNE_CATHEDRAL, 13)
    with serve(env, tmp_path / "serve.log", "--workers", "1") as server:
        tile = server.get(f"/tiles/streets/{z}/{x}/{y}.mvt")
        assert tile.status_code == 200 and len(tile.content) > 100
        assert server.get("/geojson/districts.geojson").json()["features"]
        readers = on_replica(
            replica,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'i16-replica'",
        )
        assert readers[0][0] >= 1  # the public reads ran on the replica
        clusters = f"/api/reports/geojson/?cluster_zoom={z}"
        reports_before = reports_in(server.get(clusters))
        street = next(
            s for s in Street.objects.filter(geom__dwithin=(cathedral(), 300))
            if s.name.encode() in tile.content
        )
        district = Area.objects.filter(kind=AreaKind.DISTRICT).order_by("code").first()

        # Replay stops: the replica still answers but does not see new rows.
        on_replica(replica, "SELECT pg_wal_replay_pause()")
        with httpx.Client(base_url=server.base, timeout=30) as citizen:
            filed = citizen.post(
                "/open311/v2/requests.json",
                data={
                    "api_key": demo.DEMO_KEY, "service_code": "schlagloch",
                    "lat": COLOGNE_CATHEDRAL[1], "long": COLOGNE_CATHEDRAL[0],
                    "description": "Replica test", "email": "replica@example.org",
                },
            )  # fmt: skip
            assert filed.status_code == 201, filed.text
            # Not public before the reporter confirms by email: Open311 answers with a token.
            token = filed.json()[0]["token"]
            assert Report.objects.filter(token=token).exists()  # written on the primary
            sql = f"SELECT 1 FROM {Report._meta.db_table} WHERE token = %s"
            assert not on_replica(replica, sql, [token])
            # The writer reads from the primary for a while (cookie), so sees it at once ...
            own = citizen.get(f"/open311/v2/tokens/{token}.json")
            assert own.status_code == 200, own.text
            # ... while an anonymous reader gets the replica, which has not replayed it yet.
            assert server.get(f"/open311/v2/tokens/{token}.json").status_code == 404

            # The raw-SQL reads (tiles, /geojson/, the map's cluster view) read the replica too:
            # what the primary has and the paused replica has not is missing from their answers.
            services.report_confirm(token=Reporter.objects.get(report__token=token).confirm_token)
            Street.objects.filter(pk=street.pk).update(name="Replikastraße")
            Area.objects.filter(pk=district.pk).update(name="Replikaviertel")
            assert reports_in(citizen.get(clusters)) == reports_before + 1  # the primary
            assert reports_in(server.get(clusters)) == reports_before
            tile_path = f"/tiles/streets/{z}/{x}/{y}.mvt"
            assert "Replikastraße".encode() not in server.get(tile_path).content
            assert street.name.encode() in server.get(tile_path).content
            names = {f["properties"]["name"] for f in districts(server)}
            assert district.name in names and "Replikaviertel" not in names
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            written = cursor.fetchone()[0]
        on_replica(replica, "SELECT pg_wal_replay_resume()")
        # Caught up to everything written above (the report's confirmation came after its
        # creation: seeing the report alone would not mean it is published on the replica).
        sql = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
        wait_until(
            lambda: on_replica(replica, sql, [written])[0][0], timeout=120,
            what="the replica caught up",
        )
        # Caught up, the same requests show the change: the stale answers came from the
        # replica, not from a cache.
        assert reports_in(server.get(clusters)) == reports_before + 1
        assert "Replikastraße".encode() in server.get(tile_path).content
        assert "Replikaviertel" in {f["properties"]["name"] for f in districts(server)}

        # The replica goes away: public reads fall back to the primary without an error.
        standby.stop(CLUSTER)
        paths = (f"/tiles/streets/{z}/{x}/{y}.mvt", "/geojson/districts.geojson", "/meldungen/")
        for path in paths:
            assert server.get(path).status_code == 200, path
        assert server.get(f"/open311/v2/tokens/{token}.json").status_code == 200
