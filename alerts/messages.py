"""Every alert message is rendered from templates in the subscriber's language and queued in the
reports outbox in the caller's transaction (the outbox retries and keeps one Message-ID)."""

import json
import secrets

from django.conf import settings
from django.db.models import CharField, F, JSONField, QuerySet, Value
from django.db.models.functions import Cast, Concat, Replace
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from geoportal.links import absolute_url
from reports.outbox import outbox_enqueue, outbox_enqueue_select, outbox_message_build

from . import conf
from .models import Match, Subscription


def purpose_prefix(kind: str) -> str:
    return f"alert_{kind}:"


def purpose_of(kind: str, subscription: Subscription) -> str:
    # The subscription's id in the purpose lets unsubscribing delete its queued messages.
    return f"{purpose_prefix(kind)}{subscription.pk}"


def _links(subscription: Subscription) -> dict:
    return {
        "manage_url": absolute_url(reverse("alerts:manage", args=[subscription.token])),
        "unsubscribe_url": absolute_url(
            reverse("alerts:unsubscribe", args=[subscription.token])
        ),
        "confirm_url": absolute_url(reverse("alerts:confirm", args=[subscription.token])),
    }


def _headers(subscription: Subscription) -> dict:
    # RFC 2369 and RFC 8058: mail clients show "unsubscribe" and POST to the link in one click.
    return {
        "List-Unsubscribe": f"<{_links(subscription)['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _render(subscription: Subscription, *, template: str, context: dict) -> tuple[str, str]:
    context = {"subscription": subscription, **_links(subscription), **context}
    with translation.override(subscription.language):
        subject = " ".join(
            render_to_string(f"alerts/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"alerts/email/{template}_body.txt", context)
    return subject[:300], body


def _send(subscription: Subscription, *, kind: str, template: str, context: dict) -> None:
    subject, body = _render(subscription, template=template, context=context)
    outbox_enqueue(
        recipient=subscription.email,
        purpose=purpose_of(kind, subscription),
        subject=subject,
        body=body,
        headers={} if kind == "confirm" else _headers(subscription),
    )


def send_confirmation_request(*, subscription: Subscription) -> None:
    _send(subscription, kind="confirm", template="confirm", context={})


def send_alert(*, subscription: Subscription, event) -> None:
    _send(subscription, kind="immediate", template="alert", context={
        "event": event, "item_url": absolute_url(event.path),
    })


def _per_language(texts: dict[str, str]):
    """The text in the subscriber's language (exact code), else in the site's default."""
    from django.db.models import Case, When

    default = texts[settings.LANGUAGE_CODE]
    whens = [When(language=code, then=Value(text)) for code, text in texts.items()
             if code != settings.LANGUAGE_CODE]
    return Case(*whens, default=Value(default), output_field=CharField()) if whens \
        else Value(default)


def queue_alerts(*, subscriptions: QuerySet[Subscription], event) -> int:
    """Queue the immediate alert of an event for every subscription in `subscriptions` with one
    INSERT … SELECT: rendered once per language with stand-ins for the subscriber's token and
    label, which PostgreSQL puts in per row. Rendering 400 mails in Python per item was most of
    the matching time. Returns how many were queued."""
    # Random stand-ins: no title or label can contain them by chance or on purpose.
    nonce = secrets.token_hex(8)
    token_mark, label_mark = f"TOKEN{nonce}", f"LABEL{nonce}"
    subjects, bodies, headers = {}, {}, {}
    for code, _name in settings.LANGUAGES:
        stand_in = Subscription(token=token_mark, label=label_mark, language=code)
        subjects[code], bodies[code] = _render(stand_in, template="alert", context={
            "event": event, "item_url": absolute_url(event.path),
        })
        headers[code] = json.dumps(_headers(stand_in))
    rows = subscriptions.annotate(
        out_recipient=F("email"),
        out_purpose=Concat(Value(purpose_prefix("immediate")),
                           Cast("id", CharField()), output_field=CharField()),
        out_subject=_per_language(subjects),
        # Token first, label last: a label is the subscriber's free text and stays as typed.
        out_body=Replace(Replace(_per_language(bodies), Value(token_mark), F("token")),
                         Value(label_mark), F("label")),
        out_headers=Cast(Replace(_per_language(headers), Value(token_mark), F("token")),
                         JSONField()),
    ).values_list("out_recipient", "out_purpose", "out_subject", "out_body", "out_headers")
    return outbox_enqueue_select(rows=rows)


def digest_message(*, subscription: Subscription, matches: list[Match]):
    """The unsaved outbox row of one digest (the caller bulk-creates many in its transaction).

    Lists the newest `ALERTS_DIGEST_MAX_ITEMS`; a district sees hundreds of items a week, and a
    mail nobody reads to the end helps no one: the rest is one link away, in the feed."""
    shown = matches[: conf.ALERTS_DIGEST_MAX_ITEMS]
    items = [{"title": m.title, "summary": m.summary, "topic": m.topic, "kind": m.kind,
              "url": absolute_url(m.path)} for m in shown]
    subject, body = _render(subscription, template="digest", context={
        "items": items, "total": len(matches), "more": len(matches) - len(shown),
    })
    return outbox_message_build(
        recipient=subscription.email, purpose=purpose_of("digest", subscription),
        subject=subject, body=body, headers=_headers(subscription),
    )
