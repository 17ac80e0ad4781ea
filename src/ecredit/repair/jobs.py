"""Repair jobs: escalate cases whose acknowledge, decision or removal deadline passed (hourly)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.jobs.registry import job_settings, registry
from ecredit.kit.clock import Clock, SystemClock
from ecredit.kit.merkle import HashName
from ecredit.record.service import RecordService
from ecredit.repair.service import RepairService

ESCALATE_JOB = "repair.escalate_overdue"
clock: Clock = SystemClock()  # whose Beijing date is "today"; tests put a FixedClock here


@registry.handler(ESCALATE_JOB)
def escalate_overdue(session: Session, payload: dict[str, Any]) -> None:
    """Escalate every overdue step once, counting days in Beijing; `payload["today"]` (ISO date)
    replays a given day."""
    settings = job_settings(session)
    records = RecordService(
        load_catalog(settings.catalog_dir), HashName(settings.ledger_hash.value), clock=clock
    )
    today = date.fromisoformat(payload["today"]) if "today" in payload else None
    RepairService(records).escalate_overdue(session, today)


registry.every(ESCALATE_JOB, timedelta(hours=1))
