"""Transactional outbox: messages are rows written with the change they announce, and a worker
delivers them with retries and exponential backoff, recording every attempt.

`outbox_process_once` locks due rows with FOR UPDATE SKIP LOCKED, one message per transaction,
and sends while it holds the lock: a second worker skips that row instead of sending it again.
Delivery is at-least-once only if a worker dies between the SMTP "250 OK" and the commit.
"""

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import sms
from .models import Channel, DeliveryAttempt, OutboxMessage, OutboxStatus, Report

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=2)


def outbox_message_build(
    *, recipient: str, body: str, purpose: str, subject: str = "", headers: dict | None = None
) -> OutboxMessage:
    """An unsaved email row, for a caller that bulk-creates many in its own transaction."""
    return OutboxMessage(
        recipient=recipient,
        purpose=purpose,
        subject=subject,
        body=body,
        headers=headers or {},
        next_attempt_at=timezone.now(),
    )


def outbox_enqueue(
    *,
    recipient: str,
    body: str,
    purpose: str,
    subject: str = "",
    channel: str = Channel.EMAIL,
    report: Report | None = None,
    headers: dict | None = None,
) -> OutboxMessage:
    """Call inside the transaction that makes the change; the message exists iff it commits."""
    return OutboxMessage.objects.create(
        report=report,
        channel=channel,
        purpose=purpose,
        recipient=recipient,
        subject=subject,
        body=body,
        headers=headers or {},
        next_attempt_at=timezone.now(),
    )


def outbox_enqueue_select(
    *, rows: QuerySet | None = None, sql: str = "", params: Sequence = ()
) -> int:
    """Queue one email per row of `rows`, a `values_list` of (recipient, purpose, subject, body,
    headers as jsonb), or of the caller's SELECT `sql` with those columns, with one INSERT …
    SELECT in the caller's transaction. An alert for 400 subscribers is one statement, not 400
    saves; returns how many were queued."""
    if rows is not None:
        sql, params = rows.query.sql_with_params()
    fields = {f.name: f for f in OutboxMessage._meta.concrete_fields}
    # Raw SQL: the ORM has no INSERT … SELECT. Every value is a parameter; the table is ours.
    statement = (
        f"INSERT INTO {connection.ops.quote_name(OutboxMessage._meta.db_table)} "  # noqa: S608
        "(recipient, purpose, subject, body, headers, channel, status, attempts, max_attempts,"
        " next_attempt_at, created_at, provider_id, delivery_status, last_error) "
        # The clock, not the transaction's start (now()), as the ORM's saves stamp them.
        "SELECT src.*, %s, %s, 0, %s, clock_timestamp(), clock_timestamp(), '', '', '' "
        f"FROM ({sql}) AS src"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (fields["channel"].default, fields["status"].default,
                                   fields["max_attempts"].default, *params))
        return cursor.rowcount


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... capped at two hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _deliver(message: OutboxMessage) -> None:
    if message.channel == Channel.SMS:
        # Gateways with delivery reports return their message id; the others None.
        message.provider_id = sms.get_backend().send(message.recipient, message.body) or ""
        return
    connection = get_connection(fail_silently=False, timeout=10)
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        connection=connection,
        # One Message-ID per outbox row, the same on every attempt: if a worker dies between the
        # SMTP server's 250 and its commit, the repeat is recognisable as the same message.
        headers={**(message.headers or {}), "Message-ID": message_id(message)},
    ).send(fail_silently=False)


def message_id(message: OutboxMessage) -> str:
    domain = (settings.DEFAULT_FROM_EMAIL or "geoportal@localhost").split("@")[-1]
    return f"<outbox-{message.pk}-{message.created_at:%Y%m%d%H%M%S}@{domain}>"


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.failed


def _process_one(now: datetime) -> bool | None:
    """Deliver one due message. None if nothing was due, else whether it was sent."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if message is None:
            return None
        started = time.monotonic()
        try:
            _deliver(message)
        except Exception as exc:  # noqa: BLE001 - any failure of a backend is a failed attempt
            error = f"{type(exc).__name__}: {exc}"[:2000]
            ok = False
        else:
            error, ok = "", True
        duration = int((time.monotonic() - started) * 1000)
        DeliveryAttempt.objects.create(message=message, ok=ok, error=error, duration_ms=duration)
        message.attempts += 1
        if ok:
            message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, ""
        else:
            message.last_error = error
            if message.attempts >= message.max_attempts:
                message.status = OutboxStatus.FAILED
                logger.error("Outbox message %s given up: %s", message.pk, error)
            else:
                message.next_attempt_at = now + backoff(message.attempts)
                logger.warning("Outbox message %s failed, retry at %s", message.pk, error)
        message.save(
            update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at",
                           "provider_id"]
        )
        return ok


def outbox_process_once(*, now: datetime | None = None, limit: int = 100) -> BatchResult:
    """Deliver up to `limit` due messages; `now` lets tests step past a backoff."""
    result = BatchResult()
    now = now or timezone.now()
    for _ in range(limit):
        ok = _process_one(now)
        if ok is None:
            break
        if ok:
            result.sent += 1
        else:
            result.failed += 1
    return result


# Twilio's final states that mean the phone never got it.
SMS_UNDELIVERED = {"failed", "undelivered"}


@transaction.atomic
def outbox_delivery_report(*, provider_id: str, status: str, error_code: str = "") -> bool:
    """A gateway's delivery report updates the row it belongs to; False if none does."""
    message = OutboxMessage.objects.select_for_update().filter(
        provider_id=provider_id, channel=Channel.SMS).exclude(provider_id="").first()
    if message is None:
        return False
    message.delivery_status = status[:20]
    fields = ["delivery_status"]
    if status in SMS_UNDELIVERED:
        message.last_error = f"gateway: {status}" + (f" (error {error_code})" if error_code else "")
        fields.append("last_error")
    message.save(update_fields=fields)
    return True


@transaction.atomic
def outbox_retry(*, message_ids: list[int]) -> int:
    """Staff action: make given-up or waiting messages due now (attempts start over)."""
    return (
        OutboxMessage.objects.filter(id__in=message_ids)
        .exclude(status=OutboxStatus.SENT)
        .update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), attempts=0)
    )
