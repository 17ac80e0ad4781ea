"""Domain events for subscribers: a lower domain announces a change without importing the
domain that delivers it (webhooks live higher up, in `ecredit.subscription`).

An event is a job named "subscription.fan_out" added to the caller's transaction, so it exists
exactly when the change commits. Its payload carries a fresh event id, which receivers use to
ignore a second delivery of the same event.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from ecredit.models.base import utcnow
from ecredit.models.jobs import Job

FAN_OUT_JOB = "subscription.fan_out"


def emit(session: Session, event_type: str, subject_id: int, data: dict[str, Any]) -> str:
    """Announce `event_type` (e.g. "list_entry.effective") about a subject; returns the id."""
    event_id = uuid.uuid4().hex
    payload = {
        "event_id": event_id,
        "event_type": event_type,
        "subject_id": subject_id,
        "occurred_at": utcnow().isoformat(),
        "data": data,
    }
    session.add(Job(name=FAN_OUT_JOB, payload=payload, run_at=utcnow()))
    session.flush()
    return event_id
