"""Fixtures of the scoring tests: a record service and a scoring service on one fixed clock,
and verified merchants to evaluate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.catalog.loader import load_catalog
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.models.record import CreditRecord, EntryAction
from ecredit.models.subject import Subject, VerificationMethod, VerificationStatus
from ecredit.record.schemas import RecordCreate
from ecredit.record.service import RecordService
from ecredit.scoring.service import ScoringService
from tests.factories import subjects as make
from tests.factories.api import Api, api, client  # noqa: F401
from tests.factories.records import noon
from tests.factories.subjects import vault  # noqa: F401

DAY = date(2026, 3, 2)  # a Monday: "today" of every service test unless moved


@dataclass
class Desk:
    """Records and scoring sharing a clock; merchants made here are verified by licence."""

    session: Session
    vault: Vault
    records: RecordService
    scoring: ScoringService
    clock: FixedClock

    def on(self, day: date) -> None:
        self.clock.at = noon(day)

    def merchant(self, verified: bool = True) -> Subject:
        subject = make.enterprise(self.session, self.vault)
        if verified:
            subject.verification_status = VerificationStatus.VERIFIED
            subject.verification_method = VerificationMethod.LICENCE_CHECK
            self.session.flush()
        return subject

    def record(self, data: RecordCreate) -> CreditRecord:
        return self.records.submit(self.session, data, SYSTEM)

    def repair(self, record: CreditRecord) -> None:
        """A repair entry as the repair domain writes it (hidden from now on, kept in history)."""
        entry = CreditRecord(
            subject_id=record.subject_id, type_code=record.type_code,
            action=EntryAction.REPAIR, amends_id=record.id, severity=record.severity,
            decision_date=record.decision_date, public_from=record.public_from,
            public_until=record.public_until, evidence_refs=[], reason="信用修复",
            recorded_by="test",
        )  # fmt: skip
        self.records.store(self.session, [entry])


@pytest.fixture
def desk(session: Session, vault: Vault) -> Desk:  # noqa: F811
    clock = FixedClock(noon(DAY))
    catalog = load_catalog()
    records = RecordService(catalog, clock=clock)
    return Desk(session, vault, records, ScoringService.create(catalog, clock=clock), clock)
