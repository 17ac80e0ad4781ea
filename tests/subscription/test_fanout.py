"""Fan-out: which subscriptions an event reaches, once each, with one delivery job each."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.config import Settings
from ecredit.jobs.events import FAN_OUT_JOB, emit
from ecredit.jobs.registry import registry
from ecredit.kit.crypto import Vault
from ecredit.models.jobs import Job
from ecredit.models.org import OrgKind
from ecredit.models.subject import MerchantForm
from ecredit.models.subscription import SubscriptionScope, WebhookDelivery
from ecredit.subscription.delivery import DELIVER_JOB
from ecredit.subscription.fanout import fan_out, matches
from tests.factories import orgs
from tests.factories.webhooks import merchant_on, platform_org, subscribe

URL = "https://hooks.example.cn/ecredit"


def _event(session: Session, subject_id: int, event_type: str = "list_entry.effective") -> Any:
    emit(session, event_type, subject_id, {"list_kind": "ecommerce_black", "entry_id": 1})
    query = select(Job).where(Job.name == FAN_OUT_JOB).order_by(Job.id.desc()).limit(1)
    return session.scalars(query).one().payload


def _reached(session: Session, payload: dict[str, Any]) -> set[int]:
    return {delivery.subscription_id for delivery in fan_out(session, payload)}


class TestMatches:
    @pytest.mark.parametrize(
        ("patterns", "event_type", "expected"),
        [
            (["list_entry.*"], "list_entry.effective", True),
            (["list_entry.effective"], "list_entry.effective", True),
            (["*"], "repair_case.granted", True),
            (["list_entry.*"], "list_entry", False),
            (["list_entry.*"], "list_entry_kind.changed", False),
            (["list_entry.removed"], "list_entry.effective", False),
            (["repair_case.*", "record.*"], "record.created", True),
        ],
    )
    def test_answers_expected_when_patterns_given(
        self, patterns: list[str], event_type: str, expected: bool
    ) -> None:
        assert matches(patterns, event_type) is expected


class TestScope:
    def test_reaches_only_own_platform_when_scope_own_merchants(
        self, session: Session, settings: Settings, vault: Vault
    ) -> None:
        org_a, platform_a = platform_org(session, vault)
        org_b, platform_b = platform_org(session, vault)
        merchant_a = merchant_on(session, vault, platform_a)
        merchant_on(session, vault, platform_b)
        sub_a, _ = subscribe(session, settings, vault, org_a, URL)
        sub_b, _ = subscribe(session, settings, vault, org_b, URL)
        agency = orgs.organisation(session, OrgKind.CREDIT_AGENCY)
        sub_all, _ = subscribe(session, settings, vault, agency, URL, SubscriptionScope.ALL)
        assert _reached(session, _event(session, merchant_a.id)) == {sub_a.id, sub_all.id}
        assert _reached(session, _event(session, platform_b.id)) == {sub_b.id, sub_all.id}

    def test_reaches_nobody_when_subscription_inactive(
        self, session: Session, settings: Settings, vault: Vault
    ) -> None:
        org, platform = platform_org(session, vault)
        merchant = merchant_on(session, vault, platform)
        subscription, _ = subscribe(session, settings, vault, org, URL)
        subscription.active = False
        assert _reached(session, _event(session, merchant.id)) == set()


class TestEventTypes:
    def test_reaches_only_matching_subscriptions_when_patterns_differ(
        self, session: Session, settings: Settings, vault: Vault
    ) -> None:
        org, platform = platform_org(session, vault)
        merchant = merchant_on(session, vault, platform)
        lists, _ = subscribe(session, settings, vault, org, URL, event_types=("list_entry.*",))
        exact, _ = subscribe(
            session, settings, vault, org, URL, event_types=("list_entry.effective",)
        )
        everything, _ = subscribe(session, settings, vault, org, URL, event_types=("*",))
        repairs, _ = subscribe(session, settings, vault, org, URL, event_types=("repair_case.*",))
        reached = _reached(session, _event(session, merchant.id))
        assert reached == {lists.id, exact.id, everything.id}
        removed = _reached(session, _event(session, merchant.id, "list_entry.removed"))
        assert removed == {lists.id, everything.id}
        assert repairs.id not in reached | removed


class TestIdempotence:
    def test_one_delivery_per_subscription_when_fan_out_runs_twice(
        self, session: Session, settings: Settings, vault: Vault
    ) -> None:
        org, platform = platform_org(session, vault)
        merchant = merchant_on(session, vault, platform)
        first, _ = subscribe(session, settings, vault, org, URL)
        second, _ = subscribe(session, settings, vault, org, URL, event_types=("*",))
        payload = _event(session, merchant.id)
        registry.handlers[FAN_OUT_JOB](session, payload)
        registry.handlers[FAN_OUT_JOB](session, payload)
        deliveries = session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.event_id == payload["event_id"])
        ).all()
        assert sorted(d.subscription_id for d in deliveries) == [first.id, second.id]
        jobs = session.scalar(select(func.count()).select_from(Job).where(Job.name == DELIVER_JOB))
        assert jobs == 2

    def test_payload_carries_public_data_only_when_subject_is_a_person(
        self, session: Session, settings: Settings, vault: Vault
    ) -> None:
        org, platform = platform_org(session, vault)
        person = merchant_on(
            session, vault, platform, name="张三丰", merchant_form=MerchantForm.NATURAL_PERSON
        )
        subscribe(session, settings, vault, org, URL)
        [delivery] = fan_out(session, _event(session, person.id))
        assert delivery.payload["subject"] == {
            "id": person.id,
            "kind": "merchant",
            "name": "张**",
            "code": None,
        }
        assert "张三丰" not in str(delivery.payload)
