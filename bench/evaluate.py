"""Benchmark: `ecredit evaluate --all` over N subjects vs a plain GROUP BY over the same rows.

    python -m bench.evaluate --subjects 1000000          # PostgreSQL: ecredit_bench_evaluate
    python -m bench.evaluate --subjects 100000 --sqlite /tmp/b.db  # SQLite file

Generates (seeded) N subjects with a realistic mix: about 60 % verified, 70 % with an empty file,
the rest with one to a dozen records of every evaluated kind (penalties, dishonest behaviour,
complaints, commitments kept and broken, honours, judgment debtors) spread over four years, 3 %
of them amended (corrected, revoked, repaired, publicity ended); every merchant has a shop on one
of 20 platforms. Loads them with COPY (PostgreSQL) or executemany (SQLite), then times the bulk
evaluation exactly as the CLI runs it (snapshots written, grades upserted, committed), then the
platforms, then the next day (the nightly case: every grade row exists), then
`SELECT subject_id, count(*) FROM credit_record GROUP BY subject_id` (the cost of merely
reading and grouping the same rows), and prints the times and the ratio.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

from bench.common import bench_database_url, psycopg_url
from ecredit.catalog.loader import load_catalog
from ecredit.kit import migrate
from ecredit.kit.db import Database
from ecredit.scoring.platform import evaluate_platforms
from ecredit.scoring.service import ScoringService

AS_OF, PLATFORMS = date(2026, 3, 2), 20
NOW = datetime(2026, 3, 2, 4, tzinfo=UTC)
# (type_code, relative weight, severities to draw from)
TYPES = [
    ("complaint_upheld", 30, ["minor", "minor", "general"]),
    ("administrative_penalty", 15, ["minor", "general", "general", "serious"]),
    ("samr_penalty", 5, ["general"]),
    ("order_brushing", 6, ["general", "serious"]),
    ("fake_traffic", 4, ["general"]),
    ("false_advertising", 4, ["minor", "general"]),
    ("price_fraud", 3, ["general"]),
    ("counterfeit", 2, ["serious"]),
    ("malicious_fraud", 1, ["serious"]),
    ("commitment_breach", 4, ["general"]),
    ("commitment_kept", 18, ["minor"]),
    ("honour_award", 5, ["minor"]),
    ("dishonest_judgment_debtor", 1, ["serious"]),
    ("administrative_licence", 2, ["minor"]),
]
MONTHS = {"minor": 3, "general": 12, "serious": 36}
SUBJECT_COLUMNS = ["id", "kind", "merchant_form", "name", "name_pinyin", "name_initials",
                   "verification_status", "verification_method", "created_at",
                   "updated_at"]  # fmt: skip
RECORD_COLUMNS = ["id", "subject_id", "type_code", "action", "amends_id", "severity",
                  "decision_date", "public_from", "public_until", "evidence_refs",
                  "recorded_by", "recorded_at"]  # fmt: skip
SHOP_COLUMNS = ["id", "platform_id", "merchant_id", "shop_code", "name", "created_at",
                "updated_at"]  # fmt: skip


def subjects(n: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for sid in range(1, n + 1):
        kind = "platform" if sid <= PLATFORMS else "merchant"
        roll = rng.random()
        status, method = (("verified", rng.choice(["licence_check", "identity_check",
                                                   "bank_check", "phone_check"]))
                          if roll < 0.6 else (rng.choice(["unverified", "pending", "rejected",
                                                          "revoked"]), None))  # fmt: skip
        yield (sid, kind, "enterprise" if kind == "merchant" else None, f"主体{sid}", "", "",
               status, method, NOW, NOW)  # fmt: skip


def records(n: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """Originals (and 3 % amendments) for ~30 % of subjects, ids rising with the subject."""
    codes, weights = [t[0] for t in TYPES], [t[1] for t in TYPES]
    severities = {t[0]: t[2] for t in TYPES}
    rid = 0
    for sid in range(1, n + 1):
        if rng.random() >= 0.30:
            continue
        for _ in range(min(int(rng.expovariate(0.45)) + 1, 12)):
            rid += 1
            code = rng.choices(codes, weights)[0]
            severity = rng.choice(severities[code])
            decided = AS_OF - timedelta(days=rng.randrange(4 * 365))
            months = 36 if code in ("commitment_kept", "honour_award") else MONTHS[severity]
            until = decided + timedelta(days=30 * months)
            root = rid
            yield _record(rid, sid, code, "original", None, severity, decided, until)
            if rng.random() < 0.03:
                rid += 1
                action = rng.choice(["correction", "revocation", "repair", "expiry"])
                fix = "minor" if action == "correction" else severity
                end = decided + timedelta(days=20) if action == "expiry" else until
                yield _record(rid, sid, code, action, root, fix, decided, end)


def _record(rid: int, sid: int, code: str, action: str, amends: int | None, severity: str,
            decided: date, until: date) -> tuple[Any, ...]:  # fmt: skip
    return (rid, sid, code, action, amends, severity, decided, decided, until, "[]", "bench", NOW)


def shops(n: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for sid in range(PLATFORMS + 1, n + 1):
        yield (sid, rng.randrange(1, PLATFORMS + 1), sid, f"S{sid}", f"店{sid}", NOW, NOW)


def build_postgres(url: str, n: int) -> int:
    rng, count = random.Random(17), 0
    with psycopg.connect(psycopg_url(url)) as connection, connection.cursor() as cursor:
        for table, columns, rows in (("subject", SUBJECT_COLUMNS, subjects(n, rng)),
                                     ("credit_record", RECORD_COLUMNS, records(n, rng)),
                                     ("shop", SHOP_COLUMNS, shops(n, rng))):  # fmt: skip
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += table == "credit_record"
        connection.execute("ANALYZE")
    return count


def build_sqlite(path: Path, n: int) -> int:
    rng = random.Random(17)
    connection = sqlite3.connect(path)
    count = 0
    for table, columns, rows in (("subject", SUBJECT_COLUMNS, subjects(n, rng)),
                                 ("credit_record", RECORD_COLUMNS, records(n, rng)),
                                 ("shop", SHOP_COLUMNS, shops(n, rng))):  # fmt: skip
        marks = ", ".join("?" * len(columns))
        batch = [tuple(_sqlite(v) for v in row) for row in rows]
        count += len(batch) if table == "credit_record" else 0
        connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                               batch)  # fmt: skip
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    return count


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat() if isinstance(value, date) else value


def evaluate(db: Database, as_of: date = AS_OF) -> tuple[float, float, dict[str, int]]:
    scoring = ScoringService.create(load_catalog())
    started = time.perf_counter()
    with db.unit_of_work() as session:
        summary = scoring.evaluate_all(session, as_of)
    subjects_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with db.unit_of_work() as session:
        evaluate_platforms(scoring, session, as_of)
    return subjects_seconds, time.perf_counter() - started, dict(summary.grades)


def count_snapshots(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM evaluation")).scalar_one())


def reference(db: Database) -> float:
    started = time.perf_counter()
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT subject_id, count(*) FROM credit_record GROUP BY subject_id")
        ).all()
    assert rows
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--sqlite", type=Path, help="Run on this SQLite file instead of PG.")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.sqlite:
        args.sqlite.unlink(missing_ok=True)
        url = f"sqlite:///{args.sqlite}"
        migrate.upgrade(url)
        count = build_sqlite(args.sqlite, args.subjects)
    else:
        url = bench_database_url()
        count = build_postgres(url, args.subjects)
    print(f"built {args.subjects:,} subjects, {count:,} record entries "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    db = Database.from_url(url)
    seconds, platform_seconds, grades = evaluate(db)
    # The nightly case: the next day, every grade row exists (decaying files change).
    again, _, _ = evaluate(db, AS_OF + timedelta(days=1))
    snapshots = count_snapshots(db)
    group_by = reference(db)
    print(f"evaluate --all: {seconds:.1f} s ({args.subjects / seconds:,.0f} subjects/s); "
          f"grades {grades}")  # fmt: skip
    print(f"evaluate --all the next day (nightly): {again:.1f} s; "
          f"{snapshots:,} snapshots stored after both runs")  # fmt: skip
    print(f"platforms ({PLATFORMS}): {platform_seconds:.1f} s")
    print(f"GROUP BY subject_id over the same rows: {group_by:.2f} s")
    print(f"evaluate / GROUP BY time: {seconds / group_by:.0f}x (again: {again / group_by:.0f}x)")
    db.dispose()


if __name__ == "__main__":
    main()
