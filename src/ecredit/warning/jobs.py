"""Job `warning.recompute_all`: every candidate subject's warning, daily and on demand
(enqueue it by name); idempotent, so a retried or repeated run changes nothing more."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.jobs.registry import job_settings, registry
from ecredit.kit.clock import Clock, SystemClock
from ecredit.warning.service import WarningService

RECOMPUTE_JOB = "warning.recompute_all"
clock: Clock = SystemClock()  # whose Beijing date is "today"; tests put a FixedClock here


@registry.handler(RECOMPUTE_JOB)
def recompute_all(session: Session, payload: dict[str, Any]) -> None:
    settings = job_settings(session)
    WarningService(load_catalog(settings.catalog_dir), clock).recompute_all(session)


registry.every(RECOMPUTE_JOB, timedelta(days=1))
