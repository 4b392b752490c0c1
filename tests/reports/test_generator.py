"""The benchmark generator spreads its copies around the copied report, in whatever city the
database serves; it spread them around Köln's middle whatever the city."""

import pytest
from django.db import connection

from reports.generator import reports_generate
from reports.models import Report

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db


def _generated_within(lonlat, lon_lat_centre, metres: float) -> bool:
    centre = lonlat(*lon_lat_centre)
    rows = Report.objects.filter(source="bench")
    assert rows.count() == 9
    return all(r.geom.distance(centre) <= metres for r in rows)


def test_by_default_the_copies_lie_around_the_copied_report(make_report, lonlat):
    make_report(*EHRENFELD)  # the first report: the one copied
    with connection.cursor() as cursor:
        reports_generate(cursor, start=0, stop=9, side=3, spread_m=100)
    assert _generated_within(lonlat, EHRENFELD, 75)


def test_a_given_centre_is_kept(make_report, lonlat):
    make_report(*EHRENFELD)
    with connection.cursor() as cursor:
        reports_generate(cursor, start=0, stop=9, side=3, spread_m=100, centre_lonlat=DOM)
    assert _generated_within(lonlat, DOM, 75)
