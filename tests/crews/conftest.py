"""Crew fixtures: users with memberships in two Köln offices, a lead and an administrator, on
top of the reports fixtures (offices, categories, the report factory)."""

import uuid

import pytest
from django.contrib.auth.models import User

from crews.models import OfficeMembership, Role
from tests.reports.conftest import category, koeln, lonlat, make_report  # noqa: F401

EHRENFELD = (6.9175, 50.9515)
NEUMARKT = (6.9470, 50.9360)


@pytest.fixture
def staff(koeln):  # noqa: F811
    """crew_a and lead_a work for the roads office (A), crew_b for the parks office (B)."""

    def user(name: str, office_key: str | None, role: str) -> User:
        u = User.objects.create_user(name, f"{name}@example.org", "pw-long-enough-1")
        if office_key:
            OfficeMembership.objects.create(user=u, office=koeln[office_key], role=role)
        return u

    return {
        "crew_a": user("crew_a", "strassen", Role.CREW),
        "crew_a2": user("crew_a2", "strassen", Role.CREW),
        "lead_a": user("lead_a", "strassen", Role.LEAD),
        "crew_b": user("crew_b", "gruen", Role.CREW),
        "admin": user("admin", "buergerservice", Role.ADMIN),
        "nobody": user("nobody", None, Role.CREW),
        "office_a": koeln["strassen"],
        "office_b": koeln["gruen"],
    }


@pytest.fixture
def change():
    """POST one change to the API as JSON; returns the response."""

    def post(client, report, *, version=1, key=None, **data):
        body = {"key": str(key or uuid.uuid4()), "version": version, "action": "transition"}
        body.update(data)
        return client.post(
            f"/einsatz/api/meldungen/{report.pk}/aenderung/",
            body,
            content_type="application/json",
        )

    return post
