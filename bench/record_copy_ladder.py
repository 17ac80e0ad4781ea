"""COPY of the same credit-record rows into tables with more and more of the real table's
constraints: what each constraint costs the database, next to the bare COPY reference.

Each rung is a fresh table filled by psycopg's row writer from the same Python tuples, so the
client's share is the same on every rung and the differences are the server's: the primary
key, the unique decision number (the issue's own rule: a decision number with its issuing
organisation is unique), the foreign key to the subject, and finally every index and foreign
key `credit_record` has. Rungs run round-robin, `repeats` times, each round starting one
rung later; the median is reported.
"""

from __future__ import annotations

import statistics
from typing import Any

import psycopg

from bench.common import psycopg_url, timed_copy

PRIMARY_KEY = "ALTER TABLE {t} ADD PRIMARY KEY (id)"
UNIQUE_DECISION = (
    "CREATE UNIQUE INDEX ON {t} (source_org_id, type_code, decision_no)"
    " WHERE action = 'original' AND decision_no IS NOT NULL"
)
SUBJECT_KEY = "ALTER TABLE {t} ADD FOREIGN KEY (subject_id) REFERENCES subject (id)"
OTHER_KEYS = (
    "ALTER TABLE {t} ADD FOREIGN KEY (source_org_id) REFERENCES organisation (id),"
    " ADD FOREIGN KEY (amends_id) REFERENCES {t} (id)"
)
REAL_TABLE = "credit_record's own: 4 indexes, 3 foreign keys"
# Rung name -> statements after `CREATE TABLE … (LIKE credit_record …)`; the real table's
# rung copies its indexes with INCLUDING ALL (LIKE never copies foreign keys).
LADDER: dict[str, list[str]] = {
    "no index, no key (the target's reference)": [],
    "+ primary key, unique decision number": [PRIMARY_KEY, UNIQUE_DECISION],
    "+ foreign key to the subject": [PRIMARY_KEY, UNIQUE_DECISION, SUBJECT_KEY],
    REAL_TABLE: [SUBJECT_KEY, OTHER_KEYS],
}


def copy_ladder(url: str, rows: list[tuple[Any, ...]], repeats: int = 3) -> dict[str, float]:
    """Median seconds to COPY `rows` into each rung's table (created, filled, dropped)."""
    seconds: dict[str, list[float]] = {name: [] for name in LADDER}
    rungs = list(LADDER.items())
    for round_ in range(repeats):
        # Each round starts one rung later, so no rung always comes first (a colder server).
        for rung, (name, statements) in _rotated(rungs, round_):
            table = f"ladder_{rung}_{round_}"
            like = "INCLUDING ALL" if name == REAL_TABLE else "INCLUDING DEFAULTS"
            ddl = "; ".join(
                [f"CREATE TABLE {table} (LIKE credit_record {like})"]
                + [statement.format(t=table) for statement in statements]
            )
            seconds[name].append(timed_copy(url, ddl, table, rows))
            with psycopg.connect(psycopg_url(url), autocommit=True) as connection:
                connection.execute(f"DROP TABLE {table}")
    return {name: statistics.median(values) for name, values in seconds.items()}


Rung = tuple[str, list[str]]


def _rotated(rungs: list[Rung], by: int) -> list[tuple[int, Rung]]:
    numbered = list(enumerate(rungs))
    shift = by % len(numbered)
    return numbered[shift:] + numbered[:shift]
