"""`verify_ledger` on an untouched ledger, and on one an attacker edited with raw SQL.

Each tampering test writes SQL straight at the tables (no ORM, no service), as someone with
database access would, and checks that verification names the right entry and the right kind.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ecredit.kit import merkle
from ecredit.kit.db import Database
from ecredit.kit.ledger import chain_next
from ecredit.kit.merkle import HashName
from ecredit.ledger import verify
from ecredit.ledger.canonical import canonical_record
from ecredit.ledger.service import Signer
from ecredit.ledger.verify import Finding, Report, verify_ledger
from ecredit.models.ledger import Checkpoint, LedgerEntry
from ecredit.models.record import CreditRecord, EntryAction
from tests.ledger.support import Ledgered, sql, without_foreign_keys

SIZE = 10  # entries of Ledgered.mixed_history; checkpoints at sizes 3, 7 and 10


@pytest.fixture
def history(session: Session, ledgered: Ledgered) -> list[Checkpoint]:
    signed = ledgered.mixed_history(session)
    session.commit()
    return signed


@pytest.fixture
def fresh(db: Database) -> Iterator[Session]:
    """Another session on the same (rolled-back) database: nothing cached from the writer."""
    session = db.session_factory()
    try:
        yield session
    finally:
        session.close()


def record_at(session: Session, seq: int) -> int:
    query = text("SELECT record_id FROM ledger_entry WHERE seq = :seq")
    record_id: int = session.execute(query, {"seq": seq}).scalar_one()
    return record_id


def check(session: Session, ledgered: Ledgered) -> Report:
    return verify_ledger(session, ledgered.signer.public_key)


class TestUntouchedLedger:
    def test_reports_intact_when_nothing_was_changed(
        self, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        actions = set(fresh.scalars(select(CreditRecord.action)))
        assert {EntryAction.CORRECTION, EntryAction.REVOCATION, EntryAction.EXPIRY} <= actions

        report = check(fresh, ledgered)

        assert report.findings == []
        assert report.ok
        assert report.first is None
        assert (report.entries, report.checkpoints) == (SIZE, 3)
        assert [c.tree_size for c in history] == [3, 7, SIZE]

    def test_reports_progress_when_a_callback_is_given(
        self, fresh: Session, ledgered: Ledgered, history: list[Checkpoint],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:  # fmt: skip
        monkeypatch.setattr(verify, "BATCH", 4)
        seen: list[int] = []
        verify_ledger(fresh, ledgered.signer.public_key, seen.append)
        assert seen == [4, 8]

    def test_reports_intact_when_ledger_is_empty(
        self, session: Session, ledgered: Ledgered
    ) -> None:
        report = check(session, ledgered)
        assert report.ok
        assert report.entries == 0


class TestTamperedRecord:
    def test_names_entry_and_field_when_an_amount_was_changed(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        sql(session, "UPDATE credit_record SET amount = 1 WHERE id = :id", id=record_at(session, 5))

        report = check(fresh, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (5, "altered")
        assert "(amount)" in report.first.message
        # The checkpoints covering entry 5 no longer match the log as it stands.
        signed_over = {(f.seq, f.kind) for f in report.findings if f.kind == "checkpoint"}
        assert signed_over == {(7, "checkpoint"), (SIZE, "checkpoint")}

    def test_names_entry_when_a_summary_was_changed_and_verified_in_the_same_session(
        self, session: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        record_id = record_at(session, 2)
        # Held in this session's identity map, as a long-lived session would hold it.
        cached = session.get_one(CreditRecord, record_id)
        sql(session, "UPDATE credit_record SET summary = '无违法行为' WHERE id = :id", id=record_id)

        report = check(session, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (2, "altered")
        # The stale object in the identity map did not hide the change: rows were read.
        assert "(summary)" in report.first.message
        assert cached.summary != "无违法行为"

    def test_names_entry_when_its_record_was_deleted(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        without_foreign_keys(session)
        record_id = record_at(session, 6)
        sql(session, "DELETE FROM credit_record WHERE id = :id", id=record_id)

        report = check(fresh, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (6, "altered")
        assert f"record {record_id} is missing" in report.first.message

    def test_lists_record_when_it_was_inserted_outside_the_ledger(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        sql(
            session,
            "INSERT INTO credit_record (subject_id, type_code, action, evidence_refs, "
            "recorded_by, recorded_at, summary) SELECT subject_id, type_code, action, "
            "evidence_refs, recorded_by, recorded_at, '伪造的表彰' "
            "FROM credit_record WHERE id = :id",
            id=record_at(session, 1),
        )
        forged = session.execute(text("SELECT max(id) FROM credit_record")).scalar_one()

        report = check(fresh, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (None, "unledgered")
        assert f"record {forged} is not in the ledger" in report.first.message
        assert len(report.findings) == 1


class TestTamperedEntry:
    def test_names_entry_when_its_canonical_text_was_changed(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        sql(
            session,
            'UPDATE ledger_entry SET canonical = replace(canonical, \'"summary":"\', '
            '\'"summary":"已整改 \') WHERE seq = 4',
        )

        report = check(fresh, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (4, "altered")
        assert {f.seq for f in report.findings} == {4}

    def test_names_entry_as_missing_when_one_in_the_middle_was_deleted(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        record_id = record_at(session, 5)
        sql(session, "DELETE FROM ledger_entry WHERE seq = 5")

        report = check(fresh, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (5, "missing")
        assert "entry 5 is missing" in report.first.message
        kinds = {(f.seq, f.kind) for f in report.findings}
        assert (6, "chain") in kinds
        assert (None, "unledgered") in kinds
        assert any(f"record {record_id} is not in the ledger" in f.message for f in report.findings)

    def test_names_first_lost_entry_when_the_last_ones_were_deleted(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        sql(session, "DELETE FROM ledger_entry WHERE seq >= 9")

        report = check(fresh, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (9, "missing")
        assert f"ledger head says {SIZE} entries but the log ends at 8" in report.first.message

    def test_names_earlier_entry_when_two_entries_were_swapped(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        without_foreign_keys(session)  # record_id is unique: park one row on a free value
        rows = {
            row.seq: row
            for row in session.execute(
                text("SELECT seq, record_id, canonical, leaf_hash, chain_hash FROM ledger_entry "
                     "WHERE seq IN (3, 4)")
            )
        }  # fmt: skip
        sql(session, "UPDATE ledger_entry SET record_id = -1 WHERE seq = 3")
        for seq, other in ((4, 3), (3, 4)):
            sql(
                session,
                "UPDATE ledger_entry SET record_id = :r, canonical = :c, leaf_hash = :l, "
                "chain_hash = :h WHERE seq = :seq",
                r=rows[other].record_id, c=rows[other].canonical, l=rows[other].leaf_hash,
                h=rows[other].chain_hash, seq=seq,
            )  # fmt: skip

        report = check(fresh, ledgered)

        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (3, "chain")
        assert (4, "reordered") in {(f.seq, f.kind) for f in report.findings}

    def test_fails_at_signed_checkpoint_when_a_rewrite_recomputed_every_hash(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        rewrite_consistently(session, seq=5, amount="1.00")

        report = check(fresh, ledgered)

        # Every entry and the chain agree with the rewritten record: only a signature can tell.
        assert {f.kind for f in report.findings} == {"checkpoint"}
        assert report.first is not None
        assert (report.first.seq, report.first.kind) == (7, "checkpoint")
        assert "no longer has the signed root" in report.first.message


def rewrite_consistently(session: Session, seq: int, amount: str) -> None:
    """The clever attacker: change a record, then recompute its canonical text, its leaf and
    every later chain hash, and the head, exactly as the ledger would have."""
    sql(session, "UPDATE credit_record SET amount = :a WHERE id = :id", a=amount,
        id=record_at(session, seq))  # fmt: skip
    session.expire_all()
    entries = list(session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)))
    name = HashName.SHA256
    chain = bytes.fromhex(entries[seq - 2].chain_hash)
    for entry in entries[seq - 1 :]:
        canonical = canonical_record(session.get_one(CreditRecord, entry.record_id))
        leaf = merkle.leaf_hash(name, canonical)
        chain = chain_next(name, chain, leaf)
        sql(
            session,
            "UPDATE ledger_entry SET canonical = :c, leaf_hash = :l, chain_hash = :h "
            "WHERE seq = :seq",
            c=canonical.decode(), l=leaf.hex(), h=chain.hex(), seq=entry.seq,
        )  # fmt: skip
    sql(session, "UPDATE ledger_head SET chain_hash = :h", h=chain.hex())


class TestTamperedCheckpoint:
    @pytest.mark.parametrize(
        "change",
        [
            "root_hash = :other_root",
            "signature = :other_signature",
            "tree_size = tree_size - 1",
            "chain_hash = :other_root",
        ],
    )
    def test_reports_forged_signature_when_a_signed_field_was_changed(
        self, change: str, session: Session, fresh: Session, ledgered: Ledgered,
        history: list[Checkpoint],
    ) -> None:  # fmt: skip
        first, middle = history[0], history[1]
        sql(
            session,
            f"UPDATE ledger_checkpoint SET {change} WHERE id = :id",
            other_root=first.root_hash, other_signature=first.signature, id=middle.id,
        )  # fmt: skip

        report = check(fresh, ledgered)

        forged = [f for f in report.findings if "signature does not verify" in f.message]
        assert [f.message.split(":")[0] for f in forged] == [f"checkpoint {middle.id}"]
        assert report.first is not None
        assert report.first.kind == "checkpoint"
        assert {f.kind for f in report.findings} == {"checkpoint"}

    def test_reports_forged_signature_when_a_checkpoint_was_signed_by_another_key(
        self, session: Session, fresh: Session, ledgered: Ledgered, history: list[Checkpoint]
    ) -> None:
        ledgered.submit(session, 1)
        intruder = Ledgered(ledgered.vault, Signer(Ed25519PrivateKey.generate()))
        foreign = intruder.checkpoint(session)
        session.commit()

        report = check(fresh, ledgered)

        assert report.first == Finding(
            None, "checkpoint", f"checkpoint {foreign.id}: the signature does not verify (forged)"
        )
        assert len(report.findings) == 1

    def test_reports_every_checkpoint_when_verified_with_another_public_key(
        self, fresh: Session, history: list[Checkpoint]
    ) -> None:
        other = Signer(Ed25519PrivateKey.generate())

        report = verify_ledger(fresh, other.public_key)

        assert [f.kind for f in report.findings] == ["checkpoint"] * 3
        assert all("signature does not verify" in f.message for f in report.findings)
