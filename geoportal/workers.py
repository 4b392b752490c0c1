"""The loop every background worker runs: beat, work, sleep, until SIGTERM or SIGINT."""

import signal
import time
from collections.abc import Callable

from django.db import DatabaseError, close_old_connections, connection

from .services import worker_heartbeat


def run_until_stopped(
    *, name: str, step: Callable[[], str], interval: float, out, err
) -> None:
    """Call `step` every `interval` seconds and write what it returns (nothing when empty).

    A database restart must not end a worker: its work waits in rows, so the pass is retried
    on a fresh connection. A signal stops the worker between passes, never inside one, so a
    pass's transaction is either committed or never begun.
    """
    stop = False

    def _stop(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while not stop:
        try:
            worker_heartbeat(name=name)
            said = step()
        except DatabaseError as exc:
            err.write(f"{name}: database unavailable ({exc}); retrying")
            connection.close()
        else:
            if said:
                out.write(f"{name}: {said}")
        for _ in range(int(interval * 10)):
            if stop:
                break
            time.sleep(0.1)
        # Drop a connection the database closed meanwhile (CONN_MAX_AGE, restarts).
        close_old_connections()
