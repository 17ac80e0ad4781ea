"""Registry jobs: periodic re-check of verified websites."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.jobs.registry import job_settings, registry
from ecredit.models.base import utcnow
from ecredit.parameters.service import parameter_service
from ecredit.subject.repository import domain_repository
from ecredit.subject.website import website_service


@registry.handler("subject.recheck_domains")
def recheck_domains(session: Session, payload: dict[str, Any]) -> None:
    """A verified website must keep serving its proof; one that stops becomes failed."""
    days = parameter_service.get(session, "domain.recheck_days")
    cutoff = utcnow() - timedelta(days=days)
    settings = job_settings(session)
    for claim in domain_repository.verified(session):
        if claim.last_checked_at is None or claim.last_checked_at < cutoff:
            website_service.check(session, settings, claim.id)


registry.every("subject.recheck_domains", timedelta(hours=24))
