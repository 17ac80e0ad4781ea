"""Delivery end to end: emit → fan-out job → delivery job → a real receiver on 127.0.0.1.

Retries run through the job table on a fixed clock moved past each backoff: no sleeps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from ecredit.config import Settings
from ecredit.jobs.events import emit
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.subscription import DeliveryStatus, Subscription, WebhookDelivery
from ecredit.subscription.delivery import DELIVER_JOB, WEBHOOK_RETRY
from ecredit.subscription.signing import verify
from tests.factories.webhooks import Receiver, merchant_on, platform_org, subscribe
from tests.factories.website import closed_port


@dataclass
class Event:
    event_id: str
    secret: str
    merchant_id: int
    merchant_name: str


def _list_change(db: Database, settings: Settings, vault: Vault, url: str) -> Event:
    """A platform subscribed to list changes, and a list change about one of its merchants."""
    with db.unit_of_work() as session:
        org, platform = platform_org(session, vault)
        merchant = merchant_on(session, vault, platform)
        _subscription, secret = subscribe(session, settings, vault, org, url)
        data = {"list_kind": "ecommerce_black", "entry_id": 41, "status": "effective"}
        event_id = emit(session, "list_entry.effective", merchant.id, data)
    return Event(event_id, secret, merchant.id, merchant.name)


def _delivery(db: Database, event_id: str) -> WebhookDelivery:
    with db.unit_of_work() as session:
        query = select(WebhookDelivery).where(WebhookDelivery.event_id == event_id)
        return session.scalars(query).one()


def _deliver_job(db: Database) -> Job:
    with db.unit_of_work() as session:
        return session.scalars(select(Job).where(Job.name == DELIVER_JOB)).one()


class TestDelivered:
    def test_receiver_gets_signed_event_once_when_list_entry_changes(
        self, db: Database, hook_settings: Settings, vault: Vault, receiver: Receiver,
        runner: JobService,
    ) -> None:  # fmt: skip
        event = _list_change(db, hook_settings, vault, receiver.url)
        assert runner.run_due(db) == 2  # the fan-out, then the delivery it enqueued
        [request] = receiver.requests
        headers = {name.lower(): value for name, value in request.headers.items()}
        timestamp, signature = headers["x-ecredit-timestamp"], headers["x-ecredit-signature"]
        assert verify(event.secret, timestamp, request.body, signature)
        assert headers["x-ecredit-event-id"] == event.event_id
        assert headers["x-ecredit-event-type"] == "list_entry.effective"
        body = json.loads(request.body)
        assert body["event_id"] == event.event_id
        assert body["subject"] == {
            "id": event.merchant_id, "kind": "merchant", "name": event.merchant_name,
            "code": body["subject"]["code"],
        }  # fmt: skip
        assert body["data"]["entry_id"] == 41
        delivery = _delivery(db, event.event_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
        assert (delivery.last_status_code, delivery.last_error) == (204, None)
        assert runner.run_due(db) == 0
        assert len(receiver.requests) == 1


class TestRetries:
    def test_delivers_once_with_same_event_id_when_receiver_fails_twice(
        self, db: Database, hook_settings: Settings, vault: Vault, receiver: Receiver,
        runner: JobService, clock: FixedClock,
    ) -> None:  # fmt: skip
        receiver.fail_first = 2
        event = _list_change(db, hook_settings, vault, receiver.url)
        runner.run_due(db)
        delivery = _delivery(db, event.event_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert (delivery.last_status_code, delivery.last_error) == (500, "HTTP 500")
        for attempt, wait in ((1, WEBHOOK_RETRY.delay(1)), (2, WEBHOOK_RETRY.delay(2))):
            assert _deliver_job(db).run_at == clock.now() + wait
            clock.advance(wait / 2)
            assert runner.run_due(db) == 0, "not before the backoff has passed"
            clock.advance(wait / 2)
            assert runner.run_due(db) == 1
            assert len(receiver.requests) == attempt + 1
        assert WEBHOOK_RETRY.delay(2) == 2 * WEBHOOK_RETRY.delay(1)  # exponential
        assert len(receiver.succeeded) == 1
        assert {r.headers["X-Ecredit-Event-Id"] for r in receiver.requests} == {event.event_id}
        assert len({r.body for r in receiver.requests}) == 1
        delivery = _delivery(db, event.event_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
        assert (delivery.last_status_code, delivery.last_error) == (204, None)

    def test_fails_after_max_attempts_when_receiver_keeps_failing(
        self, db: Database, hook_settings: Settings, vault: Vault, receiver: Receiver,
        runner: JobService, clock: FixedClock,
    ) -> None:  # fmt: skip
        receiver.fail_first, receiver.fail_status = 100, 503
        event = _list_change(db, hook_settings, vault, receiver.url)
        runner.run_due(db)
        for attempt in range(1, WEBHOOK_RETRY.max_attempts):
            clock.advance(WEBHOOK_RETRY.delay(attempt))
            assert runner.run_due(db) == 1
        clock.advance(WEBHOOK_RETRY.max_backoff or WEBHOOK_RETRY.backoff)
        assert runner.run_due(db) == 0
        assert len(receiver.requests) == WEBHOOK_RETRY.max_attempts == 8
        delivery = _delivery(db, event.event_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 8)
        assert delivery.last_status_code == 503
        assert _deliver_job(db).status is JobStatus.FAILED

    def test_records_the_error_when_nothing_listens(
        self, db: Database, hook_settings: Settings, vault: Vault, runner: JobService
    ) -> None:
        event = _list_change(db, hook_settings, vault, f"http://127.0.0.1:{closed_port()}/hook")
        runner.run_due(db)
        delivery = _delivery(db, event.event_id)
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert delivery.last_status_code is None
        assert (delivery.last_error or "").startswith("ConnectError")


class TestRefusals:
    def test_does_not_follow_when_receiver_redirects(
        self, db: Database, hook_settings: Settings, vault: Vault, receiver: Receiver,
        runner: JobService,
    ) -> None:  # fmt: skip
        receiver.redirect = True
        event = _list_change(db, hook_settings, vault, receiver.url)
        runner.run_due(db)
        assert [r.path for r in receiver.requests] == ["/hooks/ecredit"]
        delivery = _delivery(db, event.event_id)
        assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.PENDING, 302)
        assert "redirects are not followed" in (delivery.last_error or "")

    def test_fails_without_sending_when_http_no_longer_allowed(
        self, db: Database, settings: Settings, hook_settings: Settings, vault: Vault,
        receiver: Receiver, clock: FixedClock,
    ) -> None:  # fmt: skip
        event = _list_change(db, hook_settings, vault, receiver.url)
        JobService(registry, clock=clock, settings=settings).run_due(db)
        assert receiver.requests == []
        delivery = _delivery(db, event.event_id)
        assert (delivery.status, delivery.last_error) == (
            DeliveryStatus.FAILED,
            "url must use https",
        )

    def test_fails_without_sending_when_subscription_deactivated(
        self, db: Database, hook_settings: Settings, vault: Vault, receiver: Receiver,
        runner: JobService,
    ) -> None:  # fmt: skip
        event = _list_change(db, hook_settings, vault, receiver.url)
        runner.run_due(db, limit=1)  # the fan-out only
        with db.unit_of_work() as session:
            subscription_id = _delivery(db, event.event_id).subscription_id
            session.get_one(Subscription, subscription_id).active = False
        runner.run_due(db)
        assert receiver.requests == []
        assert _delivery(db, event.event_id).status is DeliveryStatus.FAILED
