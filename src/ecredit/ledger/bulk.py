"""Bulk writes of plain rows for the ledger and the batch ingestion that feeds it.

The ORM spends tens of microseconds per object (state, events, bind processing); a batch of
a thousand records with their ledger entries and timeline events spent most of its time there.
Rows here are tuples in a table's column order given by the caller. On PostgreSQL they go in
one COPY, its text built with str operations and sent in one write (psycopg's `write_row`
formats each value in Python); elsewhere in one Core executemany, so each column's type stores
the value exactly as the ORM would.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from ecredit.models.base import Base

# COPY text: backslash, tab, newline and carriage return are the characters with a meaning.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_rows(
    session: Session, model: type[Base], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert `rows` (values in `columns` order; dicts and lists are JSON) in one statement."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.dbapi_connection
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write("".join(map(copy_line, rows)))
        return
    session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def copy_line(row: Sequence[Any]) -> str:
    """One row in COPY text format (\\N for null)."""
    return "\t".join(map(_copy_value, row)) + "\n"


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool | int | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)


def next_ids(session: Session, model: type[Base], count: int) -> list[int]:
    """`count` new ids for `table`, rising. On PostgreSQL from its sequence in one call; on
    SQLite (one writer at a time) after the highest id, as its own rowid allocation does."""
    table = cast(Table, model.__table__)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        return sorted(connection.execute(query, {"table": table.name, "n": count}).scalars())
    top = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")).scalar_one()
    return list(range(top + 1, top + 1 + count))
