"""Seeded data for bench/check.py: N merchants with valid codes, grades, and list entries.

Written fast: COPY on PostgreSQL, executemany on SQLite. Every 40th subject is on the
e-commerce black list, every 60th on the red list, every 90th on the watch list; every second
subject has a grade (an evaluation and its subject_grade pointer).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import Engine, text
from stdnum.cn import uscc

from bench.common import psycopg_url

SUBJECT_COLUMNS = ("id", "kind", "merchant_form", "name", "name_pinyin", "name_initials", "uscc",
                   "verification_status", "created_at", "updated_at")  # fmt: skip
EVALUATION_COLUMNS = ("id", "subject_id", "model_code", "model_version", "as_of", "score",
                      "grade", "contributions", "evaluated_at")  # fmt: skip
GRADE_COLUMNS = ("subject_id", "evaluation_id", "score", "grade", "grade_since", "evaluated_at")
ENTRY_COLUMNS = ("subject_id", "list_kind", "status", "origin", "reason", "effective_from",
                 "valid_until", "version", "created_at", "updated_at")  # fmt: skip
GRADES = ((900, "A"), (750, "B"), (550, "C"), (300, "D"))


def code_of(serial: int) -> str:
    body = f"91210502{serial:09d}"
    return body + uscc.calc_check_digit(body)


def _subjects(count: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    for n in range(1, count + 1):
        yield (n, "merchant", "enterprise", f"本溪压测商户{n}有限公司", "", "", code_of(n),
               "unverified", now, now)  # fmt: skip


def _grades(count: int, now: datetime) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    evaluations, pointers = [], []
    rng = random.Random(11)
    for n in range(2, count + 1, 2):
        score, grade = rng.choice(GRADES)
        evaluations.append((n, n, "bench", 1, now.date(), score, grade, "[]", now))
        pointers.append((n, n, score, grade, now.date(), now))
    return evaluations, pointers


def _entries(count: int, now: datetime) -> list[tuple[Any, ...]]:
    since = now.date() - timedelta(days=30)
    until = date(now.year + 2, 1, 1)
    rows = []
    for step, kind in ((40, "ecommerce_serious_dishonesty"), (60, "honest_merchant_redlist"),
                       (90, "watch_list")):  # fmt: skip
        rows += [(n, kind, "effective", "decision", "bench", since, until, 1, now, now)
                 for n in range(step, count + 1, step)]  # fmt: skip
    return rows


def seed(engine: Engine, url: str, count: int) -> list[str]:
    """Write the subjects, grades and entries; return every subject's code."""
    now = datetime.now(UTC)
    evaluations, pointers = _grades(count, now)
    tables = [
        ("subject", SUBJECT_COLUMNS, list(_subjects(count, now))),
        ("evaluation", EVALUATION_COLUMNS, evaluations),
        ("subject_grade", GRADE_COLUMNS, pointers),
        ("list_entry", ENTRY_COLUMNS, _entries(count, now)),
    ]
    if engine.dialect.name == "postgresql":
        _copy(url, tables)
    else:
        _executemany(engine, tables)
    return [code_of(n) for n in range(1, count + 1)]


def _copy(url: str, tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]) -> None:
    with psycopg.connect(psycopg_url(url)) as connection, connection.cursor() as cursor:
        for table, columns, rows in tables:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        for table in ("subject", "evaluation"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


def _executemany(
    engine: Engine, tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]
) -> None:
    with engine.begin() as connection:
        for table, columns, rows in tables:
            names = ", ".join(columns)
            marks = ", ".join(f":{c}" for c in columns)
            statement = text(f"INSERT INTO {table} ({names}) VALUES ({marks})")
            params = [dict(zip(columns, map(_sqlite_value, row), strict=True)) for row in rows]
            connection.execute(statement, params)


def _sqlite_value(value: Any) -> Any:
    """As SQLAlchemy stores them on SQLite: naive UTC datetimes and ISO dates, as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value
