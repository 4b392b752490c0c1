"""Load and fault test (`make loadtest`): the app under gunicorn on 127.0.0.1, a real SMTP
server (aiosmtpd), the outbox worker; writers file reports through Open311 and the REST API
while readers fetch GeoJSON and lists. Faults during the run: the mail server goes away and
comes back, the worker is killed (SIGKILL) and restarted, and PostgreSQL is restarted twice
(`--db-restarts`) on a throwaway cluster with a copy of the database (scripts/throwaway_pg.py),
never the shared cluster.

Afterwards every accepted report must be in the database with its office, reporter, history
and outbox messages; every message must be delivered, none twice. Prints throughput and
latency percentiles. Only loopback, bounded in time (--seconds) and clients (--writers,
--readers). Adds reports to the configured database, each marked with this run's id.
"""

import argparse
import atexit
import json
import logging
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
KEY = "demo-open311-key"
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP line
logging.getLogger("httpx").setLevel(logging.WARNING)
BOX = (6.90, 50.92, 7.00, 50.97)  # central Köln: every point is routed


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        from email import message_from_bytes, policy

        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, str(parsed["Subject"]), str(parsed["Message-ID"])))
        return "250 OK"


class Mail:
    """A real SMTP server that can go away and come back on the same port."""

    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


def wait_for_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49] * 1000:.0f} ms  p95 {q[94] * 1000:.0f} ms  p99 {q[98] * 1000:.0f} ms"


