"""Every query of subscriptions and webhook deliveries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.models.org import Organisation
from ecredit.models.subject import Shop
from ecredit.models.subscription import Subscription, WebhookDelivery


class SubscriptionRepository:
    def get(self, session: Session, subscription_id: int) -> Subscription | None:
        return session.get(Subscription, subscription_id)

    def of_organisation(self, session: Session, organisation_id: int) -> list[Subscription]:
        query = (
            select(Subscription)
            .where(Subscription.organisation_id == organisation_id)
            .order_by(Subscription.id)
        )
        return list(session.scalars(query))

    def active_with_owner_subject(self, session: Session) -> list[tuple[Subscription, int | None]]:
        """Every active subscription with its organisation's own subject (None if it has none)."""
        query = (
            select(Subscription, Organisation.subject_id)
            .join(Organisation, Organisation.id == Subscription.organisation_id)
            .where(Subscription.active.is_(True))
            .order_by(Subscription.id)
        )
        return [(subscription, owner) for subscription, owner in session.execute(query)]

    def platforms_of(self, session: Session, merchant_id: int) -> set[int]:
        """The platforms (subject ids) on which the subject has a shop."""
        query = select(Shop.platform_id).where(Shop.merchant_id == merchant_id)
        return set(session.scalars(query))

    def organisation(self, session: Session, organisation_id: int) -> Organisation | None:
        return session.get(Organisation, organisation_id)


class DeliveryRepository:
    def get(self, session: Session, delivery_id: int) -> WebhookDelivery | None:
        return session.get(WebhookDelivery, delivery_id)

    def subscriptions_reached(self, session: Session, event_id: str) -> set[int]:
        """Subscriptions that already have a delivery of this event (fan-out ran before)."""
        query = select(WebhookDelivery.subscription_id).where(WebhookDelivery.event_id == event_id)
        return set(session.scalars(query))

    def of_subscription(
        self, session: Session, subscription_id: int, limit: int
    ) -> list[WebhookDelivery]:
        query = (
            select(WebhookDelivery)
            .where(WebhookDelivery.subscription_id == subscription_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
        return list(session.scalars(query))


subscription_repository = SubscriptionRepository()
delivery_repository = DeliveryRepository()
