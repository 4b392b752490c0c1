"""gunicorn configuration shared by `make run` (manage.py serve) and the systemd unit in
docs/operations.md: `gunicorn -c python:geoportal.gunicorn_conf geoportal.wsgi`.

Read from the environment because gunicorn loads it before Django's settings exist."""

import os


def default_workers() -> int:
    """2 × cores + 1 (gunicorn's rule for request handlers that wait on PostgreSQL), capped so that
    a large machine does not open more database connections than one PostgreSQL serves well."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, 12)


bind = os.environ.get("GEOPORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GEOPORTAL_WEB_WORKERS") or default_workers())
worker_class = "sync"  # nginx buffers slow clients in front; each request is a short DB round trip
timeout = int(os.environ.get("GEOPORTAL_WEB_TIMEOUT", "60"))
graceful_timeout = 20
# Recycle workers now and then so a slow leak in a C library (GDAL, GEOS) cannot grow forever.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GEOPORTAL_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GEOPORTAL_WEB_LOG_LEVEL", "info")
proc_name = "geoportal-web"
# nginx on the same host (or the load balancer) sets X-Forwarded-For / -Proto.
forwarded_allow_ips = os.environ.get("GEOPORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn ≥ 24 opens a control socket at one fixed path per user: several instances on one host
# (two app nodes, the tests) would take it from each other, and nothing here uses it.
control_socket_disable = True
