"""Fixtures of the record tests: the running app, and a record service on a fixed clock with
one organisation of each kind that records facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.ledger import LedgerEntry
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord
from ecredit.models.subject import Subject
from ecredit.record import views
from ecredit.record.schemas import PublicFile
from ecredit.record.service import RecordService
from tests.factories import orgs
from tests.factories import subjects as make
from tests.factories.api import Api, api, client  # noqa: F401
from tests.factories.records import fixed_service, noon
from tests.factories.subjects import vault  # noqa: F401

TODAY = date(2026, 3, 10)


@dataclass
class Desk:
    """A record service whose today is controlled, and who may call it."""

    session: Session
    vault: Vault
    records: RecordService
    clock: FixedClock
    office: Principal
    department: Principal
    platform: Principal
    merchant: Subject

    def on(self, day: date) -> None:
        self.clock.at = noon(day)

    def principal(self, kind: OrgKind) -> Principal:
        return orgs.principal(orgs.organisation(self.session, kind))

    def public_file(self, subject_id: int | None = None) -> PublicFile:
        """The public file as the public route builds it, as of the clock's today."""
        sid = subject_id or self.merchant.id
        states = self.records.file(self.session, sid)
        return views.public_file(
            self.session, self.records.catalog, sid, states, self.records.today()
        )

    def public_ids(self, subject_id: int | None = None) -> list[int]:
        return [r.id for g in self.public_file(subject_id).groups for r in g.records]

    def counts(self) -> tuple[int, int]:
        """(credit_record rows, ledger_entry rows)."""
        return tuple(  # type: ignore[return-value]
            self.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (CreditRecord, LedgerEntry)
        )


def counts(db: Database) -> tuple[int, int]:
    """(credit_record rows, ledger_entry rows) as a fresh unit of work sees them."""
    with db.unit_of_work() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (CreditRecord, LedgerEntry)
        )


@pytest.fixture
def clocked(api: Api) -> FixedClock:  # noqa: F811
    """The app's record service replaced by the same service on a clock fixed at TODAY."""
    api.app.state.records, clock = fixed_service(TODAY)
    return clock


@pytest.fixture
def desk(session: Session, vault: Vault) -> Desk:  # noqa: F811
    records, clock = fixed_service(TODAY)
    office, department, platform = (
        orgs.principal(orgs.organisation(session, kind))
        for kind in (OrgKind.CREDIT_OFFICE, OrgKind.DEPARTMENT, OrgKind.PLATFORM)
    )
    merchant = make.enterprise(session, vault)
    return Desk(session, vault, records, clock, office, department, platform, merchant)
