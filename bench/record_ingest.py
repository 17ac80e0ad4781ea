"""Benchmark: validated, ledgered record ingestion through the HTTP API vs a plain COPY.

    python -m bench.record_ingest --rows 100000 --batch 1000

Seeds a small demo city into a fresh PostgreSQL database `ecredit_bench`, starts `ecredit serve`
in its own process on 127.0.0.1, posts administrative-penalty rows in batches to
POST /api/v1/records/batch (validation against the catalogue, subject lookup by code, display
window, ledger append, timeline), then COPYs the same rows, as stored, into scratch tables with
psycopg: bare (the reference) and with more and more of the real table's constraints
(`record_copy_ladder`). Prints rows/s and the ratios. Seeded: the same arguments give the
same rows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import select

from bench.common import (
    bench_database_url,
    psycopg_url,
    running_server,
    server_environment,
    stored_rows,
)
from bench.record_copy_ladder import copy_ladder
from ecredit.audit import changes
from ecredit.config import Settings
from ecredit.demo import seed_demo
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.subject import Subject, SubjectKind

KINDS = ["fine", "confiscation", "small_fine", "criticism", "suspension"]


def seed(url: str, env: dict[str, str], merchants: int) -> tuple[str, list[str]]:
    """The demo city; returns the credit office's all-scope API key and merchant codes."""
    changes.install()
    settings = Settings(
        database_url=url,
        data_dir=Path(env["ECREDIT_DATA_DIR"]),
        data_key=env["ECREDIT_DATA_KEY"],
        blind_index_key=env["ECREDIT_BLIND_INDEX_KEY"],
        session_secret=env["ECREDIT_SESSION_SECRET"],
    )
    db = Database.from_url(url)
    credentials = seed_demo(db, Vault.from_settings(settings), merchants=merchants)
    key = next(k.key for k in credentials.api_keys if "record:write" in k.scopes)
    with db.unit_of_work() as session:
        query = select(Subject.uscc).where(
            Subject.kind == SubjectKind.MERCHANT, Subject.uscc.is_not(None)
        )
        codes = [code for code in session.scalars(query) if code]
    db.dispose()
    return key, codes


def make_rows(
    count: int, codes: list[str], seed_value: int = 7, first: int = 0
) -> list[dict[str, Any]]:
    rng = random.Random(seed_value)
    start = date(2026, 1, 5)
    return [
        {
            "subject_code": rng.choice(codes),
            "type_code": "administrative_penalty",
            "severity": rng.choice(["minor", "general", "serious"]),
            "legal_basis": "《中华人民共和国电子商务法》第七十七条",
            "decision_no": f"本市监罚〔2026〕{first + n + 1}号",
            "decision_date": (start + timedelta(days=rng.randrange(300))).isoformat(),
            "penalty_kind": rng.choice(KINDS),
            "amount": f"{rng.randrange(1, 500) * 100}.00",
            "summary": "虚构交易、编造用户评价，欺骗、误导消费者",
        }
        for n in range(count)
    ]


def post_batches(
    bases: list[str], key: str, rows: list[dict[str, Any]], batch: int, clients: int
) -> float:
    """Post every batch, `clients` at a time, spread over the servers; seconds taken."""
    # Request bodies are encoded before the clock starts, as COPY's rows are in memory.
    bodies = [
        json.dumps({"records": rows[offset : offset + batch]}, ensure_ascii=False).encode()
        for offset in range(0, len(rows), batch)
    ]
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    local, assigned = threading.local(), itertools.count()

    def post(numbered: tuple[int, bytes]) -> None:
        number, body = numbered
        if not hasattr(local, "client"):
            base = bases[next(assigned) % len(bases)]  # each thread its own server
            local.client = httpx.Client(base_url=base, headers=headers, timeout=300)
        response = local.client.post("/api/v1/records/batch", content=body)
        response.raise_for_status()
        result = response.json()
        if result["created"] != len(result["items"]):
            raise RuntimeError(f"batch {number}: not every row was created: {result['errors']}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(post, enumerate(bodies)))
    return time.perf_counter() - started


# The tables a validated, ledgered ingestion must write, with the indexes and foreign keys the
# real ones have; filled from the API's own rows to price the writes alone.
SCRATCH = """
CREATE TABLE w_record (LIKE credit_record INCLUDING ALL);
ALTER TABLE w_record ADD FOREIGN KEY (subject_id) REFERENCES subject (id),
    ADD FOREIGN KEY (source_org_id) REFERENCES organisation (id),
    ADD FOREIGN KEY (amends_id) REFERENCES w_record (id);
CREATE TABLE w_ledger (LIKE ledger_entry INCLUDING ALL);
ALTER TABLE w_ledger ADD FOREIGN KEY (record_id) REFERENCES w_record (id);
CREATE TABLE w_timeline (LIKE timeline_event INCLUDING ALL);
"""
WRITTEN = {
    "w_record": "SELECT * FROM credit_record WHERE id > {record}",
    "w_ledger": "SELECT * FROM ledger_entry WHERE record_id > {record}",
    "w_timeline": "SELECT * FROM timeline_event WHERE id > {event}",
}


def high_marks(url: str) -> dict[str, int]:
    with psycopg.connect(psycopg_url(url)) as connection:
        record, event = connection.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM credit_record),"
            " (SELECT coalesce(max(id), 0) FROM timeline_event)"
        ).fetchone() or (0, 0)
    return {"record": record, "event": event}


