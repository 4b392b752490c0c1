"""The Köln FNP, imported and committed before any database test of this folder needs it.

Checked per test rather than once per session: every live_server test, here or in another
app, ends with Django flushing all tables."""

import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KOELN_SHP = ROOT / "fixtures" / "landuse" / "koeln_fnp_aktuell.shp"
XPLAN_ZIP = ROOT / "tests" / "landuse" / "data" / "FNP_Test_xplan60.zip"
DB_FIXTURES = {"db", "transactional_db", "live_server", "admin_client"}


@pytest.fixture(autouse=True)
def _koeln_plan_committed(request):
    """Autouse, so it runs before `db` opens the test's transaction: the import commits.
    Tests without the database (the readers) never touch it."""
    if not DB_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        from django.db import connection

        from geoportal import demo as city
        from landuse import demo
        from landuse.models import Plan

        assert not connection.in_atomic_block, "the plan must be committed, not rolled back"
        if not Plan.objects.filter(name=demo.NAME, is_current=True).exists():
            city.load(io.StringIO())  # idempotent: the plan needs the municipality
            demo.load(io.StringIO())


@pytest.fixture
def koeln_plan(db):
    from landuse import demo
    from landuse.models import Plan

    return Plan.objects.get(name=demo.NAME, is_current=True)
