"""The Köln FNP imported once per run and committed, like the city core; after a live_server
test (which flushes every table) it is imported again."""

import io
from pathlib import Path

import pytest
from pytest_django.plugin import blocking_manager_key

ROOT = Path(__file__).resolve().parents[2]
KOELN_SHP = ROOT / "fixtures" / "landuse" / "koeln_fnp_aktuell.shp"
XPLAN_ZIP = ROOT / "tests" / "landuse" / "data" / "FNP_Test_xplan60.zip"


def load_koeln_plan() -> None:
    from geoportal import demo as city
    from landuse import demo

    city.load(io.StringIO())  # idempotent: the plan needs the municipality
    demo.load(io.StringIO())


@pytest.fixture(scope="session")
def koeln_plan_committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_koeln_plan()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if nextitem is not None and "live_server" in item.fixturenames:
        with item.config.stash[blocking_manager_key].unblock():
            load_koeln_plan()
    return result


@pytest.fixture
def koeln_plan(koeln_plan_committed, db):
    from landuse import demo
    from landuse.models import Plan

    return Plan.objects.get(name=demo.NAME, is_current=True)
