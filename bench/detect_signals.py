"""Benchmark: fake-traffic, empty-parcel and price-fraud detectors against the planted truth.

    python -m bench.city_signals --out /tmp/signals --scale 0.1
    python -m bench.detect_signals --data /tmp/signals            # --backend pyspark, --only prices

Each detector runs in a process of its own (its peak RSS is its own, Python and the engine
included), reads the generator's Parquet files through Ibis on the chosen backend, and is scored
against the planted events: precision, recall and F1, rows/s (input rows over the detector's wall
time, reading included) and peak memory (taken before the references below run). Two references
in the same process on the same file: a plain scan, rows per shop (`group by platform, shop_id`),
the cost of merely reading and grouping the input; and an independent plain-Python / pandas
implementation of the same definition (bench/signals_reference.py) — its time, and the Jaccard
agreement of its flagged keys with the detector's (skipped above --reference-max-rows).
Matching: traffic bursts by shop and kind with overlapping hours; empty parcels per shipment
(carrier, waybill, order) from the findings' evidence; price fraud per (shop, product, promotion,
violation).
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow.parquet as pq

from bench import signals_reference as reference
from bench.memory import peak_rss_mb
from ecredit.detection.empty_parcels import EmptyParcelParams, detect_empty_parcels
from ecredit.detection.fake_traffic import FakeTrafficParams, detect_fake_traffic
from ecredit.detection.finding import Finding
from ecredit.detection.price_fraud import PriceFraudParams, detect_price_fraud

Scored = tuple[set[Any], set[Any]]  # (found, truth) already matched to comparable keys


def connect(backend: str) -> Any:
    if backend == "pyspark":
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master("local[2]")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "8g")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        return ibis.pyspark.connect(session)
    return ibis.duckdb.connect()


def score_traffic(findings: list[Finding], truth: list[dict[str, Any]]) -> Scored:
    """A burst found is planted when shop and kind agree and the hours overlap."""
    planted = {(t["shop_id"], t["kind"], t["start"], t["hours"]) for t in truth}
    found: set[Any] = set()
    for f in findings:
        assert f.window_start is not None
        assert f.window_end is not None
        hit = next(
            (
                p
                for p in planted
                if (p[0], p[1]) == (f.shop_code, f.key[0])
                and p[2] < f.window_end
                and f.window_start < p[2] + timedelta(hours=p[3])
            ),
            None,
        )
        found.add(hit or ("not planted", f.shop_code, f.key))
    return found, planted


def score_parcels(findings: list[Finding], truth: list[dict[str, Any]]) -> Scored:
    found = {
        (w["carrier_id"], w["waybill_no"], w["order_id"])
        for f in findings
        for w in f.evidence["waybills"]
    }
    return found, {(t["carrier_id"], t["waybill_no"], t["order_id"]) for t in truth}


def score_prices(findings: list[Finding], truth: list[dict[str, Any]]) -> Scored:
    found = {
        (f.shop_code, f.evidence["product_id"], f.evidence["promotion_id"], v)
        for f in findings
        for v in f.evidence["violations"]
    }
    planted = {(t["shop_id"], t["product_id"], t["promotion_id"], t["violation"]) for t in truth}
    return found, planted


def traffic_keys(findings: list[Finding]) -> set[Any]:
    """Flagged hours, to compare with the reference (bursts here are shorter than the 48 listed)."""
    return {
        (f.shop_code, f.key[0], datetime.fromisoformat(h["hour"]))
        for f in findings
        for h in f.evidence["hourly"]
    }


@dataclass(frozen=True)
class Detector:
    dataset: str
    detect: Callable[[ir.Table], list[Finding]]
    score: Callable[[list[Finding], list[dict[str, Any]]], Scored]
    keys: Callable[[list[Finding]], set[Any]]  # what the reference implementation returns
    reference: Callable[[str], set[Any]]


PARCELS = EmptyParcelParams(max_listed=10**9)  # every suspect waybill in the evidence
DETECTORS = {
    "traffic": Detector(
        "traffic",
        detect_fake_traffic,
        score_traffic,
        traffic_keys,
        lambda path: reference.traffic_hours(path, FakeTrafficParams()),
    ),
    "shipments": Detector(
        "shipments",
        lambda t: detect_empty_parcels(t, PARCELS),
        score_parcels,
        lambda findings: score_parcels(findings, [])[0],
        lambda path: reference.suspect_shipments(path, PARCELS),
    ),
    "prices": Detector(
        "prices",
        detect_price_fraud,
        score_prices,
        lambda findings: score_prices(findings, [])[0],
        lambda path: reference.price_violations(path, PriceFraudParams()),
    ),
}


def _timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def run_one(name: str, data: Path, backend: str, reference_max_rows: int, out: Any) -> None:
    detector = DETECTORS[name]
    con = connect(backend)
    path = str(data / f"{detector.dataset}.parquet")
    rows = pq.ParquetFile(path).metadata.num_rows
    findings, detect_s = _timed(lambda: detector.detect(con.read_parquet(path)))
    peak_mb = peak_rss_mb()  # before the scan and the reference add their own memory
    table = con.read_parquet(path)
    _, scan_s = _timed(
        lambda: table.group_by(["platform", "shop_id"]).aggregate(n=table.count()).to_pyarrow()
    )
    truth = pq.read_table(data / f"truth_{detector.dataset}.parquet").to_pylist()
    found, planted = detector.score(findings, truth)
    hits = len(found & planted)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(planted) if planted else 1.0
    result = {
        "detector": name, "rows": rows, "findings": len(findings), "planted": len(planted),
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "seconds": detect_s, "scan_s": scan_s, "peak_mb": peak_mb, "ref_s": None, "agree": None,
    }  # fmt: skip
    if rows <= reference_max_rows:
        expected, result["ref_s"] = _timed(lambda: detector.reference(path))
        got = detector.keys(findings)
        result["agree"] = len(got & expected) / len(got | expected) if got | expected else 1.0
    out.put(result)


def _row(r: dict[str, Any]) -> str:
    reference = (
        f"{r['ref_s']:.2f} s | {r['ref_s'] / r['seconds']:.1f}× | {r['agree']:.4f}"
        if r["ref_s"] is not None
        else "not run | — | —"
    )
    return (
        f"| {r['detector']} | {r['rows']:,} | {r['findings']:,} | {r['planted']:,} "
        f"| {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['seconds']:.2f} s "
        f"| {r['rows'] / r['seconds']:,.0f} | {r['peak_mb']:,.0f} MB "
        f"| {r['scan_s']:.2f} s | {r['seconds'] / r['scan_s']:.0f}× | {reference} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--backend", choices=["duckdb", "pyspark"], default="duckdb")
    parser.add_argument("--only", choices=list(DETECTORS), action="append")
    parser.add_argument("--reference-max-rows", type=int, default=4_000_000)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(
        "| detector | input rows | findings | planted | precision | recall | F1 | time | rows/s "
        "| peak RSS | scan | detection / scan | reference time | reference / detection "
        "| agreement with reference |"
    )
    print("|---" * 15 + "|")
    for name in args.only or list(DETECTORS):
        queue = context.Queue()
        work = (name, args.data, args.backend, args.reference_max_rows, queue)
        process = context.Process(target=run_one, args=work)
        process.start()
        result = queue.get()
        process.join()
        print(_row(result), flush=True)


if __name__ == "__main__":
    main()