def copy_every_write(url: str, marks: dict[str, int]) -> dict[str, float]:
    """COPY (prepared text, no Python per row) of every row the API wrote for the benchmark:
    records, ledger entries and timeline events into tables with the same indexes and foreign
    keys. What the database alone needs for the writes that ingestion cannot skip; seconds
    per table and in all (with the commit)."""
    with psycopg.connect(psycopg_url(url)) as connection:
        texts = {}
        for table, query in WRITTEN.items():
            with connection.cursor().copy(f"COPY ({query.format(**marks)}) TO STDOUT") as out:
                texts[table] = b"".join(bytes(chunk) for chunk in out)
        connection.execute(SCRATCH)
        connection.commit()
        seconds, started = {}, time.perf_counter()
        for table, data in texts.items():
            began = time.perf_counter()
            with connection.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(data)
            seconds[table] = time.perf_counter() - began
        connection.commit()
        return seconds | {"all": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--merchants", type=int, default=500)
    parser.add_argument("--servers", type=int, default=1, help="`ecredit serve` processes")
    parser.add_argument("--clients", type=int, default=1, help="batches posted at a time")
    parser.add_argument("--repeats", type=int, default=3, help="COPYs of each table kind")
    parser.add_argument(
        "--breakdown", type=int, default=0, help="then this many more rows in-process, profiled"
    )
    args = parser.parse_args()
    url = bench_database_url()
    env = server_environment(url, Path(tempfile.mkdtemp(prefix="ecredit-bench-")))
    key, codes = seed(url, env, args.merchants)
    rows = make_rows(args.rows, codes)
    marks = high_marks(url)
    with ExitStack() as servers:
        bases = [servers.enter_context(running_server(env)) for _ in range(args.servers)]
        api_seconds = post_batches(bases, key, rows, args.batch, args.clients)
    stored = stored_rows(url, "credit_record", ("evidence_refs",))
    ladder = copy_ladder(url, stored, args.repeats)
    writes = copy_every_write(url, marks)
    copy_seconds = next(iter(ladder.values()))
    api_rate, copy_rate = args.rows / api_seconds, len(stored) / copy_seconds
    print(f"rows: {args.rows}, batch: {args.batch}, subjects: {len(codes)}, "
          f"servers: {args.servers}, clients: {args.clients}")  # fmt: skip
    print(f"API (validated, ledgered): {api_seconds:.1f} s, {api_rate:,.0f} rows/s")
    print(f"COPY of the same rows, median of {args.repeats} (rows/s, share of the first):")
    for name, seconds in ladder.items():
        print(f"  {name:50s} {len(stored) / seconds:9,.0f}  {copy_seconds / seconds:6.1%}")
    print(f"COPY of every row written (records, ledger, timeline; indexes, foreign keys): "
          f"{writes['all']:.1f} s, {args.rows / writes['all']:,.0f} rows/s "
          f"(records {writes['w_record']:.1f} s, ledger {writes['w_ledger']:.1f} s, "
          f"timeline {writes['w_timeline']:.1f} s)")  # fmt: skip
    print(f"API / COPY: {api_rate / copy_rate:.2%}")
    if args.breakdown:
        # Imported here: it needs the batch module, absent from the code measured as "before".
        from bench.record_ingest_profile import breakdown

        more = make_rows(args.breakdown, codes, seed_value=8, first=args.rows)
        breakdown(url, key, more, args.batch)


if __name__ == "__main__":
    main()
