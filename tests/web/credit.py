"""Helpers of the credit-page tests: records submitted through the app's own record service."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import FastAPI
from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal, Role
from ecredit.ledger.service import ledger_service
from ecredit.models.record import CreditRecord, PenaltyKind, Severity
from ecredit.record.schemas import RecordAmendment, RecordCreate
from ecredit.record.service import RecordService
from tests.factories import records as make
from tests.web import factories


def service(app: FastAPI) -> RecordService:
    records: RecordService = app.state.records
    return records


def today(app: FastAPI) -> date:
    return service(app).today()


def registrar(session: Session, username: str = "registrar") -> Principal:
    """A market-regulation user who may record facts and sign commitments."""
    return factories.staff_user(session, username, Role.REGISTRAR)


def penalty(
    app: FastAPI, session: Session, by: Principal, subject_id: int, days_ago: int, **values: object
) -> CreditRecord:
    data = make.penalty(subject_id, today(app) - timedelta(days=days_ago), **values)
    return service(app).submit(session, data, by)


def revoked_penalty(app: FastAPI, session: Session, by: Principal, subject_id: int) -> CreditRecord:
    record = penalty(app, session, by, subject_id, 20, decision_no="本市监罚〔2026〕999号")
    service(app).revoke(session, record.id, RecordAmendment(reason="复议撤销原处罚决定"), by)
    return record


def old_minor_penalty(
    app: FastAPI, session: Session, by: Principal, subject_id: int
) -> CreditRecord:
    """Decided two years ago, minor: its three months of display are long over."""
    return penalty(
        app, session, by, subject_id, 730, severity=Severity.MINOR,
        decision_no="本市监罚〔2024〕7号", penalty_kind=PenaltyKind.WARNING,
    )  # fmt: skip


def checkpoint(app: FastAPI, session: Session) -> None:
    ledger_service.checkpoint(session, app.state.signer)


__all__ = ["RecordCreate", "checkpoint", "penalty", "registrar", "service", "today"]
