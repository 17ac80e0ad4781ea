"""Two batch uploads of one department at the same time, on PostgreSQL (two real connections):
rows the other upload stored first come back as duplicates, nothing is stored twice, no
unique-index error escapes, and the ledger verifies with every row in it once.

The second upload looks its rows up before the first commits, then waits for the ledger head;
the test commits the first only once PostgreSQL shows the second waiting on a lock. These tests
work in a schema of their own (committed data, not the rolled-back `db` fixture).
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text

from ecredit.authz.principals import Principal
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.ledger.service import Signer
from ecredit.ledger.verify import verify_ledger
from ecredit.models.ledger import LedgerEntry
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord
from ecredit.record.schemas import BatchResult, RecordCreate
from tests.factories import orgs
from tests.factories import records as rec
from tests.factories import subjects as make

TODAY = date(2026, 3, 10)


class Upload:
    """A department with a merchant, and the record service it posts batches to."""

    def __init__(self, db: Database, vault: Vault) -> None:
        self.db = db
        self.records, _ = rec.fixed_service(TODAY)
        with db.unit_of_work() as session:
            self.subject_id = make.enterprise(session, vault).id
            self.by: Principal = orgs.principal(orgs.organisation(session, OrgKind.DEPARTMENT))

    def rows(self, count: int) -> list[RecordCreate]:
        return [rec.penalty(self.subject_id, TODAY) for _ in range(count)]

    def submit(self, rows: list[RecordCreate]) -> BatchResult:
        with self.db.unit_of_work() as session:
            return self.records.submit_batch(session, rows, self.by)


def _race(
    upload: Upload, first_rows: list[RecordCreate], second_rows: list[RecordCreate]
) -> tuple[BatchResult, BatchResult | BaseException]:
    """The first batch stored but not committed; the second submitted meanwhile in a thread,
    which must reach the ledger head's lock before the first commits. Returns both results."""
    outcome: dict[str, BatchResult | BaseException] = {}  # the second's, from its thread
    second_pid: list[int] = []

    def second() -> None:
        try:
            with upload.db.unit_of_work() as session:
                second_pid.append(session.scalar(text("SELECT pg_backend_pid()")) or 0)
                outcome["second"] = upload.records.submit_batch(session, second_rows, upload.by)
        except BaseException as exc:  # shown by the assertion below
            outcome["second"] = exc

    with ExitStack() as first_transaction:
        session = first_transaction.enter_context(upload.db.unit_of_work())
        first = upload.records.submit_batch(session, first_rows, upload.by)
        thread = threading.Thread(target=second)
        thread.start()
        _wait_until_waiting_on_a_lock(upload.db, second_pid)
    thread.join(60)
    assert not thread.is_alive()
    return first, outcome["second"]


def _wait_until_waiting_on_a_lock(db: Database, pid: list[int]) -> None:
    """Poll PostgreSQL until the second upload's backend waits on a lock (bounded)."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    deadline = time.monotonic() + 30
    with db.engine.connect() as probe:
        while time.monotonic() < deadline:
            if pid and probe.execute(query, {"pid": pid[0]}).scalar() == "Lock":
                return
            probe.rollback()
            time.sleep(0.01)  # polling a condition, bounded by the deadline
    raise AssertionError("the second upload never waited for the ledger head")


def _statuses(result: BatchResult) -> list[tuple[str, int | None]]:
    return [(item.status, item.record_id) for item in result.items]


def _stored(db: Database) -> tuple[int, int, bool]:
    """(records, ledger entries, does the ledger verify)."""
    with db.unit_of_work() as session:
        records = session.scalar(select(func.count()).select_from(CreditRecord)) or 0
        entries = session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
        # No checkpoint is signed here, so any key will do.
        report = verify_ledger(session, Signer(Ed25519PrivateKey.generate()).public_key)
        return records, entries, report.ok


@pytest.mark.parametrize("ledger_started", [True, False], ids=["ledger-started", "empty-ledger"])
def test_rows_stored_by_a_concurrent_upload_come_back_as_duplicates(
    scratch_pg: Database, vault: Vault, ledger_started: bool
) -> None:
    upload = Upload(scratch_pg, vault)
    earlier = upload.submit(upload.rows(1)).created if ledger_started else 0
    shared = upload.rows(3)
    first_rows, second_rows = [*upload.rows(2), *shared], [*shared, *upload.rows(2)]

    first, second = _race(upload, first_rows, second_rows)

    assert isinstance(second, BatchResult), second
    assert first.created == 5
    shared_ids = [item.record_id for item in first.items[2:]]
    assert _statuses(second)[:3] == [("duplicate", record_id) for record_id in shared_ids]
    assert [status for status, _ in _statuses(second)[3:]] == ["created", "created"]
    first_ids = {item.record_id for item in first.items}
    assert not first_ids & {item.record_id for item in second.items[3:]}
    assert _stored(scratch_pg) == (earlier + 7, earlier + 7, True)
