"""Backup and restore of the whole platform: one tar with a pg_dump (custom format) of the
database, the media folder (report photos) and a manifest with counts to check a restore."""

import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from .registry import backup_counts

DUMP = "database.dump"
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(RuntimeError):
    pass


def _pg_env(database_url: str | None) -> tuple[list[str], dict]:
    """libpq arguments and environment for the configured database or `database_url`."""
    if database_url:
        parts = urlsplit(database_url)
        host, port = parts.hostname or "", str(parts.port or 5432)
        user, password, name = parts.username or "", parts.password or "", parts.path.lstrip("/")
    else:
        db = settings.DATABASES["default"]
        host, port = db.get("HOST", ""), str(db.get("PORT") or 5432)
        user, password, name = db.get("USER", ""), db.get("PASSWORD", ""), db["NAME"]
    env = {**os.environ, "PGPASSWORD": password}
    return ["-h", host, "-p", port, "-U", user, "-d", name], env


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()[-2000:]}")


def backup_create(*, target: Path) -> dict:
    """Write `target` (.tar): database dump, media folder, manifest. Returns the manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    counts = backup_counts()  # what the apps registered (trust.registry)
    manifest = {"created_at": timezone.now().isoformat(), **counts}
    args, env = _pg_env(None)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *args], env)
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = target.with_suffix(target.suffix + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(Path(tmp) / MANIFEST, arcname=MANIFEST)
            tar.add(dump, arcname=DUMP)
            if media_root.exists():
                tar.add(media_root, arcname=MEDIA)
        partial.replace(target)  # a backup file that exists is complete
    return manifest


def backup_restore(*, source: Path, database_url: str, media_root: Path) -> dict:
    """Restore `source` into the empty database at `database_url` and into `media_root`."""
    args, env = _pg_env(database_url)
    with tarfile.open(source) as tar, tempfile.TemporaryDirectory() as tmp:
        tar.extractall(tmp, filter="data")
        manifest = json.loads((Path(tmp) / MANIFEST).read_text())
        _run(["pg_restore", "--no-owner", "--exit-on-error", *args, str(Path(tmp) / DUMP)], env)
        media = Path(tmp) / MEDIA
        if media.exists():
            media_root.mkdir(parents=True, exist_ok=True)
            _run(["cp", "-a", f"{media}/.", str(media_root)], env)
    return manifest
