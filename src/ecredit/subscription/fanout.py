"""Fan an event out to the subscriptions it concerns: one delivery (and one job) for each.

Idempotent: a delivery is unique per (subscription, event id), and a second run of the same
fan-out skips the subscriptions it reached before, so no receiver gets an event twice from it.
"""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.orm import Session

from ecredit.models.subscription import Subscription, SubscriptionScope, WebhookDelivery
from ecredit.subject.repository import subject_repository
from ecredit.subscription.delivery import enqueue_delivery, event_body
from ecredit.subscription.repository import delivery_repository, subscription_repository

log = structlog.get_logger(__name__)


def matches(patterns: list[str], event_type: str) -> bool:
    """A pattern "*" matches every event, "list_entry.*" every "list_entry.<...>", any other
    pattern just the event type of that name."""
    for pattern in patterns:
        if pattern in ("*", event_type):
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def covers(
    subscription: Subscription, owner_subject_id: int | None, subject_id: int, platforms: set[int]
) -> bool:
    """`all` covers every subject; `own_merchants` the subscriber's own subject and the
    subjects with a shop on its platform (`platforms`: where the subject has shops)."""
    if subscription.scope is SubscriptionScope.ALL:
        return True
    if owner_subject_id is None:
        return False
    return owner_subject_id == subject_id or owner_subject_id in platforms


def fan_out(session: Session, event: dict[str, Any]) -> list[WebhookDelivery]:
    """Deliveries for `event` (the payload of `ecredit.jobs.events.emit`); returns the new ones."""
    subject = subject_repository.get(session, int(event["subject_id"]))
    if subject is None:
        log.warning("subscription.unknown_subject", event_id=event["event_id"])
        return []
    event_id, event_type = str(event["event_id"]), str(event["event_type"])
    body = event_body(event_id, event_type, str(event["occurred_at"]), subject, event["data"])
    reached = delivery_repository.subscriptions_reached(session, event_id)
    platforms = subscription_repository.platforms_of(session, subject.id)
    created = [
        WebhookDelivery(
            subscription_id=subscription.id,
            event_id=event_id,
            event_type=event_type,
            payload=body,
        )
        for subscription, owner in subscription_repository.active_with_owner_subject(session)
        if subscription.id not in reached
        and matches(subscription.event_types, event_type)
        and covers(subscription, owner, subject.id, platforms)
    ]
    session.add_all(created)
    session.flush()
    for delivery in created:
        enqueue_delivery(session, delivery)
    return created
