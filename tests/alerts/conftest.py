"""Alerts fixtures: the reports fixtures (offices, categories, report factory, the real SMTP
server) and a subscription factory that goes through the citizen's form and confirmation."""

import re

import pytest
from django.core import mail

from alerts import services
from alerts.models import Subscription
from reports.outbox import outbox_process_once
from tests.reports.conftest import (  # noqa: F401
    DOM,
    EHRENFELD,
    category,
    koeln,
    lonlat,
    make_report,
    smtp_server,
)

CONFIRM_LINK = re.compile(r"http://\S+/benachrichtigen/bestaetigen/([\w-]+)/")


def link_token(body: str) -> str:
    return CONFIRM_LINK.search(body).group(1)


@pytest.fixture
def subscribe(lonlat):  # noqa: F811
    """Subscribe (and by default confirm) through the services, as the views do."""

    def make(
        email: str = "nachbarin@example.org",
        lon: float = DOM[0],
        lat: float = DOM[1],
        radius_m: int = 500,
        topics=("reports", "council", "landuse"),
        frequency: str = "immediate",
        language: str = "de",
        confirm: bool = True,
        where: services.AreaChoice | None = None,
    ) -> Subscription:
        subscription = services.subscription_create(
            email=email,
            where=where or services.AreaChoice(center=lonlat(lon, lat), radius_m=radius_m),
            topics=list(topics), frequency=frequency, language=language,
        )
        if confirm:
            services.subscription_confirm(token=subscription.token)
        subscription.refresh_from_db()
        return subscription

    return make


@pytest.fixture
def deliver():
    """Run the outbox worker once and return what went out by email."""

    def run():
        mail.outbox.clear()
        outbox_process_once()
        return list(mail.outbox)

    return run