def main() -> int:  # noqa: C901, PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the run's reports afterwards")
    parser.add_argument(
        "--db-restarts",
        type=int,
        default=2,
        help="restart PostgreSQL this often during the run, on a throwaway cluster of the run's "
        "own (a copy of the database; 0: the configured database, connections are terminated)",
    )
    parser.add_argument(
        "--pg-port", type=int, default=int(os.environ.get("LOADTEST_PG_PORT", "0")) or None
    )
    args = parser.parse_args()
    args.seconds = min(args.seconds, 300)  # bounded whatever is asked

    run = secrets.token_hex(4)
    web_port, smtp_port = free_port(), free_port()
    base = f"http://{HOST}:{web_port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "geoportal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "GEOPORTAL_BASE_URL": base,
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(smtp_port),
        "TRUST_REPORTS_PER_IP_HOUR": "10000000",
        "TRUST_REPORTS_PER_EMAIL_HOUR": "10000000",
        "LOG_LEVEL": "ERROR",
    }
    # The app's and the worker's connections carry this name, so the fault "database connections
    # lost" can end exactly those (the cluster is shared with other checkouts: no restart).
    app_name = f"loadtest-{run}"
    url = os.environ.get("DATABASE_URL", "")
    cluster = None
    if args.db_restarts and not args.no_faults:
        # Restarts need a cluster of our own: the configured one is shared with other checkouts.
        from throwaway_pg import ThrowawayCluster

        cluster = ThrowawayCluster(args.pg_port or free_port())
        print(f"copying the database into a throwaway cluster on port {cluster.port} …", flush=True)
        atexit.register(cluster.destroy)
        url = cluster.create(source_url=url)
        env["DATABASE_URL"] = url
    if url:
        env["DATABASE_URL"] = url + ("&" if "?" in url else "?") + f"application_name={app_name}"
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DJANGO_SETTINGS_MODULE",
                "SECRET_KEY",
                "ALLOWED_HOSTS",
                "GEOPORTAL_BASE_URL",
                "DATABASE_URL",
            )
            if k in env
        }
    )
    import django

    django.setup()
    from reports import demo
    from reports.models import OutboxMessage, OutboxStatus, Report

    demo.configure()  # offices, categories, rules and the demo API key (idempotent)

    mail = Mail(smtp_port)
    mail.start()
    python = str(ROOT / ".venv" / "bin" / "python")
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "geoportal.wsgi",
            "-b",
            f"{HOST}:{web_port}",
            "-w",
            str(args.workers),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )

    def start_worker():
        return subprocess.Popen(
            [python, "manage.py", "run_outbox", "--interval", "0.5"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )

    worker = start_worker()

    def drop_connections():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [app_name],
            )
            return cursor.fetchone()[0]

    accepted: list[tuple[str, str]] = []  # (kind, token or number)
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    lock = threading.Lock()
    stop = threading.Event()
    try:
        # A busy machine (other test suites on the same cores) boots gunicorn slowly.
        wait_for_http(f"{base}/open311/v2/discovery.json", timeout=120)
        t0 = time.monotonic()

        def writer(index: int):
            rng = random.Random(index)
            with httpx.Client(base_url=base, timeout=30) as client:
                n = 0
                while not stop.is_set():
                    n += 1
                    lon, lat = rng.uniform(BOX[0], BOX[2]), rng.uniform(BOX[1], BOX[3])
                    code = rng.choice(["ampel-defekt", "schlagloch", "laterne-defekt"])
                    text = f"loadtest {run} w{index} n{n}"
                    email = f"w{index}@load.example.org"
                    started = time.monotonic()
                    if index % 2:
                        kind = "open311"
                        r = client.post(
                            "/open311/v2/requests.json",
                            data={
                                "api_key": KEY,
                                "service_code": code,
                                "lat": lat,
                                "long": lon,
                                "description": text,
                                "email": email,
                            },
                        )
                    else:
                        kind = "rest"
                        r = client.post(
                            "/api/reports/",
                            headers={"X-Api-Key": KEY},
                            json={
                                "category": code,
                                "lat": lat,
                                "lon": lon,
                                "description": text,
                                "email": email,
                            },
                        )
                    elapsed = time.monotonic() - started
                    with lock:
                        latencies[f"POST {kind}"].append(elapsed)
                        statuses[(kind, r.status_code)] += 1
                        if r.status_code == 503 and "retry-after" not in r.headers:
                            statuses[(kind, "503 without Retry-After")] += 1
                        if r.status_code == 201:
                            body = r.json()
                            item = body[0] if isinstance(body, list) else body
                            ident = item.get("token") or item.get("service_request_id")
                            accepted.append((kind, ident))

        def reader(index: int):
            paths = [
                "/api/reports/geojson/?bbox=6.90,50.92,7.00,50.97",
                "/meldungen/karte.geojson",
                "/open311/v2/requests.json?bbox=6.93,50.93,6.97,50.95",
                "/api/reports/?limit=50",
            ]
            with httpx.Client(base_url=base, timeout=30) as client:
                i = index
                while not stop.is_set():
                    path = paths[i % len(paths)]
                    i += 1
                    started = time.monotonic()
                    r = client.get(path)
                    with lock:
                        latencies["GET " + path.split("?")[0]].append(time.monotonic() - started)
                        statuses[("read", r.status_code)] += 1
                        if r.status_code == 503 and "retry-after" not in r.headers:
                            statuses[("read", "503 without Retry-After")] += 1

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
        threads += [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
        for t in threads:
            t.start()
        faults = (
            []
            if args.no_faults
            else [
                (0.15, "mail server stopped", mail.stop),
                (
                    0.35,
                    "outbox worker killed (SIGKILL)",
                    lambda: worker.send_signal(signal.SIGKILL),
                ),
                (0.55, "outbox worker restarted", None),
                (0.60, "mail server restarted", mail.start),
            ]
        )
        if cluster:
            # Spread the restarts over the second half, away from the worker's own faults.
            for i in range(args.db_restarts):
                at = 0.45 + 0.4 * (i + 1) / (args.db_restarts + 1)
                label = f"PostgreSQL restarted ({i + 1}/{args.db_restarts})"
                faults.append((at, label, cluster.restart))
            faults.sort(key=lambda f: f[0])
        elif not args.no_faults:
            label = "database connections of app and worker terminated"
            faults.append((0.75, label, drop_connections))
        for at, label, action in faults:
            time.sleep(max(0, t0 + at * args.seconds - time.monotonic()))
            if action is None:
                worker.wait(timeout=10)
                worker = start_worker()
            else:
                outcome = action()
                if isinstance(outcome, int):
                    label += f" ({outcome})"
            print(f"  t={time.monotonic() - t0:5.1f}s  {label}", flush=True)
        time.sleep(max(0, t0 + args.seconds - time.monotonic()))
        stop.set()
        for t in threads:
            t.join(timeout=40)
        duration = time.monotonic() - t0
        from django.db import connections

        connections.close_all()  # this script's own connection did not survive the restarts

        # Drain: wait (bounded) until the outbox is empty; retries back off 30 s, 60 s ...
        reports = Report.objects.filter(description__startswith=f"loadtest {run} ")
        drain_started = time.monotonic()
        while time.monotonic() - drain_started < 200:
            pending = (
                OutboxMessage.objects.filter(report__in=reports)
                .exclude(status=OutboxStatus.SENT)
                .count()
            )
            if pending == 0:
                break
            time.sleep(1)
        drained = time.monotonic() - drain_started
        time.sleep(1)
    finally:
        stop.set()
        for process, grace in ((worker, 10), (gunicorn, 20)):
            process.terminate()
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:  # a busy machine: do not leave it running
                process.kill()
                process.wait()
        if mail.controller:
            mail.stop()

    # ---- Verify ----
    problems = []
    found = {r.token: r for r in reports.select_related("office", "reporter")}
    by_number = {r.number: r for r in found.values()}
    for kind, ident in accepted:
        report = found.get(ident) or by_number.get(ident)
        if report is None:
            problems.append(f"accepted {kind} report {ident} is missing")
            continue
        if report.office_id is None or not report.events.exists():
            problems.append(f"{report.number}: half-written (office/history)")
        if not hasattr(report, "reporter"):
            problems.append(f"{report.number}: reporter missing")
        if not report.messages.exists():
            problems.append(f"{report.number}: no notification")
    extra = len(found) - len(accepted)
    messages = OutboxMessage.objects.filter(report__in=reports, channel="email")
    undelivered = messages.exclude(status=OutboxStatus.SENT).count()
    expected = Counter((m.recipient, m.subject) for m in messages)
    inbox = mail.inbox.messages
    received = Counter(m[:2] for m in inbox if m[:2] in expected)
    ids = Counter(m[2] for m in inbox if m[:2] in expected)
    same_id = sum(n - 1 for n in ids.values() if n > 1)
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    missing = sum((expected - received).values())
    if undelivered:
        problems.append(f"{undelivered} message(s) not delivered after draining {drained:.0f} s")
    if missing:
        problems.append(f"{missing} message(s) never reached the SMTP server")
    server_errors = sum(
        n
        for (_, code), n in statuses.items()
        if isinstance(code, int) and code >= 500 and code != 503
    )
    if server_errors:
        problems.append(f"{server_errors} response(s) with a 5xx other than 503")
    no_retry = sum(n for (_, code), n in statuses.items() if code == "503 without Retry-After")
    if no_retry:
        problems.append(f"{no_retry} 503 response(s) without Retry-After")

    writes = sum(len(v) for k, v in latencies.items() if k.startswith("POST"))
    reads = sum(len(v) for k, v in latencies.items() if k.startswith("GET"))
    print(
        f"\nrun {run}: {duration:.1f} s, {args.writers} writers, {args.readers} readers, "
        f"gunicorn -w {args.workers}"
    )
    print(
        f"accepted reports: {len(accepted)} ({len(accepted) / duration:.1f}/s); "
        f"writes {writes} ({writes / duration:.1f}/s), reads {reads} ({reads / duration:.1f}/s)"
    )
    print("statuses:", dict(sorted(statuses.items(), key=str)))
    for name, values in sorted(latencies.items()):
        print(f"  {name:32} n={len(values):5}  {percentiles(values)}")
    print(
        f"outbox: {messages.count()} emails, all delivered {drained:.0f} s after the load; "
        f"duplicates {duplicates}; reports in db without an accepted answer: {extra}"
    )
    result = {
        "run": run,
        "seconds": round(duration, 1),
        "accepted": len(accepted),
        "reports_per_s": round(len(accepted) / duration, 1),
        "reads": reads,
        "emails": messages.count(),
        "duplicates": duplicates,
        "same_message_id": same_id,
        "drain_s": round(drained),
        "latency": {k: percentiles(v) for k, v in latencies.items()},
        "problems": problems,
    }
    out = ROOT / "var" / "loadtest-result.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    if duplicates:
        print(
            f"NOTE: {duplicates} email(s) delivered twice ({same_id} with the same Message-ID, "
            "so mail clients fold them): a worker killed or its database connection lost "
            "between the SMTP server's 250 and its commit (at-least-once, docs/reports.md)"
        )
    for problem in problems:
        print("PROBLEM:", problem)
    if not args.keep:
        deleted = reports.count()
        reports.delete()  # cascades to reporter, history, messages
        print(f"deleted the run's {deleted} reports (--keep keeps them)")
    print("OK" if not problems else "FAILED")
    if cluster:
        from django.db import connections

        connections.close_all()
        cluster.destroy()
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
