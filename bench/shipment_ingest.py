"""Benchmark: tracking-event ingestion through the HTTP API vs a plain COPY of the same rows.

    python -m bench.shipment_ingest --shipments 20000 --batch 1000

Registers one carrier (subject, organisation, API key with `shipment:write`) and its shipments
in a fresh PostgreSQL database `ecredit_bench_shipment_ingest`, starts `ecredit serve` in its
own process on 127.0.0.1, and posts five scans per shipment (揽收 … 签收), shuffled so they
arrive out of order, in batches to POST /api/v1/shipments/events (validation, ownership,
courier check, idempotent insert, state moved by event time). Then posts every batch again
(all duplicates: the resend a carrier makes after a timeout), and COPYs the stored rows into a
scratch table with psycopg. Prints rows/s of each and the ratio. Seeded: the same arguments
give the same rows.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench.common import (
    bench_database_url,
    copy_same_rows,
    running_server,
    server_environment,
)
from ecredit.audit.context import acting_as
from ecredit.authz.principals import SYSTEM, Scope
from ecredit.config import Settings
from ecredit.demo.codes import with_ric_check, with_uscc_check
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.org import OrgKind
from ecredit.models.shipment import Shipment
from ecredit.models.subject import SubjectKind
from ecredit.org.schemas import ApiKeyCreate, OrganisationCreate
from ecredit.org.service import organisation_service
from ecredit.subject.schemas import SubjectCreate
from ecredit.subject.service import subject_service

STEPS = ("collected", "in_transit", "arrived", "out_for_delivery", "signed")
AREAS = ("210502", "210503", "210504", "210505", "210521", "210522", "210102", "210106")
START = datetime(2026, 3, 2, tzinfo=UTC)


def seed(url: str, env: dict[str, str], shipments: int) -> tuple[str, int, list[str]]:
    """One carrier with a courier and `shipments` waybills; (API key, courier id, waybills)."""
    settings = Settings(
        database_url=url,
        data_dir=Path(env["ECREDIT_DATA_DIR"]),
        data_key=env["ECREDIT_DATA_KEY"],
        blind_index_key=env["ECREDIT_BLIND_INDEX_KEY"],
        session_secret=env["ECREDIT_SESSION_SECRET"],
    )
    db, vault = Database.from_url(url), Vault.from_settings(settings)
    waybills = [f"BX{n:012d}" for n in range(1, shipments + 1)]
    with acting_as("bench"), db.unit_of_work() as session:
        carrier_id, courier_id, key = _carrier(session, vault)
        rows = [
            {"waybill": w, "carrier_id": carrier_id, "declared_weight_g": 1000,
             "origin_area": AREAS[0], "destination_area": AREAS[-1]}
            for w in waybills
        ]  # fmt: skip
        session.execute(insert(Shipment), rows)
    db.dispose()
    return key, courier_id, waybills


def _carrier(session: Session, vault: Vault) -> tuple[int, int, str]:
    """(carrier id, courier id, plaintext API key of the carrier's organisation)."""
    carrier = subject_service.register(session, vault, SubjectCreate(
        kind=SubjectKind.LOGISTICS, name="本溪测速快递有限公司",
        uscc=with_uscc_check("91210502MA0BENCH0"),
    ), SYSTEM)  # fmt: skip
    courier = subject_service.register(session, vault, SubjectCreate(
        kind=SubjectKind.PRACTITIONER, name="测速快递员", employer_id=carrier.id,
        id_number=with_ric_check("21050219900101001"),
    ), SYSTEM)  # fmt: skip
    org = organisation_service.create(session, OrganisationCreate(
        name="本溪测速快递有限公司", kind=OrgKind.LOGISTICS, subject_id=carrier.id,
    ))  # fmt: skip
    scopes = [Scope.SHIPMENT_WRITE]
    _key, plaintext = organisation_service.create_api_key(
        session, ApiKeyCreate(organisation_id=org.id, name="轨迹推送", scopes=scopes)
    )
    return carrier.id, courier.id, plaintext


def make_events(waybills: list[str], courier_id: int, seed_value: int = 8) -> list[dict[str, Any]]:
    """Five scans per shipment, hours apart, then shuffled: arrival order is not event order."""
    rng = random.Random(seed_value)
    events = []
    for waybill in waybills:
        at = START + timedelta(minutes=rng.randrange(60 * 24 * 200))
        for step_no, status in enumerate(STEPS):
            at += timedelta(minutes=rng.randrange(30, 60 * 20))
            events.append(
                {
                    "waybill": waybill,
                    "event_id": f"{waybill}-{step_no}",
                    "status": status,
                    "event_time": at.isoformat(),
                    "area_code": rng.choice(AREAS),
                    "outlet": f"网点{rng.randrange(1, 80):02d}",
                    "courier_id": courier_id if status in STEPS[3:] else None,
                }
            )
    rng.shuffle(events)
    return events


def post_batches(
    base: str, key: str, events: list[dict[str, Any]], batch: int
) -> tuple[float, int]:
    """Seconds to post every batch, and the number of rows the server created."""
    created = 0
    started = time.perf_counter()
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=300) as client:
        for offset in range(0, len(events), batch):
            response = client.post(
                "/api/v1/shipments/events", json={"events": events[offset : offset + batch]}
            )
            response.raise_for_status()
            report = response.json()
            if report["rejected"]:
                raise RuntimeError(f"batch at {offset}: {report['rows'][:3]}")
            created += report["created"]
    return time.perf_counter() - started, created


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shipments", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    url = bench_database_url()
    env = server_environment(url, Path(tempfile.mkdtemp(prefix="ecredit-bench-")))
    key, courier_id, waybills = seed(url, env, args.shipments)
    events = make_events(waybills, courier_id)
    with running_server(env) as base:
        api_seconds, created = post_batches(base, key, events, args.batch)
        resend_seconds, again = post_batches(base, key, events, args.batch)
    if (created, again) != (len(events), 0):
        raise RuntimeError(f"created {created} then {again}; expected {len(events)} then 0")
    copied, copy_seconds = copy_same_rows(url, "tracking_event")
    rows = len(events)
    api_rate, resend_rate, copy_rate = (
        rows / api_seconds,
        rows / resend_seconds,
        copied / copy_seconds,
    )
    print(f"rows: {rows} ({args.shipments} shipments × 5 scans, shuffled), batch: {args.batch}")
    print(f"API, new events:       {api_seconds:.1f} s, {api_rate:,.0f} rows/s")
    print(f"API, resent (dupes):   {resend_seconds:.1f} s, {resend_rate:,.0f} rows/s")
    print(f"COPY of the same rows: {copy_seconds:.1f} s, {copy_rate:,.0f} rows/s")
    print(f"API / COPY: {api_rate / copy_rate:.2%} (new), {resend_rate / copy_rate:.2%} (resent)")


if __name__ == "__main__":
    main()
