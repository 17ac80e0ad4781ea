"""Writing a million evaluations quickly.

On PostgreSQL each chunk is COPYed (as COPY text built in one string) into a temporary table
(JSON as text: parsing it is the server's work, done in the overlapped statement), then one
statement inserts the evaluations and upserts the grades from it. That statement is
sent without waiting (libpq's asynchronous PQsendQuery): the server inserts chunk k while this
process computes chunk k+1, so the two CPUs work at once. `wait()` must be called before the
connection is used for anything else; `BulkWriter` is a context manager that makes sure.
Elsewhere (SQLite) each chunk is written synchronously by the repository's portable path.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import suppress
from datetime import date, datetime
from types import TracebackType
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy.orm import Session

from ecredit.scoring.repository import EvaluationRow, scoring_repository

_TEMP = (
    "CREATE TEMP TABLE IF NOT EXISTS scoring_batch (subject_id integer, score integer, "
    "grade varchar(2), contributions text) ON COMMIT DROP"
)
_COPY = "COPY scoring_batch (subject_id, score, grade, contributions) FROM STDIN"
# Literals are safe: the model code is snake_case (validated), the rest are ints and dates.
# A subject whose latest snapshot (same model, grade and contributions) still describes it gets
# no new snapshot: only its grade row's `evaluated_at` moves (the second statement).
_WRITE = """
WITH fresh AS (
    SELECT b.subject_id, b.score, b.grade, b.contributions::jsonb AS contributions
    FROM scoring_batch b
    LEFT JOIN subject_grade g ON g.subject_id = b.subject_id
    LEFT JOIN evaluation e ON e.id = g.evaluation_id
    WHERE e.id IS NULL OR e.model_code <> '{code}' OR e.model_version <> {version}
       OR e.grade <> b.grade OR e.contributions <> b.contributions::jsonb
), added AS (
    INSERT INTO evaluation (subject_id, model_code, model_version, as_of, score, grade,
                            contributions, evaluated_at)
    SELECT subject_id, '{code}', {version}, DATE '{as_of}', score, grade, contributions,
           TIMESTAMPTZ '{at}'
    FROM fresh
    RETURNING id, subject_id, score, grade, as_of, evaluated_at
)
INSERT INTO subject_grade AS g (subject_id, evaluation_id, score, grade, grade_since, evaluated_at)
SELECT subject_id, id, score, grade, as_of, evaluated_at FROM added
ON CONFLICT (subject_id) DO UPDATE SET
    evaluation_id = excluded.evaluation_id, score = excluded.score,
    grade_since = CASE WHEN g.grade = excluded.grade THEN g.grade_since
                       ELSE excluded.grade_since END,
    grade = excluded.grade, evaluated_at = excluded.evaluated_at;
UPDATE subject_grade g SET evaluated_at = TIMESTAMPTZ '{at}'
FROM scoring_batch b
WHERE g.subject_id = b.subject_id AND g.evaluated_at <> TIMESTAMPTZ '{at}';
TRUNCATE scoring_batch
"""


class BulkWriter:
    """Evaluations of one run (one model, one day, one instant), chunk after chunk."""

    def __init__(self, session: Session, model: tuple[str, int], as_of: date, at: datetime) -> None:
        self.session, self.model, self.as_of, self.at = session, model, as_of, at
        self.postgres = session.get_bind().dialect.name == "postgresql"
        code, version = model
        self._statement = _WRITE.format(
            code=code, version=int(version), as_of=as_of.isoformat(), at=at.isoformat()
        ).encode()
        self._in_flight: pq.abc.PGconn | None = None

    def send(self, rows: Sequence[EvaluationRow]) -> None:
        """Write `rows`: on PostgreSQL, start writing them and return at once."""
        if not rows:
            return
        if not self.postgres:
            scoring_repository.write(self.session, rows, self.model, self.as_of, self.at)
            return
        self.wait()
        connection = self.session.connection()
        connection.exec_driver_sql(_TEMP)
        driver: Any = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(_COPY) as copy:
            copy.write(_copy_text(rows))
        driver.pgconn.send_query(self._statement)
        self._in_flight = driver.pgconn

    def wait(self) -> None:
        """Block until the statement in flight (if any) is done; raise its error."""
        pgconn, self._in_flight = self._in_flight, None
        if pgconn is None:
            return
        error = None
        while (result := pgconn.get_result()) is not None:
            if result.status == pq.ExecStatus.FATAL_ERROR and error is None:
                error = (result.error_message or b"").decode(errors="replace")
        if error:
            raise psycopg.DatabaseError(f"writing evaluations failed: {error}")

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.wait()
            return
        with suppress(psycopg.Error):  # leave the connection usable for the rollback
            self.wait()


def _copy_text(rows: Sequence[EvaluationRow]) -> str:
    """COPY text format: tab-separated; JSON never holds a raw tab or newline, but its
    backslashes must be doubled. Identical outcomes share one list: dump it once."""
    dumped: dict[int, str] = {}
    lines = []
    for row in rows:
        text = dumped.get(id(row.contributions))
        if text is None:
            text = json.dumps(row.contributions, ensure_ascii=False).replace("\\", "\\\\")
            dumped[id(row.contributions)] = text
        lines.append(f"{row.subject_id}\t{row.score}\t{row.grade.value}\t{text}\n")
    return "".join(lines)
