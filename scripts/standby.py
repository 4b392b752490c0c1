"""A PostgreSQL hot standby of a local Debian cluster, made with pg_basebackup -R into a second
Debian cluster: for the replica test and the serving benchmark (needs root).

    python scripts/standby.py create NAME PORT postgres://user:pw@host:port/db
    python scripts/standby.py drop NAME
"""

import os
import shutil
import subprocess
import sys
from urllib.parse import urlparse

import psycopg

PGVER = "15"
# A hot standby refuses to start with fewer of these than its primary.
_LIMITS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _run(*args: str, **kwargs) -> None:
    subprocess.run(args, check=True, capture_output=True, text=True, timeout=1800, **kwargs)


def drop(name: str) -> None:
    subprocess.run(["pg_dropcluster", PGVER, name, "--stop"], capture_output=True, check=False)


def create(name: str, port: int, primary_url: str) -> None:
    """Streaming from the cluster behind primary_url (copies every database of that cluster)."""
    primary = urlparse(primary_url)
    with psycopg.connect(primary_url, autocommit=True) as conn:
        limits = conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(_LIMITS)]
        ).fetchall()
    drop(name)
    _run("pg_createcluster", PGVER, name, "-p", str(port))
    for setting, value in limits:
        _run("pg_conftool", PGVER, name, "set", setting, value)
    data = f"/var/lib/postgresql/{PGVER}/{name}"
    shutil.rmtree(data)
    # -R writes standby.signal and primary_conninfo: a streaming replica, not a copy.
    _run(
        "runuser", "-u", "postgres", "--", "pg_basebackup", "-h", primary.hostname or "127.0.0.1",
        "-p", str(primary.port or 5432), "-U", primary.username or "postgres", "-D", data,
        "-R", "-X", "stream", "-c", "fast",
        env={**os.environ, "PGPASSWORD": primary.password or ""},
    )  # fmt: skip
    _run("pg_ctlcluster", PGVER, name, "start")


def stop(name: str) -> None:
    _run("pg_ctlcluster", PGVER, name, "stop", "-m", "fast")


if __name__ == "__main__":
    if sys.argv[1:2] == ["create"] and len(sys.argv) == 5:
        create(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1:2] == ["drop"] and len(sys.argv) == 3:
        drop(sys.argv[2])
    else:
        raise SystemExit(__doc__)
