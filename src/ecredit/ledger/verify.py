"""`ecredit ledger verify`: recompute everything and name the first thing that is wrong.

One streaming pass over the log in sequence order checks, for every entry: that no sequence
number is missing; that its record still exists and still has exactly the fields that were
hashed; that the stored canonical text still matches its leaf hash; that record ids rise with
sequence numbers (so a swap shows as a reordering); and that the hash chain links. Leaves
recomputed from the records as they are *now* feed a compact Merkle range, so each signed
checkpoint's root is compared with the log as it stands: a rewrite that fixed up every hash still
fails at the checkpoint. Checkpoint signatures are checked with the public key; records that
never entered the ledger are listed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from sqlalchemy import String, Table, select, type_coerce
from sqlalchemy.orm import Session

from ecredit.kit import merkle
from ecredit.kit.ledger import (
    GENESIS_CHAIN,
    CheckpointBody,
    CompactRange,
    chain_next,
    verify_checkpoint,
)
from ecredit.kit.merkle import HashName
from ecredit.kit.types import StrEnumType
from ecredit.ledger.canonical import canonical_values
from ecredit.models.ledger import Checkpoint, LedgerEntry, LedgerHead
from ecredit.models.record import CreditRecord

BATCH = 5000


@dataclass(frozen=True)
class Finding:
    seq: int | None
    kind: str  # missing | altered | reordered | chain | unledgered | checkpoint | head
    message: str


@dataclass
class Report:
    entries: int = 0
    checkpoints: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        ordered = sorted(self.findings, key=lambda f: (f.seq is None, f.seq or 0))
        return ordered[0] if ordered else None


class _Entry(NamedTuple):
    seq: int
    record_id: int
    canonical: str
    leaf_hash: str
    chain_hash: str


ENTRY_COLUMNS = [getattr(LedgerEntry, name) for name in _Entry._fields]
ENTRY_WIDTH = len(ENTRY_COLUMNS)
RECORD = cast(Table, CreditRecord.__table__)
RECORD_NAMES = RECORD.c.keys()
# Enum columns read as their stored text: the canonical form holds the value anyway, and making
# an enum of each one cost an eighth of the pass.
RECORD_COLUMNS = [
    type_coerce(column, String).label(column.name)
    if isinstance(column.type, StrEnumType)
    else column
    for column in RECORD.c
]


@dataclass
class _Walk:
    name: HashName
    expected_seq: int = 1
    chain: bytes = GENESIS_CHAIN
    last_record_id: int = 0


def verify_ledger(
    session: Session, public_key: bytes, progress: Callable[[int], None] | None = None
) -> Report:
    report = Report()
    # populate_existing: judge the rows as stored, never objects this session already holds.
    head = session.get(LedgerHead, 1, populate_existing=True)
    if head is None:
        _unledgered(session, report)
        return report
    walk = _Walk(HashName(head.hash_name))
    checkpoints = list(
        session.scalars(
            select(Checkpoint)
            .order_by(Checkpoint.tree_size)
            .execution_options(populate_existing=True)
        )
    )
    by_size: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_size.setdefault(checkpoint.tree_size, []).append(checkpoint)
    compact = CompactRange(walk.name)
    # Plain rows through a server-side cursor: building ORM objects was most of the time.
    rows = session.execute(
        select(*ENTRY_COLUMNS, *RECORD_COLUMNS)
        .select_from(LedgerEntry)
        .outerjoin(RECORD, RECORD.c.id == LedgerEntry.record_id)
        .order_by(LedgerEntry.seq)
        .execution_options(yield_per=BATCH)
    )
    for row in rows:
        entry = _Entry(*row[:ENTRY_WIDTH])
        record = dict(zip(RECORD_NAMES, row[ENTRY_WIDTH:], strict=True))
        compact.append(_check_entry(walk, entry, record if record["id"] else None, report))
        for checkpoint in by_size.get(compact.size, []):
            _check_root(checkpoint, compact.root(), report)
        report.entries += 1
        if progress and report.entries % BATCH == 0:
            progress(report.entries)
    _check_head(head, walk, report)
    _check_signatures(checkpoints, public_key, compact.size, report)
    _unledgered(session, report)
    report.checkpoints = len(checkpoints)
    return report


def _check_entry(
    walk: _Walk, entry: _Entry, record: dict[str, Any] | None, report: Report
) -> bytes:
    """Check one entry; returns the leaf of the record as it is now (for checkpoint roots)."""
    seq = entry.seq
    if seq != walk.expected_seq:
        report.findings.append(
            Finding(walk.expected_seq, "missing", _missing(walk.expected_seq, seq))
        )
    stored_leaf = bytes.fromhex(entry.leaf_hash)
    current_leaf = stored_leaf
    if record is None:
        message = f"entry {seq}: record {entry.record_id} is missing (deleted)"
        report.findings.append(Finding(seq, "altered", message))
    else:
        current = canonical_values(record)
        current_leaf = merkle.leaf_hash(walk.name, current)
        record_id = record["id"]
        if current.decode("utf-8") != entry.canonical:
            changed = _changed_fields(entry.canonical, current.decode("utf-8"))
            message = f"entry {seq}: record {record_id} was altered ({', '.join(changed)})"
            report.findings.append(Finding(seq, "altered", message))
        if record_id <= walk.last_record_id:
            message = f"entry {seq}: record {record_id} follows record {walk.last_record_id}"
            report.findings.append(Finding(seq, "reordered", message + " (reordered)"))
        walk.last_record_id = max(walk.last_record_id, record_id)
    if merkle.leaf_hash(walk.name, entry.canonical.encode("utf-8")) != stored_leaf:
        message = f"entry {seq}: its canonical text no longer matches its leaf hash"
        report.findings.append(Finding(seq, "altered", message))
    if chain_next(walk.name, walk.chain, stored_leaf).hex() != entry.chain_hash:
        message = f"entry {seq}: the hash chain does not link to the entry before it"
        report.findings.append(Finding(seq, "chain", message))
    # Resynchronise on the stored values so one fault is reported once, at its place.
    walk.chain, walk.expected_seq = bytes.fromhex(entry.chain_hash), seq + 1
    return current_leaf


def _missing(expected: int, found: int) -> str:
    if found == expected + 1:
        return f"entry {expected} is missing (deleted)"
    return f"entries {expected}-{found - 1} are missing (deleted)"


def _changed_fields(stored: str, current: str) -> list[str]:
    before, after = json.loads(stored), json.loads(current)
    keys = sorted(set(before) | set(after))
    return [key for key in keys if before.get(key) != after.get(key)] or ["encoding"]


def _check_root(checkpoint: Checkpoint, root: bytes, report: Report) -> None:
    if root.hex() != checkpoint.root_hash:
        message = (
            f"checkpoint {checkpoint.id} (size {checkpoint.tree_size}): the log no longer has "
            "the signed root: an entry up to that size was changed after signing"
        )
        report.findings.append(Finding(checkpoint.tree_size, "checkpoint", message))


def _check_head(head: LedgerHead, walk: _Walk, report: Report) -> None:
    size = walk.expected_seq - 1
    if head.size != size:
        message = f"ledger head says {head.size} entries but the log ends at {size}"
        report.findings.append(Finding(min(head.size, size) + 1, "missing", message))
    elif head.chain_hash != walk.chain.hex():
        report.findings.append(Finding(size, "head", "ledger head's chain hash differs"))


def _check_signatures(
    checkpoints: list[Checkpoint], public_key: bytes, log_size: int, report: Report
) -> None:
    for checkpoint in checkpoints:
        body = CheckpointBody(
            hash_name=HashName(checkpoint.hash_name),
            tree_size=checkpoint.tree_size,
            root_hash=bytes.fromhex(checkpoint.root_hash),
            chain_hash=bytes.fromhex(checkpoint.chain_hash),
            signed_at=checkpoint.signed_at.isoformat(),
        )
        if not verify_checkpoint(public_key, body, base64.b64decode(checkpoint.signature)):
            message = f"checkpoint {checkpoint.id}: the signature does not verify (forged)"
            report.findings.append(Finding(None, "checkpoint", message))
        if checkpoint.tree_size > log_size:
            message = (
                f"checkpoint {checkpoint.id} signed {checkpoint.tree_size} entries but the log "
                f"has {log_size}"
            )
            report.findings.append(Finding(log_size + 1, "missing", message))


def _unledgered(session: Session, report: Report) -> None:
    # An anti-join (NOT EXISTS): `NOT IN (subquery)` degrades to a nested loop on PostgreSQL
    # once the subquery no longer fits in work_mem, i.e. on any real ledger.
    ledgered = select(LedgerEntry.seq).where(LedgerEntry.record_id == CreditRecord.id)
    query = select(CreditRecord.id).where(~ledgered.exists()).order_by(CreditRecord.id)
    for record_id in session.scalars(query):
        message = f"record {record_id} is not in the ledger (inserted outside it)"
        report.findings.append(Finding(None, "unledgered", message))
