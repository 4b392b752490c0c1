"""A PostgreSQL hot standby of a local Debian cluster, made with pg_basebackup -R into a second
Debian cluster: for the replica test and the serving benchmark (needs root).

    python scripts/standby.py create NAME PORT postgres://user:pw@host:port/db
    python scripts/standby.py drop NAME
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
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


def _slot(name: str) -> str:
    return "standby_" + re.sub(r"[^a-z0-9_]", "_", name.lower())


def _primary_conninfo(name: str) -> str | None:
    """The primary_conninfo pg_basebackup -R wrote into the standby's data directory."""
    conf = Path(f"/var/lib/postgresql/{PGVER}/{name}/postgresql.auto.conf")
    if not conf.exists():
        return None
    match = re.search(r"^primary_conninfo = '((?:[^']|'')*)'", conf.read_text(), re.M)
    return match.group(1).replace("''", "'") if match else None


def _drop_slot(conn: psycopg.Connection, slot: str) -> None:
    # The standby is stopped, but its WAL sender may not have noticed yet.
    conn.execute(
        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
        "WHERE slot_name = %s AND active_pid IS NOT NULL",
        [slot],
    )
    present = "SELECT active FROM pg_replication_slots WHERE slot_name = %s"
    for _ in range(100):
        rows = conn.execute(present, [slot]).fetchall()
        if not rows:
            return
        if not rows[0][0]:
            conn.execute("SELECT pg_drop_replication_slot(%s)", [slot])
            return
        time.sleep(0.1)


def drop(name: str) -> None:
    conninfo = _primary_conninfo(name)
    subprocess.run(["pg_dropcluster", PGVER, name, "--stop"], capture_output=True, check=False)
    if conninfo:
        # A slot left behind would keep the primary's WAL forever (create() also drops it).
        try:
            with psycopg.connect(conninfo, dbname="postgres", autocommit=True) as conn:
                _drop_slot(conn, _slot(name))
        except psycopg.Error as error:
            print(f"standby {name}: replication slot not dropped: {error}", file=sys.stderr)


def create(name: str, port: int, primary_url: str) -> None:
    """Streaming from the cluster behind primary_url (copies every database of that cluster)."""
    primary = urlparse(primary_url)
    with psycopg.connect(primary_url, autocommit=True) as conn:
        limits = conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(_LIMITS)]
        ).fetchall()
        drop(name)
        _drop_slot(conn, _slot(name))
    _run("pg_createcluster", PGVER, name, "-p", str(port))
    for setting, value in limits:
        _run("pg_conftool", PGVER, name, "set", setting, value)
    data = f"/var/lib/postgresql/{PGVER}/{name}"
    shutil.rmtree(data)
    # -R writes standby.signal and primary_conninfo: a streaming replica, not a copy. -C -S: a
    # replication slot keeps the WAL written after the backup until the standby has streamed it;
    # without one, a busy primary recycled it before the standby started, which then never
    # caught up ("requested WAL segment ... has already been removed"). drop() removes it.
    _run(
        "runuser", "-u", "postgres", "--", "pg_basebackup", "-h", primary.hostname or "127.0.0.1",
        "-p", str(primary.port or 5432), "-U", primary.username or "postgres", "-D", data,
        "-R", "-X", "stream", "-c", "fast", "-C", "-S", _slot(name),
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
