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
from reports.outbox import outbox_enqueue, outbox_enqueue_select

from . import conf
from .models import Subscription


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


def queue_alerts(*, parts: list[QuerySet[Subscription]], event) -> int:
    """Queue the immediate alert of an event for every subscription in `parts` (disjoint
    querysets, read as one UNION ALL) with one INSERT … SELECT: rendered once per language
    with stand-ins for the subscriber's token and label, which PostgreSQL puts in per row.
    Rendering 400 mails in Python per item was most of the matching time. Returns how many
    were queued."""
    # Most items have no immediate subscriber: indexed EXISTS are cheaper than rendering.
    if not any(part.exists() for part in parts):
        return 0
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
    first, *others = (part.annotate(
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
        for part in parts)
    return outbox_enqueue_select(rows=first.union(*others, all=True))


# A number no digest reaches, rendered where the count goes and replaced by the real one in SQL.
# German and English have one plural form besides the singular; a language with more (Polish)
# would need one rendering per form.
_MANY = 1000000007


def queue_digests(*, subscription_ids: list[int]) -> int:
    """Queue the digest of every subscription in `subscription_ids` that has entries waiting,
    with one INSERT … SELECT: PostgreSQL lists each subscriber's newest
    `ALERTS_DIGEST_MAX_ITEMS` entries and counts the rest (a district sees hundreds of items a
    week, and a mail nobody reads to the end helps no one: the rest is one link away, in the
    feed). The texts are rendered once per language with stand-ins, as for alerts. Returns how
    many were queued; the caller marks the entries in the same transaction."""
    nonce = secrets.token_hex(8)
    marks = {name: f"{name.upper()}{nonce}" for name in ("token", "label", "items", "more")}
    per_language = {}
    for code, _name in settings.LANGUAGES:
        stand_in = Subscription(token=marks["token"], label=marks["label"], language=code)
        subject_one, body = _render(stand_in, template="digest", context={
            "total": 1, "items_text": marks["items"], "more_text": marks["more"]})
        subject_many, _body = _render(stand_in, template="digest",
                                      context={"total": _MANY})
        with translation.override(code):
            more_one, more_many = (
                render_to_string("alerts/email/digest_more.txt", {"more": n}).strip()
                for n in (1, _MANY))
        per_language[code] = [subject_one, subject_many, body, more_one, more_many,
                              json.dumps(_headers(stand_in))]
    columns = ("subject_one", "subject_many", "body", "more_one", "more_many", "headers")
    texts = ", ".join(["(%s" + ", %s" * len(columns) + ")"] * len(per_language))
    params: list = [v for code, values in per_language.items() for v in (code, *values)]
    limit, base = conf.ALERTS_DIGEST_MAX_ITEMS, absolute_url("/")
    # Raw SQL: per-subscriber top-n lists and string aggregation are beyond the ORM. Every value
    # is a parameter; the tables are this app's own. The LATERAL parts read the pending-entries
    # index per subscriber.
    sql = f"""
        WITH texts (language, {", ".join(columns)}) AS (VALUES {texts}),
        pending AS (
            SELECT s.id, s.email, s.token, s.label,
                   COALESCE(t.language, %s) AS language, c.total, i.items
            FROM alerts_subscription s
            LEFT JOIN texts t ON t.language = s.language
            CROSS JOIN LATERAL (
                SELECT count(*) AS total FROM alerts_match m
                WHERE m.subscription_id = s.id AND m.digested_at IS NULL) c
            CROSS JOIN LATERAL (
                SELECT string_agg(
                    E'\n* ' || x.title
                    || CASE WHEN x.summary <> '' THEN E'\n  ' || x.summary ELSE '' END
                    || E'\n  ' || %s || ltrim(x.path, '/') || E'\n',
                    '' ORDER BY x.created_at DESC, x.id DESC) AS items
                FROM (SELECT * FROM alerts_match m
                      WHERE m.subscription_id = s.id AND m.digested_at IS NULL
                      ORDER BY m.created_at DESC, m.id DESC LIMIT %s) x) i
            WHERE s.id = ANY(%s) AND c.total > 0
        )
        SELECT p.email, %s || p.id::text,
            CASE WHEN p.total = 1 THEN t.subject_one
                 ELSE replace(t.subject_many, %s, p.total::text) END,
            replace(replace(replace(replace(t.body, %s, p.token),
                %s, CASE WHEN p.total <= %s THEN ''
                         WHEN p.total = %s + 1 THEN E'\n' || t.more_one || E'\n'
                         ELSE E'\n' || replace(t.more_many, %s, (p.total - %s)::text)
                              || E'\n' END),
                %s, p.label), %s, p.items),
            replace(t.headers, %s, p.token)::jsonb
        FROM pending p JOIN texts t ON t.language = p.language
    """  # noqa: S608
    params += [settings.LANGUAGE_CODE, base, limit, list(subscription_ids),
               purpose_prefix("digest"), str(_MANY), marks["token"], marks["more"], limit,
               limit, str(_MANY), limit, marks["label"], marks["items"], marks["token"]]
    return outbox_enqueue_select(sql=sql, params=params)
