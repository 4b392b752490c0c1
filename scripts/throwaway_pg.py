"""A PostgreSQL cluster of our own, in a temporary folder, for tests that restart the database
(`make loadtest`): never the shared cluster other checkouts run their tests on."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class ThrowawayCluster:
    """initdb in a temp folder, started on 127.0.0.1:`port`, a copy of `source_url`'s database
    (pg_dump | pg_restore), restartable, removed by `destroy()`."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix=f"geoportal-loadtest-pg-{port}-"))
        self.data = self.dir / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, text=True)

    def create(self, *, source_url: str) -> str:
        """Start the cluster with a copy of the database at `source_url`; return its URL."""
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w",
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start",
        )  # fmt: skip
        name = urlsplit(source_url).path.lstrip("/") or "geoportal"
        url = f"postgres://postgres@127.0.0.1:{self.port}/{name}"
        self._run(str(BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  name)  # fmt: skip
        dump = subprocess.Popen(
            [str(BIN / "pg_dump"), "--format=custom", "--no-owner", source_url],
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            [str(BIN / "pg_restore"), "--no-owner", "--exit-on-error", "-d", url],
            stdin=dump.stdout, check=True, capture_output=True,
        )  # fmt: skip
        if dump.wait() != 0:
            raise RuntimeError("pg_dump of the source database failed")
        return url

    def restart(self) -> None:
        """What a PostgreSQL restart is: every connection ends, the server is away a moment."""
        # -l: the server's output goes to the log, not to our pipe (which would never close).
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w",
                  "-m", "fast", "restart",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1")  # fmt: skip

    def destroy(self) -> None:
        if self.data.exists():
            subprocess.run(
                [*self.as_postgres, str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                 "stop"],
                capture_output=True, check=False,
            )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)
