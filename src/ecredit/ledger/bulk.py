"""Bulk writes of plain rows for the ledger and the batch ingestion that feeds it.

The ORM spends tens of microseconds per object (state, events, bind processing); a batch of
a thousand records with their ledger entries and timeline events spent most of its time there.
Rows here are tuples of plain values in the column order the caller names. On PostgreSQL they
go in one COPY (psycopg's C row formatter, ~4 µs a record row with the server's part; JSON
values as text made by orjson); elsewhere in one Core executemany, so each column's type
stores the value exactly as the ORM would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import orjson
from sqlalchemy import JSON, Table, insert, text
from sqlalchemy.orm import Session

from ecredit.models.base import Base


def insert_rows(
    session: Session, model: type[Base], columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert `rows` (values in `columns` order; JSON columns hold dicts or lists) at once."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    json_at = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    raw: Any = connection.connection.dbapi_connection
    statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(_json_wrapped(row, json_at) if json_at else row)


def _json_wrapped(row: Sequence[Any], json_at: list[int]) -> list[Any]:
    """The row with its JSON columns' values as JSON text (COPY text: the server parses it)."""
    values = list(row)
    for i in json_at:
        values[i] = orjson.dumps(values[i]).decode()
    return values


def next_ids(session: Session, model: type[Base], count: int) -> list[int]:
    """`count` new ids for `model`'s table, rising. On PostgreSQL from its sequence in one call;
    on SQLite (one writer at a time) after the highest id, as its own rowid allocation does."""
    table = cast(Table, model.__table__)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        return sorted(connection.execute(query, {"table": table.name, "n": count}).scalars())
    top = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")).scalar_one()
    return list(range(top + 1, top + 1 + count))
