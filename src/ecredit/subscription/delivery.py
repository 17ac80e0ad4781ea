"""Deliver one event to one subscriber: a signed JSON POST, retried through the job table.

A 2xx answer delivers. Anything else (a non-2xx status, a redirect — never followed —, a timeout,
a refused connection) raises `DeliveryFailed`, so the job runner rolls the attempt back and runs
it again after an exponential backoff; the policy's failure hook then records the attempt on the
delivery in a unit of work of its own, and marks it failed after the last one. Every attempt of
one delivery sends the same body with the same event id; only the timestamp and signature change.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session

from ecredit import __version__
from ecredit.config import Settings
from ecredit.jobs.registry import RetryPolicy, registry
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault
from ecredit.models.base import utcnow
from ecredit.models.subject import Subject
from ecredit.models.subscription import DeliveryStatus, Subscription, WebhookDelivery
from ecredit.subject.views import public_name
from ecredit.subscription import signing
from ecredit.subscription.repository import delivery_repository, subscription_repository

DELIVER_JOB = "subscription.deliver"
SECRET_CONTEXT = "subscription.secret"
PING = "ping"
MAX_ERROR = 500


class DeliveryFailed(Exception):
    """The receiver did not acknowledge the delivery; the job table tries again later."""

    def __init__(self, status_code: int | None, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


def event_body(
    event_id: str,
    event_type: str,
    occurred_at: str,
    subject: Subject | None,
    data: dict[str, Any],
) -> dict[str, Any]:
    """What a receiver gets: public data only (a natural person's name is masked, no ID number)."""
    about = None
    if subject is not None:
        about = {
            "id": subject.id,
            "kind": subject.kind.value,
            "name": public_name(subject),
            "code": subject.uscc,
        }
    return {
        "event_id": event_id,
        "event_type": event_type,
        "subject": about,
        "occurred_at": occurred_at,
        "data": data,
    }


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed (sorted keys: the same on every attempt and database)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def enqueue_delivery(session: Session, delivery: WebhookDelivery) -> None:
    """A `subscription.deliver` job in the caller's transaction."""
    JobService(registry).enqueue(session, DELIVER_JOB, {"delivery_id": delivery.id})


def http_refusal(settings: Settings, url: str) -> str | None:
    """Why `url` may not receive webhooks under `settings`; None when it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "url must be an absolute http(s) URL"
    if parts.username or parts.password:
        return "url must not carry credentials"
    if parts.scheme == "http" and not settings.webhook_allow_http:
        return "url must use https"
    return None


def deliver(session: Session, settings: Settings, vault: Vault, delivery_id: int) -> None:
    """One attempt; raises DeliveryFailed when the receiver did not answer 2xx."""
    delivery = delivery_repository.get(session, delivery_id)
    if delivery is None or delivery.status is not DeliveryStatus.PENDING:
        return  # delivered already (the job ran twice) or given up
    subscription = subscription_repository.get(session, delivery.subscription_id)
    assert subscription is not None  # a foreign key
    refusal = "subscription is inactive" if not subscription.active else None
    refusal = refusal or http_refusal(settings, subscription.url)
    if refusal is not None:  # retrying cannot help
        delivery.status, delivery.last_error = DeliveryStatus.FAILED, refusal
        session.flush()
        return
    status_code = post(settings, vault, subscription, delivery)
    delivery.status = DeliveryStatus.DELIVERED
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status_code, None
    delivery.delivered_at = utcnow()
    session.flush()


def post(
    settings: Settings, vault: Vault, subscription: Subscription, delivery: WebhookDelivery
) -> int:
    """POST the signed body; the receiver's 2xx status, or DeliveryFailed."""
    secret = vault.cipher.decrypt(subscription.secret_sealed, SECRET_CONTEXT)
    body, timestamp = encode(delivery.payload), str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"ecredit-webhooks/{__version__}",
        signing.EVENT_ID_HEADER: delivery.event_id,
        signing.EVENT_TYPE_HEADER: delivery.event_type,
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.signature(secret, timestamp, body),
    }
    try:
        response = httpx.post(
            subscription.url,
            content=body,
            headers=headers,
            timeout=settings.webhook_timeout_seconds,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        raise DeliveryFailed(None, f"{type(exc).__name__}: {exc}"[:MAX_ERROR]) from exc
    status = response.status_code
    if 200 <= status < 300:
        return status
    if response.is_redirect:
        raise DeliveryFailed(status, f"HTTP {status}: redirects are not followed")
    raise DeliveryFailed(status, f"HTTP {status}")


def record_failure(
    session: Session, payload: dict[str, Any], exc: BaseException, gave_up: bool
) -> None:
    """The failed attempt on the delivery (the attempt's own transaction was rolled back)."""
    delivery = delivery_repository.get(session, int(payload["delivery_id"]))
    if delivery is None or delivery.status is not DeliveryStatus.PENDING:
        return
    delivery.attempts += 1
    delivery.last_status_code = exc.status_code if isinstance(exc, DeliveryFailed) else None
    delivery.last_error = (str(exc) or type(exc).__name__)[:MAX_ERROR]
    if gave_up:
        delivery.status = DeliveryStatus.FAILED
    session.flush()


# 8 attempts, waiting 1, 2, 4, 8, 16, 32 and 60 minutes in between: about two hours in all.
WEBHOOK_RETRY = RetryPolicy(
    max_attempts=8,
    backoff=timedelta(minutes=1),
    exponential=True,
    max_backoff=timedelta(hours=1),
    on_failure=record_failure,
)
