"""Append record entries to the ledger, sign checkpoints, and serve proofs.

Appends are serialised by locking the single `ledger_head` row; the record service takes that
lock *before* inserting the record, so record ids and ledger sequence numbers rise together and
a reordering is visible. Services flush; the caller's unit of work commits.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecredit.kit import merkle
from ecredit.kit.errors import Conflict, NotFound
from ecredit.kit.ledger import (
    GENESIS_CHAIN,
    CheckpointBody,
    chain_next,
    key_id,
    public_key_bytes,
    sign_checkpoint,
)
from ecredit.kit.merkle import HashName
from ecredit.ledger.bulk import insert_rows
from ecredit.ledger.canonical import canonical_record
from ecredit.models.base import utcnow
from ecredit.models.ledger import Checkpoint, LedgerEntry, LedgerHead
from ecredit.models.record import CreditRecord

HEAD_ID = 1
ENTRY_COLUMNS = ("seq", "record_id", "canonical", "leaf_hash", "chain_hash", "at")


@dataclass(frozen=True)
class Signer:
    """The platform's checkpoint key."""

    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return public_key_bytes(self.private_key)

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


class LedgerService:
    def lock_head(self, session: Session, hash_name: HashName = HashName.SHA256) -> LedgerHead:
        """The head row, locked for this transaction (created with the ledger's hash)."""
        head = session.get(LedgerHead, HEAD_ID, with_for_update=True)
        if head is not None:
            return head
        # The very first append: two transactions may race to create the head. The loser's
        # insert fails inside its savepoint; it then waits for and locks the winner's row.
        try:
            with session.begin_nested():
                session.add(
                    LedgerHead(
                        id=HEAD_ID, size=0, chain_hash=GENESIS_CHAIN.hex(),
                        hash_name=hash_name.value,
                    )
                )  # fmt: skip
        except IntegrityError:
            pass
        return session.get_one(LedgerHead, HEAD_ID, with_for_update=True, populate_existing=True)

    def append(self, session: Session, records: Sequence[CreditRecord]) -> None:
        """Append flushed records in order; the head must be locked by this transaction."""
        self.append_canonical(session, [(r.id, canonical_record(r)) for r in records])

    def append_canonical(self, session: Session, items: Sequence[tuple[int, bytes]]) -> None:
        """Append (record id, canonical bytes) in order, as one bulk write of plain rows; the
        head must be locked by this transaction and the records already inserted."""
        head = self.lock_head(session)
        name = HashName(head.hash_name)
        chain = bytes.fromhex(head.chain_hash)
        at, rows = utcnow(), []
        for seq, (record_id, canonical) in enumerate(items, start=head.size + 1):
            leaf = merkle.leaf_hash(name, canonical)
            chain = chain_next(name, chain, leaf)
            rows.append((seq, record_id, canonical.decode("utf-8"), leaf.hex(), chain.hex(), at))
        insert_rows(session, LedgerEntry, ENTRY_COLUMNS, rows)
        head.size += len(rows)
        head.chain_hash = chain.hex()
        session.flush()

    def leaves(self, session: Session, tree_size: int | None = None) -> list[bytes]:
        query = select(LedgerEntry.leaf_hash).order_by(LedgerEntry.seq)
        if tree_size is not None:
            query = query.where(LedgerEntry.seq <= tree_size)
        return [bytes.fromhex(value) for value in session.scalars(query)]

    def size(self, session: Session) -> int:
        """How many entries the log has (its head's count; 0 before the first)."""
        head = session.get(LedgerHead, HEAD_ID)
        return head.size if head is not None else 0

    def checkpoint(
        self, session: Session, signer: Signer, hash_name: HashName = HashName.SHA256
    ) -> Checkpoint:
        """Sign the log as it is now (a no-op when nothing was appended since the last one).

        `hash_name` matters only on an empty ledger, whose head this creates: pass the
        configured hash so an early checkpoint does not fix the ledger to SHA-256."""
        head = self.lock_head(session, hash_name)
        latest = self.latest_checkpoint(session)
        if latest is not None and latest.tree_size == head.size:
            return latest
        name = HashName(head.hash_name)
        signed_at = utcnow()
        body = CheckpointBody(
            hash_name=name,
            tree_size=head.size,
            root_hash=merkle.root(name, self.leaves(session, head.size)),
            chain_hash=bytes.fromhex(head.chain_hash),
            signed_at=signed_at.isoformat(),
        )
        checkpoint = Checkpoint(
            tree_size=body.tree_size,
            root_hash=body.root_hash.hex(),
            chain_hash=head.chain_hash,
            hash_name=name.value,
            signed_at=signed_at,
            key_id=signer.key_id,
            signature=base64.b64encode(sign_checkpoint(signer.private_key, body)).decode(),
        )
        session.add(checkpoint)
        session.flush()
        return checkpoint

    def latest_checkpoint(self, session: Session) -> Checkpoint | None:
        query = select(Checkpoint).order_by(Checkpoint.tree_size.desc(), Checkpoint.id.desc())
        return session.scalars(query.limit(1)).first()

    def checkpoints(self, session: Session) -> list[Checkpoint]:
        return list(session.scalars(select(Checkpoint).order_by(Checkpoint.id)))

    def get_checkpoint(self, session: Session, checkpoint_id: int) -> Checkpoint:
        checkpoint = session.get(Checkpoint, checkpoint_id)
        if checkpoint is None:
            raise NotFound(f"checkpoint {checkpoint_id} does not exist")
        return checkpoint

    def inclusion(self, session: Session, record_id: int) -> dict[str, Any]:
        """The proof document that `kit.ledger.verify_inclusion_document` checks offline."""
        entry = session.scalar(select(LedgerEntry).where(LedgerEntry.record_id == record_id))
        if entry is None:
            raise NotFound(f"record {record_id} is not in the ledger")
        checkpoint = self.latest_checkpoint(session)
        if checkpoint is None or checkpoint.tree_size < entry.seq:
            raise Conflict(
                f"record {record_id} is not covered by a signed checkpoint yet; "
                "checkpoints are signed periodically (or `ecredit ledger checkpoint`)"
            )
        name = HashName(checkpoint.hash_name)
        leaves = self.leaves(session, checkpoint.tree_size)
        path = merkle.inclusion_proof(name, leaves, entry.seq - 1, checkpoint.tree_size)
        return {
            "record_id": record_id,
            "leaf_index": entry.seq - 1,
            "entry": {"seq": entry.seq, "canonical": entry.canonical},
            "audit_path": [base64.b64encode(node).decode() for node in path],
            "checkpoint": checkpoint_document(checkpoint),
        }

    def consistency(self, session: Session, old_id: int, new_id: int) -> dict[str, Any]:
        old = self.get_checkpoint(session, old_id)
        new = self.get_checkpoint(session, new_id)
        if old.tree_size > new.tree_size or old.tree_size == 0:
            raise Conflict("consistency: the first checkpoint must be non-empty and not newer")
        name = HashName(new.hash_name)
        leaves = self.leaves(session, new.tree_size)
        proof = merkle.consistency_proof(name, leaves, old.tree_size, new.tree_size)
        return {
            "old": checkpoint_document(old),
            "new": checkpoint_document(new),
            "proof": [base64.b64encode(node).decode() for node in proof],
        }


def checkpoint_document(checkpoint: Checkpoint) -> dict[str, Any]:
    """A checkpoint as published: enough to re-create the signed note and check the signature."""
    return {
        "id": checkpoint.id,
        "hash_name": checkpoint.hash_name,
        "tree_size": checkpoint.tree_size,
        "root_hash": base64.b64encode(bytes.fromhex(checkpoint.root_hash)).decode(),
        "chain_hash": checkpoint.chain_hash,
        "signed_at": checkpoint.signed_at.isoformat(),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


ledger_service = LedgerService()
