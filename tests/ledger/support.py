"""Writing records through the record service, so the ledger grows exactly as in production."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.catalog.loader import load_catalog
from ecredit.kit.clock import SystemClock, local_date
from ecredit.kit.crypto import Vault
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import Signer, ledger_service
from ecredit.models.ledger import Checkpoint
from ecredit.models.record import CreditRecord, PenaltyKind, Severity
from ecredit.record.schemas import RecordAmendment, RecordCorrection, RecordCreate
from ecredit.record.service import RecordService
from tests.factories import subjects

_serial = itertools.count(1)
CATALOG = load_catalog()


def penalty(subject_id: int, amount: str = "5000") -> RecordCreate:
    """A valid administrative penalty of a new decision number, decided today (so on public
    display now, whatever the day the tests run)."""
    return RecordCreate(
        subject_id=subject_id,
        type_code="administrative_penalty",
        severity=Severity.GENERAL,
        legal_basis="《中华人民共和国电子商务法》第七十五条",
        decision_no=f"本市监罚〔2026〕{next(_serial)}号",
        decision_date=local_date(SystemClock().now()),
        penalty_kind=PenaltyKind.FINE,
        amount=Decimal(amount),
        summary="未在首页显著位置公示营业执照信息",
    )


@dataclass
class Ledgered:
    """Records of one subject, written through `RecordService`, and checkpoints signed by
    `signer`: the ledger as the platform builds it."""

    vault: Vault
    signer: Signer
    hash_name: HashName = HashName.SHA256
    subject_id: int | None = field(default=None)

    @property
    def records(self) -> RecordService:
        return RecordService(CATALOG, self.hash_name)

    def _subject(self, session: Session) -> int:
        if self.subject_id is None:
            self.subject_id = subjects.enterprise(session, self.vault).id
        return self.subject_id

    def submit(self, session: Session, count: int = 1) -> list[CreditRecord]:
        """`count` penalties, one `submit` each."""
        subject_id = self._subject(session)
        return [
            self.records.submit(session, penalty(subject_id, f"{1000 + n}.50"), SYSTEM)
            for n in range(count)
        ]

    def batch(self, session: Session, count: int) -> list[int]:
        """`count` penalties in one `submit_batch`; their record ids."""
        subject_id = self._subject(session)
        items = [penalty(subject_id, str(100 * (n + 1))) for n in range(count)]
        result = self.records.submit_batch(session, items, SYSTEM)
        assert result.created == count, result
        return [item.record_id for item in result.items if item.record_id is not None]

    def correct(self, session: Session, record_id: int) -> CreditRecord:
        data = RecordCorrection(reason="罚款金额更正", amount=Decimal("4321.09"))
        return self.records.correct(session, record_id, data, SYSTEM)

    def revoke(self, session: Session, record_id: int) -> CreditRecord:
        data = RecordAmendment(reason="复议撤销")
        return self.records.revoke(session, record_id, data, SYSTEM)

    def checkpoint(self, session: Session) -> Checkpoint:
        return ledger_service.checkpoint(session, self.signer)

    def mixed_history(self, session: Session) -> list[Checkpoint]:
        """Ten entries (originals, a correction, a revocation, an early end of publicity) and
        three checkpoints, the last covering everything."""
        first = self.submit(session, 3)
        signed = [self.checkpoint(session)]
        self.batch(session, 3)
        self.correct(session, first[0].id)
        signed.append(self.checkpoint(session))
        self.revoke(session, first[1].id)
        end = RecordAmendment(reason="提前结束公示", effective=self.records.today())
        self.records.end_publicity(session, first[2].id, end, SYSTEM)
        self.submit(session, 1)
        signed.append(self.checkpoint(session))
        return signed


def sql(session: Session, statement: str, **params: object) -> None:
    """What an attacker with database access does: raw SQL, no ORM, no service."""
    session.execute(text(statement), params)


def without_foreign_keys(session: Session) -> None:
    """Let deletes ignore the ledger's foreign keys, as an attacker with full access could."""
    if session.get_bind().dialect.name == "postgresql":
        sql(session, "SET LOCAL session_replication_role = replica")
    else:
        # PRAGMA foreign_keys cannot change inside a transaction; deferring can, and the test's
        # outer transaction is rolled back, so the deferred check never runs.
        sql(session, "PRAGMA defer_foreign_keys = ON")
