"""Complaint jobs: escalate every missed deadline (hourly)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.catalog.loader import load_catalog
from ecredit.complaint.service import ComplaintService
from ecredit.jobs.registry import job_settings, registry
from ecredit.kit.clock import Clock, SystemClock
from ecredit.kit.merkle import HashName
from ecredit.record.service import RecordService

ESCALATE_JOB = "complaint.escalate_overdue"
clock: Clock = SystemClock()  # whose Beijing date is "today"; tests put a FixedClock here


@registry.handler(ESCALATE_JOB)
def escalate_overdue(session: Session, payload: dict[str, Any]) -> None:
    """Escalate each missed deadline once, counting days in Beijing; `payload["today"]` (ISO
    date) replays a given day."""
    settings = job_settings(session)
    records = RecordService(
        load_catalog(settings.catalog_dir), HashName(settings.ledger_hash.value), clock=clock
    )
    today = date.fromisoformat(payload["today"]) if "today" in payload else None
    ComplaintService(records).escalate_overdue(session, SYSTEM, today)


registry.every(ESCALATE_JOB, timedelta(hours=1))
