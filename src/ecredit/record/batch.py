"""Batch ingestion: many facts judged row by row, the valid ones stored as plain rows.

Each row is validated exactly as a single submission is (the same `RecordService` checks and
errors), but nothing is built as an ORM object: subjects and earlier decisions are looked up
by column in one query each, each row's canonical JSON is made before its id is known
(`CanonicalParts`), and only the append runs under the ledger head lock: ids from the
sequence in one call, then records, ledger entries and timeline events each in one bulk write
(COPY on PostgreSQL). The ledger sees the same canonical bytes and hashes as for one record.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from ecredit.audit.context import actor_of
from ecredit.authz.principals import Principal
from ecredit.kit.errors import AppError, Problem
from ecredit.ledger.bulk import insert_rows, next_ids
from ecredit.ledger.canonical import CanonicalParts, canonical_parts
from ecredit.ledger.service import ledger_service
from ecredit.models.audit import TimelineEvent
from ecredit.models.base import utcnow
from ecredit.models.record import CreditRecord
from ecredit.record.repository import record_repository
from ecredit.record.schemas import BatchItemResult, BatchResult, RecordCreate

if TYPE_CHECKING:
    from ecredit.record.service import RecordService

# The id first, then every other column, read from a row's values in one C call.
_OTHER_COLUMNS = [c.name for c in cast(Table, CreditRecord.__table__).columns if c.name != "id"]
RECORD_COLUMNS = ("id", *_OTHER_COLUMNS)
_OTHER_VALUES = itemgetter(*_OTHER_COLUMNS)
TIMELINE_COLUMNS = ("at", "actor", "entity", "entity_id", "kind", "summary", "data")


def timeline_event(
    subject_id: int, record_id: int, root_id: int, type_code: str, action: str
) -> tuple[str, int, str, str, dict[str, Any]]:
    """The timeline event of a stored record entry: (entity, id, kind, summary, data)."""
    summary = f"信用记录 {type_code} #{root_id} {action}"
    return "subject", subject_id, f"record_{action}", summary, {"record_id": record_id}


@dataclass(frozen=True)
class _Ready:
    """A validated row: its index in the batch, every column but id, its canonical parts."""

    index: int
    values: dict[str, Any]
    parts: CanonicalParts


@dataclass
class _Lookups:
    """What a batch looks up once: earlier originals, subject ids by code and by id."""

    existing: dict[tuple[str, str], int]
    by_code: dict[str, int]
    known_ids: set[int]
    seen: set[tuple[str, str]]


class BatchIngest:
    def __init__(self, service: RecordService) -> None:
        self.service = service

    def submit(self, session: Session, items: list[RecordCreate], by: Principal) -> BatchResult:
        lookups = _Lookups(
            existing=record_repository.original_ids_by_decisions(
                session,
                by.organisation_id,
                [(item.type_code, item.decision_no) for item in items if item.decision_no],
            ),
            by_code=record_repository.subject_ids_by_codes(
                session, [item.subject_code for item in items if item.subject_code]
            ),
            known_ids=record_repository.existing_subject_ids(
                session, [item.subject_id for item in items if item.subject_id]
            ),
            seen=set(),
        )
        recorded_at, recorded_by = utcnow(), actor_of(session)
        results, ready = [], []
        for index, item in enumerate(items):
            result, values = self._row(session, index, item, by, lookups)
            results.append(result)
            if values is not None:
                values |= {"recorded_at": recorded_at, "recorded_by": recorded_by}
                ready.append(_Ready(index, values, canonical_parts(values)))
        ledger_service.lock_head(session, self.service.ledger_hash)
        ready = _drop_recorded_meanwhile(session, by, ready, results)
        for row, record_id in zip(ready, self.store(session, ready), strict=True):
            results[row.index].record_id = record_id
        return BatchResult(
            created=len(ready),
            duplicates=sum(r.status == "duplicate" for r in results),
            errors=sum(r.status == "error" for r in results),
            items=results,
        )

    def _row(
        self, session: Session, index: int, item: RecordCreate, by: Principal, lookups: _Lookups
    ) -> tuple[BatchItemResult, dict[str, Any] | None]:
        if not item.decision_no:
            problem = Problem("decision_no", "required", "decision_no: required in a batch")
            return BatchItemResult(index=index, status="error", problems=[problem.as_dict()]), None
        key = (item.type_code, item.decision_no)
        if key in lookups.existing:
            record_id = lookups.existing[key]
            return BatchItemResult(index=index, status="duplicate", record_id=record_id), None
        if key in lookups.seen:
            problem = Problem("decision_no", "unique", "decision_no: repeated within the batch")
            return BatchItemResult(index=index, status="error", problems=[problem.as_dict()]), None
        try:
            values = self.service.values(session, item, by, _subject_id(item, lookups))
        except AppError as exc:
            problems = [p.as_dict() for p in exc.problems] or [
                {"field": "", "rule": exc.code, "message": exc.message}
            ]
            return BatchItemResult(index=index, status="error", problems=problems), None
        lookups.seen.add(key)
        return BatchItemResult(index=index, status="created"), values

    def store(self, session: Session, ready: list[_Ready]) -> list[int]:
        """Under the head lock (taken by the caller): ids, records, ledger entries, timeline;
        then the follow-up jobs. Returns the new record ids in the order of `ready`."""
        if not ready:
            return []
        session.flush()  # pending ORM work first: the bulk writes bypass the session
        ids = next_ids(session, CreditRecord, len(ready))
        rows = [
            (record_id, *_OTHER_VALUES(row.values))
            for row, record_id in zip(ready, ids, strict=True)
        ]
        insert_rows(session, CreditRecord, RECORD_COLUMNS, rows)
        canonical = [
            row.parts.with_id(record_id) for row, record_id in zip(ready, ids, strict=True)
        ]
        ledger_service.append_canonical(session, list(zip(ids, canonical, strict=True)))
        at, actor = utcnow(), actor_of(session)
        events = [
            (at, actor, *timeline_event(row.values["subject_id"], record_id, record_id,
                                        row.values["type_code"], "original"))
            for row, record_id in zip(ready, ids, strict=True)
        ]  # fmt: skip
        insert_rows(session, TimelineEvent, TIMELINE_COLUMNS, events)
        self.service.enqueue_follow_ups(session, {row.values["subject_id"] for row in ready})
        return ids


def _drop_recorded_meanwhile(
    session: Session, by: Principal, ready: list[_Ready], results: list[BatchItemResult]
) -> list[_Ready]:
    """Under the head lock, rows that a concurrent upload stored after this batch looked: they
    become duplicates (not a unique-index failure), so concurrent retries are safe too."""
    keys = [(row.values["type_code"], row.values["decision_no"]) for row in ready]
    late = record_repository.original_ids_by_decisions(session, by.organisation_id, keys)
    if not late:
        return ready
    kept = []
    for row in ready:
        record_id = late.get((row.values["type_code"], row.values["decision_no"]))
        if record_id is None:
            kept.append(row)
        else:
            results[row.index] = BatchItemResult(
                index=row.index, status="duplicate", record_id=record_id
            )
    return kept


def _subject_id(item: RecordCreate, lookups: _Lookups) -> int | None:
    """The row's subject id when the batch look-up found it; None lets the service look it up
    alone and raise the same error as a single submission."""
    if item.subject_id is not None:
        return item.subject_id if item.subject_id in lookups.known_ids else None
    return lookups.by_code.get(item.subject_code or "")
