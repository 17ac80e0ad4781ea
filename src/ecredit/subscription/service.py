"""Subscriptions: an organisation manages its own webhooks; the secret is shown once, sealed.

Who may subscribe to what:
- `own_merchants` (the organisation's own subject and the merchants with a shop on its
  platform) needs an organisation that is itself a registered subject (Organisation.subject_id):
  a platform, a carrier, or any other organisation registered as a subject;
- `all` subjects is for bodies entitled to watch the whole market: the credit office,
  departments and credit agencies. A platform or a carrier sees its own merchants only.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy.orm import Session

from ecredit.authz.policies import ALLOW, Decision
from ecredit.authz.principals import Principal
from ecredit.config import Settings
from ecredit.kit.crypto import Vault, new_token
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.models.base import utcnow
from ecredit.models.org import OrgKind
from ecredit.models.subscription import Subscription, SubscriptionScope, WebhookDelivery
from ecredit.subscription.delivery import (
    PING,
    SECRET_CONTEXT,
    enqueue_delivery,
    event_body,
    http_refusal,
)
from ecredit.subscription.repository import delivery_repository, subscription_repository
from ecredit.subscription.schemas import EVENT_PATTERN, SubscriptionCreate

ALL_SUBJECTS_KINDS = frozenset({OrgKind.CREDIT_OFFICE, OrgKind.DEPARTMENT, OrgKind.CREDIT_AGENCY})
SECRET_PREFIX = "whsec_"


def may_subscribe(principal: Principal, scope: SubscriptionScope) -> Decision:
    """`all` for the credit office, departments and credit agencies; `own_merchants` for an
    organisation registered as a subject."""
    if principal.organisation_id is None:
        return Decision(False, "subscriptions belong to an organisation: use its API key")
    if scope is SubscriptionScope.ALL:
        if principal.org_kind in ALL_SUBJECTS_KINDS:
            return ALLOW
        return Decision(False, "scope all: a platform or carrier subscribes to own_merchants")
    return ALLOW


def clean_patterns(patterns: list[str]) -> list[str]:
    """The event-type patterns, checked and without duplicates (first occurrence kept)."""
    cleaned: list[str] = []
    for position, raw in enumerate(patterns):
        pattern = raw.strip()
        if not re.fullmatch(EVENT_PATTERN, pattern):
            raise InvalidInput(
                f"event_types.{position}",
                "pattern",
                f"event_types: '{raw}' is not a pattern like list_entry.* or record.created",
            )
        if pattern not in cleaned:
            cleaned.append(pattern)
    return cleaned


class SubscriptionService:
    def create(
        self,
        session: Session,
        settings: Settings,
        vault: Vault,
        principal: Principal,
        data: SubscriptionCreate,
    ) -> tuple[Subscription, str]:
        """A new subscription and its secret (returned here only; stored sealed)."""
        may_subscribe(principal, data.scope).enforce()
        assert principal.organisation_id is not None  # may_subscribe refused otherwise
        if data.scope is SubscriptionScope.OWN_MERCHANTS and principal.org_subject_id is None:
            raise InvalidInput(
                "scope",
                "own_subject_required",
                "scope own_merchants: the organisation is not registered as a subject",
            )
        refusal = http_refusal(settings, data.url.strip())
        if refusal is not None:
            raise InvalidInput("url", "webhook_url", f"url: {refusal}")
        secret = SECRET_PREFIX + new_token(32)
        subscription = Subscription(
            organisation_id=principal.organisation_id,
            url=data.url.strip(),
            secret_sealed=vault.cipher.encrypt(secret, SECRET_CONTEXT),
            scope=data.scope,
            event_types=clean_patterns(data.event_types),
            active=True,
        )
        session.add(subscription)
        session.flush()
        return subscription, secret

    def owned(self, session: Session, principal: Principal) -> list[Subscription]:
        if principal.organisation_id is None:
            return []
        return subscription_repository.of_organisation(session, principal.organisation_id)

    def get(self, session: Session, principal: Principal, subscription_id: int) -> Subscription:
        """One of the caller's own subscriptions; another organisation's is not found."""
        subscription = subscription_repository.get(session, subscription_id)
        if subscription is None or subscription.organisation_id != principal.organisation_id:
            raise NotFound(f"subscription {subscription_id} does not exist")
        return subscription

    def deactivate(
        self, session: Session, principal: Principal, subscription_id: int
    ) -> Subscription:
        """No new deliveries; pending ones end as failed. Kept for its delivery history."""
        subscription = self.get(session, principal, subscription_id)
        subscription.active = False
        session.flush()
        return subscription

    def deliveries(
        self, session: Session, principal: Principal, subscription_id: int, limit: int = 50
    ) -> list[WebhookDelivery]:
        subscription = self.get(session, principal, subscription_id)
        return delivery_repository.of_subscription(session, subscription.id, limit)

    def ping(self, session: Session, principal: Principal, subscription_id: int) -> WebhookDelivery:
        """A "ping" event for this subscription only, delivered like any other event."""
        subscription = self.get(session, principal, subscription_id)
        if not subscription.active:
            raise Conflict("subscription: an inactive subscription receives no events")
        event_id = uuid.uuid4().hex
        data = {"subscription_id": subscription.id}
        body = event_body(event_id, PING, utcnow().isoformat(), None, data)
        delivery = WebhookDelivery(
            subscription_id=subscription.id, event_id=event_id, event_type=PING, payload=body
        )
        session.add(delivery)
        session.flush()
        enqueue_delivery(session, delivery)
        return delivery


subscription_service = SubscriptionService()
