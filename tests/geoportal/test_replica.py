"""A real PostgreSQL streaming replica of the test cluster (pg_basebackup -R into a second Debian
cluster), and the production server reading public paths from it (geoportal/replicas.py)."""

import os
import shutil
import socket

import httpx
import psycopg
import pytest
from django.db import connection

from geoportal import replicas
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


# Public read paths that all show every district's name: WFS GetFeature, OGC API Features
# items, an open-data download, the statistics page and /geojson/. A rename on the primary shows
# in them only once it reaches the database the request read from.
DISTRICT_READS = (
    "/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=districts&OUTPUTFORMAT=geojson",
    "/ogcapi/collections/districts/items?f=json&limit=100",
    "/opendata/districts.geojson",
    "/statistik/",
    "/geojson/districts.geojson",
)


def names_seen(server, *names: str) -> dict[str, set[str]]:
    """Which of these district names each public read path shows."""
    seen = {}
    for path in DISTRICT_READS:
        response = server.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        seen[path] = {name for name in names if name in response.text}
    return seen


def everywhere(*names: str) -> dict[str, set[str]]:
    return {path: set(names) for path in DISTRICT_READS}


def lag_seconds(settings_dict: dict) -> float:
    """The replica's lag as the router measures it."""
    return float(on_replica(settings_dict, replicas._LAG_SQL)[0][0])


def reads_replica(server, settings_dict: dict, application_name: str) -> bool:
    """Whether a public read of this server ran on the replica. With a lag check before every
    read (GEOPORTAL_REPLICA_CHECK_SECONDS=0), the last statement of the server's replica
    connection is the lag check when the read went to the primary (replica skipped), and the
    read's own query when it went to the replica."""
    assert server.get("/geojson/districts.geojson").status_code == 200
    last = on_replica(
        settings_dict,
        "SELECT query FROM pg_stat_activity WHERE application_name = %s",
        [application_name],
    )
    return bool(last) and last[0][0] != replicas._LAG_SQL


def test_public_reads_hit_the_replica_writes_the_primary(replica, transactional_db, tmp_path):
    demo.configure()  # categories and the Open311 key, committed (transactional test)
    wait_until(
        lambda: on_replica(replica, f"SELECT count(*) FROM {ApiKey._meta.db_table}")[0][0] > 0,
        timeout=300,  # it first replays what the cluster wrote during the base backup
        what="the replica has replayed the demo configuration",
    )
    common = {"MEDIA_ROOT": str(tmp_path / "media"), "GEOPORTAL_REPLICA_RETRY_SECONDS": "1"}
    env = server_env(
        DATABASE_URL=database_url(application_name="i16-primary"),
        DATABASE_REPLICA_URLS=database_url(replica, application_name="i16-replica"),
        GEOPORTAL_REPLICA_MAX_LAG_SECONDS="600",
        **common,
    )
    # A second server on the same two databases that tolerates 1 s of lag and measures it
    # before every read: it must skip the replica while replay is paused.
    strict_env = server_env(
        DATABASE_URL=database_url(application_name="i16-strict-primary"),
        DATABASE_REPLICA_URLS=database_url(replica, application_name="i16-strict-replica"),
        GEOPORTAL_REPLICA_MAX_LAG_SECONDS="1",
        GEOPORTAL_REPLICA_CHECK_SECONDS="0",
        **common,
    )
    z, x, y = tile_containing(*COLOGNE_CATHEDRAL, 13)
    with (
        serve(env, tmp_path / "serve.log", "--workers", "1") as server,
        serve(strict_env, tmp_path / "strict.log", "--workers", "1") as strict,
    ):
        tile = server.get(f"/tiles/streets/{z}/{x}/{y}.mvt")
        assert tile.status_code == 200 and len(tile.content) > 100
        district = Area.objects.filter(kind=AreaKind.DISTRICT).order_by("code").first()
        assert names_seen(server, district.name) == everywhere(district.name)
        readers = on_replica(
            replica,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'i16-replica'",
        )
        assert readers[0][0] >= 1  # the public reads ran on the replica
        # The strict server reads the replica too while it keeps up (waited for: the shared
        # cluster's other writes can make it lag past 1 s for a moment).
        wait_until(
            lambda: reads_replica(strict, replica, "i16-strict-replica"), timeout=60,
            what="the strict server reads from the replica",
        )  # fmt: skip
        clusters = f"/api/reports/geojson/?cluster_zoom={z}"
        reports_before = reports_in(server.get(clusters))
        street = next(
            s for s in Street.objects.filter(geom__dwithin=(cathedral(), 300))
            if s.name.encode() in tile.content
        )

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

            # The raw-SQL reads (tiles, /geojson/, WFS, OGC API, open data, statistics, the
            # map's cluster view) read the replica too: what the primary has and the paused
            # replica has not is missing from their answers.
            services.report_confirm(token=Reporter.objects.get(report__token=token).confirm_token)
            Street.objects.filter(pk=street.pk).update(name="Replikastraße")
            Area.objects.filter(pk=district.pk).update(name="Replikaviertel")
            assert reports_in(citizen.get(clusters)) == reports_before + 1  # the primary
            assert reports_in(server.get(clusters)) == reports_before
            tile_path = f"/tiles/streets/{z}/{x}/{y}.mvt"
            assert "Replikastraße".encode() not in server.get(tile_path).content
            assert street.name.encode() in server.get(tile_path).content
            stale = names_seen(server, district.name, "Replikaviertel")
            assert stale == everywhere(district.name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            written = cursor.fetchone()[0]

        # Lagging: the replica has received what was written but not replayed it, so its lag
        # (now minus the last replayed commit's time) grows past the strict server's 1 s.
        received = "SELECT pg_last_wal_receive_lsn() >= %s::pg_lsn"
        wait_until(
            lambda: on_replica(replica, received, [written])[0][0], timeout=120,
            what="the paused replica received the writes",
        )  # fmt: skip
        wait_until(lambda: lag_seconds(replica) > 1, what="the replica lags more than 1 s")
        # The strict server skips it: an anonymous reader sees the new report, street and
        # district from the primary on every path, while the 600 s server still reads the
        # stale replica.
        assert reports_in(strict.get(clusters)) == reports_before + 1
        assert "Replikastraße".encode() in strict.get(tile_path).content
        assert names_seen(strict, "Replikaviertel") == everywhere("Replikaviertel")
        assert strict.get(f"/open311/v2/tokens/{token}.json").status_code == 200
        assert not reads_replica(strict, replica, "i16-strict-replica")
        primary_readers = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
        with connection.cursor() as cursor:
            cursor.execute(primary_readers, ["i16-strict-primary"])
            assert cursor.fetchone()[0] >= 1
        assert reports_in(server.get(clusters)) == reports_before
        assert names_seen(server, "Replikaviertel") == everywhere()

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
        assert names_seen(server, "Replikaviertel") == everywhere("Replikaviertel")
        # Once it keeps up again the strict server goes back to it (it retries after 1 s).
        wait_until(
            lambda: reads_replica(strict, replica, "i16-strict-replica"), timeout=60,
            what="the strict server reads from the replica again",
        )  # fmt: skip

        # The replica goes away: public reads fall back to the primary without an error.
        standby.stop(CLUSTER)
        paths = (tile_path, clusters, "/meldungen/", f"/open311/v2/tokens/{token}.json")
        for path in paths:
            assert server.get(path).status_code == 200, path
        assert names_seen(server, "Replikaviertel") == everywhere("Replikaviertel")
