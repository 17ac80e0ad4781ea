"""Where each microsecond of a validated, ledgered row goes, measured as CPU time.

`python -m bench.record_ingest --breakdown N` runs this after the HTTP run, in-process on the
same database: N more rows in batches, parsed and validated as the route does (JSON, then the
Pydantic request model), submitted through `RecordService.submit_batch`, committed, and
answered (the result model as JSON). Each part is timed with `time.process_time` (CPU of this
process: another engineer's load on the machine does not inflate it) by wrapping the function
that does it; the database's CPU comes from its backend's /proc entry (same machine).
"""

from __future__ import annotations

import functools
import gc
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select, text

from ecredit.audit.context import acting_as
from ecredit.authz.principals import principal_for_api_key
from ecredit.catalog.loader import load_catalog
from ecredit.kit.crypto import hash_api_key
from ecredit.kit.db import Database
from ecredit.ledger import service as ledger_module
from ecredit.models.org import ApiKey
from ecredit.record import batch as batch_module
from ecredit.record import repository as repository_module
from ecredit.record import service as service_module
from ecredit.record.schemas import BatchRequest

# (label, owner, attribute): the function whose CPU time is the part.
PARTS: list[tuple[str, Any, str]] = [
    ("look-ups: earlier decisions (twice)", repository_module.RecordRepository,
     "original_ids_by_decisions"),
    ("look-ups: subjects by code", repository_module.RecordRepository, "subject_ids_by_codes"),
    ("rows: catalogue, subject, fields, window", service_module.RecordService, "values"),
    ("rows: canonical JSON before the id", batch_module, "canonical_parts"),
    ("locked: ids from the sequence", batch_module, "next_ids"),
    ("locked: COPY records and timeline", batch_module, "insert_rows"),
    ("locked: hashes + COPY ledger entries", ledger_module.LedgerService, "append_canonical"),
    ("locked: follow-up jobs", service_module.RecordService, "enqueue_follow_ups"),
]  # fmt: skip


@contextmanager
def _timed(spent: dict[str, float]) -> Iterator[None]:
    """Wrap each part's function so its CPU time adds up in `spent` (undone on exit)."""
    originals = [(owner, name, getattr(owner, name)) for _, owner, name in PARTS]
    for (label, owner, name), (_, _, original) in zip(PARTS, originals, strict=True):
        setattr(owner, name, _timer(original, label, spent))
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def _timer(function: Callable[..., Any], label: str, spent: dict[str, float]) -> Any:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    return timed


@contextmanager
def _part(spent: dict[str, float], label: str) -> Iterator[None]:
    started = time.process_time()
    yield
    spent[label] += time.process_time() - started


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process on this machine."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def breakdown(url: str, key: str, rows: list[dict[str, Any]], batch: int) -> None:
    db = Database.from_url(url)
    with db.unit_of_work() as session:
        api_key = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_api_key(key)))
        principal = principal_for_api_key(api_key.one())
    service = service_module.RecordService(load_catalog())
    bodies = [
        json.dumps({"records": rows[offset : offset + batch]}, ensure_ascii=False).encode()
        for offset in range(0, len(rows), batch)
    ]
    spent: dict[str, float] = defaultdict(float)
    with acting_as(principal.actor), db.unit_of_work() as session, _timed(spent):
        backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        # Warm-up, not counted: the first batch builds lazy validators and prepares statements,
        # as a running server has done long before.
        warm_up = BatchRequest.model_validate(json.loads(bodies.pop(0)))
        service.submit_batch(session, warm_up.records, principal)
        session.commit()
        spent.clear()
        measured = len(rows) - len(warm_up.records)
        # As `ecredit serve` does at start-up: full collections stop walking what was made
        # before (here the benchmark's own rows, which would be charged to whatever allocates).
        gc.collect()
        gc.freeze()
        database, wall, cpu = _backend_cpu(backend), time.perf_counter(), time.process_time()
        for body in bodies:
            with _part(spent, "JSON parse of the request"):
                data = json.loads(body)
            with _part(spent, "Pydantic validation of the request"):
                request = BatchRequest.model_validate(data)
            with _part(spent, "submit_batch, all of it"):
                result = service.submit_batch(session, request.records, principal)
            with _part(spent, "commit"):
                session.commit()
            with _part(spent, "answer: result model to JSON"):
                result.model_dump_json()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        database = _backend_cpu(backend) - database
    print(f"in-process, {measured:,} rows in batches of {batch} (after one to warm up): "
          f"wall {wall:.1f} s; CPU µs a row:")  # fmt: skip
    for label, seconds in spent.items():
        print(f"  {label:<44} {seconds / measured * 1e6:7.1f}")
    print(f"  {'this process, everything':<44} {cpu / measured * 1e6:7.1f}")
    print(f"  {'PostgreSQL backend (all statements)':<44} {database / measured * 1e6:7.1f}")
