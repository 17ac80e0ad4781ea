"""Scoring jobs: re-evaluate a subject whose file changed; evaluate everything nightly."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.jobs.registry import job_settings, registry
from ecredit.models.subject import Subject
from ecredit.scoring.platform import evaluate_platforms
from ecredit.scoring.service import ScoringService

EVALUATE_SUBJECT = "scoring.evaluate_subject"  # enqueued by the record service by this name
EVALUATE_ALL = "scoring.evaluate_all"
log = structlog.get_logger(__name__)


@lru_cache(maxsize=4)
def _service(catalog_dir: Path | None) -> ScoringService:
    return ScoringService.create(load_catalog(catalog_dir))


def scoring_for(session: Session) -> ScoringService:
    return _service(job_settings(session).catalog_dir)


@registry.handler(EVALUATE_SUBJECT)
def evaluate_subject(session: Session, payload: dict[str, Any]) -> None:
    """A record about the subject was stored, amended or repaired: evaluate it again."""
    subject_id = int(payload["subject_id"])
    if session.get(Subject, subject_id) is None:
        log.warning("scoring.subject_gone", subject_id=subject_id)
        return
    scoring_for(session).evaluate_subject(session, subject_id)


@registry.handler(EVALUATE_ALL)
def evaluate_all(session: Session, payload: dict[str, Any]) -> None:
    """Every subject (decay moves scores daily), then every platform from the new grades."""
    service = scoring_for(session)
    summary = service.evaluate_all(session)
    platforms = evaluate_platforms(service, session)
    log.info("scoring.evaluated", subjects=summary.subjects, platforms=platforms,
             grades=dict(summary.grades))  # fmt: skip


registry.every(EVALUATE_ALL, timedelta(hours=24))
