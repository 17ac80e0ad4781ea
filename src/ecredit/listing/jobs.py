"""List jobs: proposals by criteria for one subject (enqueued by the record service on every
stored record), and the nightly sweep (criteria for all, publicity ended, validity ended)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy.orm import Session

from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.kit.clock import local_date
from ecredit.listing.criteria import catalog_for, propose_by_criteria
from ecredit.listing.service import listing_service
from ecredit.models.base import utcnow

PROPOSE_JOB = "listing.propose_for_subject"
SWEEP_JOB = "listing.sweep"
log = structlog.get_logger(__name__)


def _catalog_dir(session: Session) -> Path | None:
    settings = session.info.get("settings")
    return settings.catalog_dir if isinstance(settings, Settings) else None


@registry.handler(PROPOSE_JOB)
def propose_for_subject(session: Session, payload: dict[str, Any]) -> None:
    today = local_date(utcnow())
    catalog = catalog_for(_catalog_dir(session))
    made = propose_by_criteria(session, int(payload["subject_id"]), today, catalog)
    if made:
        log.info("listing.proposed", subject_id=payload["subject_id"], entries=[e.id for e in made])


@registry.handler(SWEEP_JOB)
def sweep(session: Session, payload: dict[str, Any]) -> None:
    today = local_date(utcnow())
    result = listing_service.sweep(session, today, catalog_for(_catalog_dir(session)))
    log.info("listing.sweep", **result.model_dump())


registry.every(SWEEP_JOB, timedelta(hours=24))
