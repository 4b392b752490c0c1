"""Each outbox row sends under one Message-ID, the same on every attempt: a repeat after a
worker crash is recognisable as the same message."""

import pytest
from django.core import mail

from reports.models import OutboxMessage
from reports.outbox import message_id, outbox_process_once, outbox_retry

pytestmark = pytest.mark.django_db


def test_every_attempt_of_a_message_carries_its_own_stable_message_id(make_report):
    make_report()
    outbox_process_once()
    rows = {message_id(m): m for m in OutboxMessage.objects.filter(channel="email")}
    sent = [m.message()["Message-ID"] for m in mail.outbox]
    assert sorted(sent) == sorted(rows) and len(set(sent)) == len(sent) >= 2
    outbox_retry(message_ids=[m.pk for m in rows.values()])  # as if the commit had been lost
    OutboxMessage.objects.update(status="pending")
    mail.outbox.clear()
    outbox_process_once()
    assert sorted(m.message()["Message-ID"] for m in mail.outbox) == sorted(sent)
