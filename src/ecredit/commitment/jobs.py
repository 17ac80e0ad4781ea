"""Commitment jobs: commitments whose term is over are kept (daily)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.commitment.service import CommitmentService
from ecredit.commitment.templates import load_templates
from ecredit.jobs.registry import job_settings, registry
from ecredit.kit.merkle import HashName
from ecredit.record.service import RecordService


@registry.handler("commitment.complete_due")
def complete_due(session: Session, payload: dict[str, Any]) -> None:
    """Every active commitment whose term ended before today (Beijing) becomes kept, with a
    positive record. `payload["today"]` (ISO date) replays a given day."""
    settings = job_settings(session)
    records = RecordService(
        load_catalog(settings.catalog_dir), HashName(settings.ledger_hash.value)
    )
    service = CommitmentService(load_templates(settings.catalog_dir), records)
    today = date.fromisoformat(payload["today"]) if "today" in payload else records.today()
    service.complete_due(session, today)


registry.every("commitment.complete_due", timedelta(hours=24))
