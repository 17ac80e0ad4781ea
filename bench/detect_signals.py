"""Benchmark: fake-traffic, empty-parcel and price-fraud detectors against the planted truth.

    python -m bench.city_signals --out /tmp/signals --scale 0.1
    python -m bench.detect_signals --data /tmp/signals            # --backend pyspark, --only prices

Each detector runs in a process of its own (its peak RSS is its own, Python and the engine
included), reads the generator's Parquet files through Ibis on the chosen backend, and is scored
against the planted events: precision, recall and F1, rows/s (input rows over the detector's wall
time, reading included) and peak memory. The reference, in the same process on the same file, is a
plain scan: rows per shop (`group by platform, shop_id`), the cost of merely reading and grouping
the input; the ratio says how many such scans one detection costs.
Matching: traffic bursts by shop and kind with overlapping hours; empty parcels per shipment
(carrier, waybill, order) from the findings' evidence; price fraud per (shop, product, promotion,
violation).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow.parquet as pq

from ecredit.detection.empty_parcels import EmptyParcelParams, detect_empty_parcels
from ecredit.detection.fake_traffic import detect_fake_traffic
from ecredit.detection.finding import Finding
from ecredit.detection.price_fraud import detect_price_fraud

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


DETECTORS: dict[str, tuple[str, Callable[[ir.Table], list[Finding]], Callable[..., Scored]]] = {
    "traffic": ("traffic", detect_fake_traffic, score_traffic),
    "shipments": (
        "shipments",
        lambda t: detect_empty_parcels(t, EmptyParcelParams(max_listed=10**9)),
        score_parcels,
    ),
    "prices": ("prices", detect_price_fraud, score_prices),
}


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run_one(name: str, data: Path, backend: str, out: Any) -> None:
    dataset, detect, score = DETECTORS[name]
    con = connect(backend)
    path = str(data / f"{dataset}.parquet")
    rows = pq.ParquetFile(path).metadata.num_rows
    started = time.perf_counter()
    findings = detect(con.read_parquet(path))
    detect_s = time.perf_counter() - started
    table = con.read_parquet(path)
    started = time.perf_counter()
    table.group_by(["platform", "shop_id"]).aggregate(n=table.count()).to_pyarrow()
    scan_s = time.perf_counter() - started
    truth = pq.read_table(data / f"truth_{dataset}.parquet").to_pylist()
    found, planted = score(findings, truth)
    true_positive = len(found & planted)
    precision = true_positive / len(found) if found else 1.0
    recall = true_positive / len(planted) if planted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out.put(
        {
            "detector": name,
            "rows": rows,
            "findings": len(findings),
            "planted": len(planted),
            "found": len(found),
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "seconds": detect_s,
            "rows_per_s": rows / detect_s,
            "scan_s": scan_s,
            "peak_mb": _peak_mb(),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--backend", choices=["duckdb", "pyspark"], default="duckdb")
    parser.add_argument("--only", choices=list(DETECTORS), action="append")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print("| detector | input rows | findings | planted | precision | recall | F1 | time | rows/s "
          "| scan time (reference) | detection / scan | peak RSS |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in args.only or list(DETECTORS):
        queue = context.Queue()
        process = context.Process(target=run_one, args=(name, args.data, args.backend, queue))
        process.start()
        r = queue.get()
        process.join()
        print(
            f"| {r['detector']} | {r['rows']:,} | {r['findings']:,} | {r['planted']:,} "
            f"| {r['precision']:.4f} | {r['recall']:.4f} | {r['f1']:.4f} | {r['seconds']:.2f} s "
            f"| {r['rows_per_s']:,.0f} | {r['scan_s']:.2f} s | {r['seconds'] / r['scan_s']:.1f}× "
            f"| {r['peak_mb']:,.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
