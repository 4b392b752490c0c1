"""Shared fixtures: a real PostGIS test database with the demo city's core loaded once per run,
and Debian's Chromium driven by Playwright for browser tests."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from pytest_django.plugin import blocking_manager_key

FIXTURES = Path(settings.GEOPORTAL_FIXTURES)
CHROMIUM = "/usr/bin/chromium"
# Flags that keep Chromium from calling out of this offline machine at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


SNAPSHOT = "test_city_snapshot"
# Tables Django fills itself after every flush (post_migrate): never copied back.
DJANGO_OWN = {"django_migrations", "django_content_type", "auth_permission", "django_site"}


def load_city() -> None:
    from geoportal import demo

    demo.load(io.StringIO())


def snapshot_city() -> None:
    """Copy every table the city load filled into a schema Django does not know, so the flush
    that ends each transactional test can be undone with one INSERT … SELECT per table instead
    of importing 15,845 street segments again (about 30 s a test)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE; CREATE SCHEMA {SNAPSHOT}")
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        for (table,) in cursor.fetchall():
            if table in DJANGO_OWN or table == "spatial_ref_sys":
                continue
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                cursor.execute(f'CREATE TABLE {SNAPSHOT}."{table}" AS TABLE "{table}"')


def restore_city() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Django's foreign keys are DEFERRABLE: the tables can be filled in any order.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            [SNAPSHOT],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                continue  # not flushed: the test did not touch it
            cursor.execute(f'INSERT INTO "{table}" SELECT * FROM {SNAPSHOT}."{table}"')
            # The flush restarted the identity sequences; continue them after the copied rows.
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                " AND table_name = %s AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')",
                [table],
            )
            for (column,) in cursor.fetchall():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), max(\"{column}\"))"
                    f' FROM "{table}"',
                    [f'"{table}"', column],
                )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Köln's boundary, districts, quarters, streets, segments and nodes, committed once for
    the whole run and kept as a snapshot for the transactional tests' teardown."""
    with django_db_blocker.unblock():
        load_city()
        snapshot_city()


def _flushes(item) -> bool:
    """Whether the test ran in a TransactionTestCase: asked for by fixture or by marker."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"live_server", "transactional_db"} & set(item.fixturenames))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Transactional tests (every live_server test) end with Django flushing all tables. Once
    every fixture has been torn down, put the city back so later tests see the same data."""
    result = yield
    if nextitem is not None and _flushes(item):
        with item.config.stash[blocking_manager_key].unblock():
            restore_city()
    return result


@pytest.fixture(scope="session", autouse=True)
def _static_collected():
    """Servers started with production-like settings (gunicorn, check --deploy probes) need the
    hashed static files `make setup` collects; collect them if a static file changed since."""
    # Without pytest's DJANGO_SETTINGS_MODULE: the test settings' plain storage would copy the
    # files but leave the old manifest, and production probes then miss every new file.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        ["make", "-s", "static"], cwd=settings.BASE_DIR, check=True, timeout=600, env=env
    )


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls run in
    # their own thread, but fixtures that touch the ORM here would otherwise be refused.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="de-DE",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
