"""Every query of the attempt counters: get-or-create a row locked for this transaction, and
prune rows that say nothing any more."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ecredit.models.throttle import AttemptCounter

PRUNE_BATCH = 100


def locked_counter(session: Session, rule: str, key: str, now: datetime) -> AttemptCounter:
    """The counter of (rule, key), created empty if new, row-locked until commit on PostgreSQL
    (SQLite's write lock, taken by the insert, serialises the whole transaction anyway), so
    two guesses at one target are counted one after the other, never both against the same
    count."""
    dialect = session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"rule": rule, "key": key, "failures": 0, "window_start": now, "expires_at": now}
    session.execute(insert(AttemptCounter).values(values).on_conflict_do_nothing())
    query = (
        select(AttemptCounter)
        .where(AttemptCounter.rule == rule, AttemptCounter.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one()


def prune(session: Session, now: datetime) -> None:
    """Delete a batch of rows whose window and lockout are over, skipping rows another
    transaction holds (a counter being reused right now is not waited for)."""
    expired = (
        select(AttemptCounter.id)
        .where(AttemptCounter.expires_at < now)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(AttemptCounter).where(AttemptCounter.id.in_(expired)))
