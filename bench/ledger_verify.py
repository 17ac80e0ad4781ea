"""Benchmark: `ecredit ledger verify` over a large ledger vs a plain COPY out of the same rows.

    python -m bench.ledger_verify --entries 1000000

Builds a valid ledger of N penalty records in a fresh PostgreSQL database `ecredit_bench` (the
entries are made with the ledger's own canonical form and hashes, then loaded with COPY, so
building is quick), signs a checkpoint, then times `verify_ledger` (every check it makes, in
one pass) against `COPY (SELECT … ledger_entry JOIN credit_record) TO STDOUT`: the cost of
merely reading the same rows. Prints both times and the ratio. Seeded.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import inspect

from bench.common import bench_database_url, psycopg_url
from ecredit.kit import merkle
from ecredit.kit.crypto import Ed25519PrivateKey
from ecredit.kit.db import Database
from ecredit.kit.ledger import GENESIS_CHAIN, chain_next
from ecredit.kit.merkle import HashName
from ecredit.ledger.canonical import canonical_values
from ecredit.ledger.service import Signer, ledger_service
from ecredit.ledger.verify import verify_ledger
from ecredit.models.base import utcnow
from ecredit.models.record import CreditRecord, EntryAction, PenaltyKind, Severity

RECORD_COLUMNS = [attr.key for attr in inspect(CreditRecord).column_attrs]
SQL_SETUP = [
    "INSERT INTO organisation (id, name, kind, created_at, updated_at) "
    "VALUES (1, '本溪市市场监督管理局', 'department', now(), now())",
    "INSERT INTO subject (id, kind, merchant_form, name, name_pinyin, name_initials, uscc, "
    "verification_status, created_at, updated_at) VALUES (1, 'merchant', 'enterprise', "
    "'本溪市明达电子商务有限公司', '', '', '91210502MA0UB8KM3E', 'verified', now(), now())",
]


def make_record(number: int, rng: random.Random) -> dict[str, Any]:
    """Every column of one record, as the model holds it."""
    decided = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
    return dict(  # noqa: C408 - the columns spelled as keyword arguments, as for the model
        id=number, subject_id=1, type_code="administrative_penalty", action=EntryAction.ORIGINAL,
        amends_id=None, source_org_id=1, severity=rng.choice(list(Severity)),
        legal_basis="《中华人民共和国电子商务法》第七十七条",
        decision_no=f"本市监罚〔2026〕{number}号",
        decision_date=decided, penalty_kind=rng.choice(list(PenaltyKind)),
        amount=Decimal(rng.randrange(1, 50000)), summary="虚构交易、编造用户评价",
        evidence_refs=[], valid_until=None, public_from=decided,
        public_until=decided + timedelta(days=365), reason=None, recorded_by="bench",
        recorded_at=utcnow(),
    )  # fmt: skip


def build(url: str, entries: int) -> None:
    """Both tables by COPY, one after the other (one connection runs one COPY at a time)."""
    rng, chain = random.Random(11), GENESIS_CHAIN
    ledger_rows: list[list[object]] = []
    with psycopg.connect(psycopg_url(url)) as connection:
        for statement in SQL_SETUP:
            connection.execute(statement)
        columns = ", ".join(RECORD_COLUMNS)
        with connection.cursor().copy(f"COPY credit_record ({columns}) FROM STDIN") as records:
            for number in range(1, entries + 1):
                record = make_record(number, rng)
                canonical = canonical_values(record)
                leaf = merkle.leaf_hash(HashName.SHA256, canonical)
                chain = chain_next(HashName.SHA256, chain, leaf)
                records.write_row([_db_value(record[c]) for c in RECORD_COLUMNS])
                ledger_rows.append(
                    [
                        number,
                        number,
                        canonical.decode(),
                        leaf.hex(),
                        chain.hex(),
                        record["recorded_at"],
                    ]
                )
        with connection.cursor().copy("COPY ledger_entry FROM STDIN") as ledger:
            for row in ledger_rows:
                ledger.write_row(row)
        connection.execute(
            "INSERT INTO ledger_head (id, size, chain_hash, hash_name) VALUES (1, %s, %s, %s)",
            (entries, chain.hex(), "sha256"),
        )


def _db_value(value: object) -> object:
    if isinstance(value, list):
        return "[]"
    return getattr(value, "value", value)


def copy_out(url: str) -> float:
    query = (
        "COPY (SELECT l.*, r.* FROM ledger_entry l JOIN credit_record r ON r.id = l.record_id "
        "ORDER BY l.seq) TO STDOUT"
    )
    started = time.perf_counter()
    with (
        psycopg.connect(psycopg_url(url)) as connection,
        connection.cursor() as cursor,
        cursor.copy(query) as copy,
    ):
        for _block in copy:
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    args = parser.parse_args()
    url = bench_database_url()
    started = time.perf_counter()
    build(url, args.entries)
    print(f"built {args.entries:,} entries in {time.perf_counter() - started:.1f} s")
    db = Database.from_url(url)
    signer = Signer(Ed25519PrivateKey.generate())
    with db.unit_of_work() as session:
        ledger_service.checkpoint(session, signer)
    started = time.perf_counter()
    with db.unit_of_work() as session:
        report = verify_ledger(session, signer.public_key)
    verify_seconds = time.perf_counter() - started
    if not report.ok:
        raise RuntimeError(f"verification failed: {report.first}")
    copy_seconds = copy_out(url)
    print(f"verify: {verify_seconds:.1f} s ({args.entries / verify_seconds:,.0f} entries/s)")
    print(f"COPY out of the same rows: {copy_seconds:.1f} s")
    print(f"verify / COPY time: {verify_seconds / copy_seconds:.1f}x")


if __name__ == "__main__":
    main()
