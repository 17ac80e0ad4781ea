"""Automatic change records: every flush of an audited model writes its before and after.

The hook runs after the flush, when new rows have their ids, and inserts through the same
connection, so a change and its record commit or roll back together.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from ecredit.audit.context import actor_of, request_id_of
from ecredit.models.audit import ChangeRecord
from ecredit.models.base import Base, utcnow

# Sealed personal data never goes into the change log, not even as ciphertext: the log is read
# by auditors who must not be able to collect it.
REDACTED_SUFFIXES = ("_sealed", "_index", "_hash")
IGNORED = {"created_at", "updated_at"}


def install(session_class: type[Session] = Session) -> None:
    """Listen on every session of this class (idempotent)."""
    if not event.contains(session_class, "after_flush", _record_changes):
        event.listen(session_class, "after_flush", _record_changes)


def _record_changes(session: Session, _flush: UOWTransaction) -> None:
    rows = [
        *(_row(session, obj, "create") for obj in session.new if _audited(obj)),
        *(_row(session, obj, "update") for obj in session.dirty if _audited(obj)),
        *(_row(session, obj, "delete") for obj in session.deleted if _audited(obj)),
    ]
    records = [row for row in rows if row is not None]
    if records:
        session.connection().execute(insert(ChangeRecord), records)


def _audited(obj: object) -> bool:
    return isinstance(obj, Base) and type(obj).__audited__


def _row(session: Session, obj: Base, action: str) -> dict[str, Any] | None:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED:
            continue
        history = state.attrs[attr.key].history
        # An update's old value is in `deleted`; a deleted row's values are still `unchanged`.
        old = (history.deleted or history.unchanged or [None])[0]
        new = history.added[0] if history.added else getattr(obj, attr.key)
        if action == "update" and not history.has_changes():
            continue
        before[attr.key] = _plain(attr.key, old if action != "create" else None)
        after[attr.key] = _plain(attr.key, new)
    if action == "update" and not after:
        return None
    return {
        "at": utcnow(),
        "actor": actor_of(session),
        "request_id": request_id_of(session),
        "entity": state.mapper.local_table.name,  # type: ignore[attr-defined]
        "entity_id": getattr(obj, "id", 0),
        "action": action,
        "before": None if action == "create" else before,
        "after": None if action == "delete" else after,
    }


def _plain(key: str, value: Any) -> Any:
    if value is not None and key.endswith(REDACTED_SUFFIXES):
        return "[redacted]"
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):  # money stays exact text in the JSON log
        return str(value)
    return value
