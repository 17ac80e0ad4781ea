"""Ledger jobs: sign a checkpoint periodically."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.jobs.registry import job_settings, registry
from ecredit.kit.crypto import load_signing_key
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import Signer, ledger_service


@registry.handler("ledger.sign_checkpoint")
def sign_checkpoint(session: Session, payload: dict[str, Any]) -> None:
    """Publish the log's current root, signed; nothing new since the last one: no new one."""
    settings = job_settings(session)
    signer = Signer(load_signing_key(settings))
    ledger_service.checkpoint(session, signer, HashName(settings.ledger_hash.value))


registry.every("ledger.sign_checkpoint", timedelta(hours=1))
