"""Thin JSON routes of webhook subscriptions: an organisation manages its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

import ecredit.subscription.jobs  # noqa: F401  (registers subscription.deliver for the ping)
from ecredit.authz.deps import Requires, SessionDep, SettingsDep, VaultDep
from ecredit.authz.principals import Principal, Scope
from ecredit.subscription.schemas import (
    DeliveryRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
)
from ecredit.subscription.service import subscription_service

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])


@router.post("", status_code=201, response_model=SubscriptionCreated)
def create_subscription(
    data: SubscriptionCreate,
    session: SessionDep,
    settings: SettingsDep,
    vault: VaultDep,
    principal: Principal = Requires(Scope.SUBSCRIPTION_MANAGE),
) -> SubscriptionCreated:
    """Subscribe a URL to event types. The signing secret is in this answer only."""
    subscription, secret = subscription_service.create(session, settings, vault, principal, data)
    return SubscriptionCreated(
        **SubscriptionRead.model_validate(subscription).model_dump(), secret=secret
    )


@router.get("", response_model=list[SubscriptionRead])
def list_subscriptions(
    session: SessionDep, principal: Principal = Requires(Scope.SUBSCRIPTION_MANAGE)
) -> list[SubscriptionRead]:
    """The calling organisation's subscriptions (never their secrets)."""
    return [
        SubscriptionRead.model_validate(s) for s in subscription_service.owned(session, principal)
    ]


@router.delete("/{subscription_id}", response_model=SubscriptionRead)
def deactivate_subscription(
    subscription_id: int,
    session: SessionDep,
    principal: Principal = Requires(Scope.SUBSCRIPTION_MANAGE),
) -> SubscriptionRead:
    """Stop deliveries; the subscription stays, inactive, with its delivery history."""
    subscription = subscription_service.deactivate(session, principal, subscription_id)
    return SubscriptionRead.model_validate(subscription)


@router.get("/{subscription_id}/deliveries", response_model=list[DeliveryRead])
def list_deliveries(
    subscription_id: int,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    principal: Principal = Requires(Scope.SUBSCRIPTION_MANAGE),
) -> list[DeliveryRead]:
    """The latest deliveries first: status, attempts, last status code and error."""
    deliveries = subscription_service.deliveries(session, principal, subscription_id, limit)
    return [DeliveryRead.model_validate(d) for d in deliveries]


@router.post("/{subscription_id}/test", status_code=202, response_model=DeliveryRead)
def ping_subscription(
    subscription_id: int,
    session: SessionDep,
    principal: Principal = Requires(Scope.SUBSCRIPTION_MANAGE),
) -> DeliveryRead:
    """Queue a "ping" event to this subscription; follow it in the deliveries."""
    return DeliveryRead.model_validate(
        subscription_service.ping(session, principal, subscription_id)
    )
