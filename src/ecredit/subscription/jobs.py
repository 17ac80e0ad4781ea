"""Subscription jobs: fan an event out to its subscribers, deliver each webhook."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ecredit.jobs.events import FAN_OUT_JOB
from ecredit.jobs.registry import job_settings, registry
from ecredit.kit.crypto import Vault
from ecredit.subscription import delivery, fanout


@registry.handler(FAN_OUT_JOB)
def fan_out(session: Session, payload: dict[str, Any]) -> None:
    """One delivery and one `subscription.deliver` job per subscription the event concerns."""
    fanout.fan_out(session, payload)


@registry.handler(delivery.DELIVER_JOB, retry=delivery.WEBHOOK_RETRY)
def deliver(session: Session, payload: dict[str, Any]) -> None:
    """One attempt; a failure raises, and the job table retries with exponential backoff."""
    settings = job_settings(session)
    delivery.deliver(session, settings, Vault.from_settings(settings), int(payload["delivery_id"]))
