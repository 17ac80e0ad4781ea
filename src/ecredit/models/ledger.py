"""The ledger: a hash chain over every credit-record entry, grouped into a Merkle tree whose
roots are published in signed checkpoints (RFC 6962 / 9162 style)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import UTCDateTime
from ecredit.models.base import Base, utcnow


class LedgerEntry(Base):
    """Entry `seq` (from 1) of the log: the canonical JSON of a record entry and its hashes.

    leaf_hash = H(0x00 || canonical) (the Merkle leaf, index seq-1);
    chain_hash = H(previous chain_hash || leaf_hash), with 32 zero bytes before the first.
    """

    __tablename__ = "ledger_entry"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id"), unique=True)
    canonical: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[str] = mapped_column(String(64))
    chain_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LedgerHead(Base):
    """The single row holding the log's size and last chain hash; appenders lock it, which
    serialises appends so sequence numbers never collide."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(default=0)
    chain_hash: Mapped[str] = mapped_column(String(64))
    hash_name: Mapped[str] = mapped_column(String(10))


class Checkpoint(Base):
    """A signed statement: "the log had `tree_size` entries with this Merkle root"."""

    __tablename__ = "ledger_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int]
    root_hash: Mapped[str] = mapped_column(String(64))
    chain_hash: Mapped[str] = mapped_column(String(64))
    hash_name: Mapped[str] = mapped_column(String(10))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    key_id: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(128))
