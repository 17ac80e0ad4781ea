"""Order brushing on a city's month: quality against the injected truth, speed, memory, exactness.

    python -m bench.detect_brushing --data /tmp/city     # --repeat 3 --oracle-max-orders 300

generates the city first when /tmp/city has no lake (bench.city_orders, seeded: 10 M orders).

Every measured step runs in a process of its own (`--phase`), so each peak RSS is its own:
- detect: the detector on embedded DuckDB (median of --repeat runs), then account rings;
- limit: the raw DuckDB group-by over the same Parquet (`count(*) … group by shop_id`);
- pandas: a straightforward pandas implementation of the rule (read, filter, per-shop sweep);
- oracle: the brute-force definition on every shop with ≤ --oracle-max-orders orders and on every
  shop the detector or the truth names, plus the hand-made edge cases; any difference is listed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from bench.brushing_cases import EDGE_CASES, T0
from bench.brushing_sweeps import oracle_differences, pandas_brushing
from bench.city_orders import SEED, CitySize, generate
from bench.memory import peak_rss_mb
from ecredit.detection.account_rings import detect_account_rings
from ecredit.detection.brushing import detect_brushing
from ecredit.detection.engine import open_lake
from ecredit.detection.finding import Finding


def _summary(findings: list[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "platform": finding.platform_id,
            "shop": finding.shop_code,
            "orders": finding.evidence["orders"],
            "suspicious": [buyer["buyer_id"] for buyer in finding.evidence["suspicious_buyers"]],
            "windows": [
                [w["first_order_at"], w["last_order_at"]] for w in finding.evidence["windows"]
            ],
        }
        for finding in findings
    ]


def phase_detect(data: Path, out: Path) -> dict[str, Any]:
    started = time.perf_counter()
    orders = open_lake(str(data / "lake")).table("orders")
    brushing = detect_brushing(orders)
    brushing_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rings = detect_account_rings(orders, brushing)
    rings_seconds = time.perf_counter() - started
    out.write_text(
        json.dumps(
            {
                "brushing": _summary(brushing),
                "rings": [
                    {
                        "platform": ring.platform_id,
                        "members": list(ring.key),
                        "shops": ring.evidence["brushing_shops"],
                    }
                    for ring in rings
                ],
            }
        )
    )
    return {
        "seconds": brushing_seconds,
        "rings_seconds": rings_seconds,
        "rows": orders.count().to_pyarrow().as_py(),
    }


def phase_limit(data: Path) -> dict[str, Any]:
    source = f"read_parquet('{data}/lake/orders/**/*.parquet', hive_partitioning = true)"
    connection = duckdb.connect()
    started = time.perf_counter()
    connection.sql(f"select shop_id, count(*) from {source} group by shop_id").fetchall()
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    connection.sql(
        f"select count(*) from (select platform, shop_id, buyer_id from {source} group by all "
        "having count(*) >= 3)"
    ).fetchall()
    return {"seconds": seconds, "pair_group_by_seconds": time.perf_counter() - started}


def phase_pandas(data: Path, out: Path) -> dict[str, Any]:
    started = time.perf_counter()
    found = pandas_brushing(data / "lake" / "orders")
    seconds = time.perf_counter() - started
    out.write_text(json.dumps(found))
    return {"seconds": seconds}


def phase_oracle(data: Path, detected: Path, max_orders: int) -> dict[str, Any]:
    started = time.perf_counter()
    truth = pq.read_table(data / "truth" / "episodes.parquet").to_pylist()
    named = {(row["platform"], row["shop_id"]) for row in truth}
    report = oracle_differences(
        data / "lake" / "orders", json.loads(detected.read_text())["brushing"], named, max_orders
    )
    report["edge_cases"] = _edge_case_differences()
    report["seconds"] = time.perf_counter() - started
    return report


def _edge_case_differences() -> list[str]:
    from tests.detection.lake_fixture import Order, write_orders

    wrong = []
    for case in EDGE_CASES:
        with tempfile.TemporaryDirectory() as folder:
            write_orders(
                Path(folder),
                [
                    Order(
                        f"o{row}", shop, buyer, T0 + timedelta(seconds=seconds), platform=platform
                    )
                    for row, (platform, shop, buyer, seconds) in enumerate(case.orders)
                ],
            )
            found = detect_brushing(open_lake(folder).table("orders"))
        got = {
            (f.platform_id, f.shop_code): tuple(
                b["buyer_id"] for b in f.evidence["suspicious_buyers"]
            )
            for f in found
        }
        if got != case.expected:
            wrong.append(case.name)
    return wrong


def score(data: Path, detected: dict[str, Any]) -> dict[str, Any]:
    """Shop-level precision/recall/F1 against the injected brushing episodes; suspicious-buyer
    agreement with each episode's lead account; rings matched by their member sets."""
    episodes = pq.read_table(data / "truth" / "episodes.parquet").to_pylist()
    truth = {(e["platform"], e["shop_id"]) for e in episodes if e["kind"] == "brushing"}
    evasive = {(e["platform"], e["shop_id"]) for e in episodes if e["kind"] == "evasive"}
    leads: dict[tuple[int, str], set[str]] = {}
    for e in episodes:
        if e["kind"] == "brushing":
            leads.setdefault((e["platform"], e["shop_id"]), set()).add(e["lead_buyer"])
    found = {(row["platform"], row["shop"]): row for row in detected["brushing"]}
    hits = truth & set(found)
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(truth) if truth else 0.0
    rings = pq.read_table(data / "truth" / "rings.parquet").to_pylist()
    # A ring whose episodes all used one account shows no link between accounts: not a ring.
    ring_sets = {(r["platform"], frozenset(r["members"])) for r in rings if len(r["members"]) > 1}
    found_rings = {(r["platform"], frozenset(r["members"])) for r in detected["rings"]}
    return {
        "truth_shops": len(truth),
        "found_shops": len(found),
        "hits": len(hits),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if hits else 0.0,
        "suspicious_is_a_lead": sum(bool(set(found[k]["suspicious"]) & leads[k]) for k in hits),
        "evasive_shops_flagged": len(evasive & set(found) - truth),
        "rings_truth": len(ring_sets),
        "rings_found": len(found_rings),
        "rings_exact": len(ring_sets & found_rings),
    }


def _run_phase(args: argparse.Namespace, phase: str) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.detect_brushing",
        "--data",
        str(args.data),
        "--phase",
        phase,
        "--oracle-max-orders",
        str(args.oracle_max_orders),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def _child(args: argparse.Namespace) -> None:
    work = args.data / "bench"
    work.mkdir(exist_ok=True)
    if args.phase == "detect":
        result = phase_detect(args.data, work / "detected.json")
    elif args.phase == "limit":
        result = phase_limit(args.data)
    elif args.phase == "pandas":
        result = phase_pandas(args.data, work / "pandas.json")
    else:
        result = phase_oracle(args.data, work / "detected.json", args.oracle_max_orders)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--oracle-max-orders", type=int, default=300)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--phase", choices=["detect", "limit", "pandas", "oracle"])
    args = parser.parse_args()
    if not (args.data / "lake").exists():
        size = CitySize()
        print(f"generating {size.orders} orders into {args.data} …", file=sys.stderr)
        generate(args.data, size, seed=SEED)
    if args.phase:
        _child(args)
        return
    detects = [_run_phase(args, "detect") for _ in range(args.repeat)]
    limits = [_run_phase(args, "limit") for _ in range(args.repeat)]
    report: dict[str, Any] = {
        "rows": detects[0]["rows"],
        "detect_seconds": [round(d["seconds"], 2) for d in detects],
        "detect_median": statistics.median(d["seconds"] for d in detects),
        "rings_median": statistics.median(d["rings_seconds"] for d in detects),
        "detect_peak_rss_mb": max(d["peak_rss_mb"] for d in detects),
        "limit_median": statistics.median(x["seconds"] for x in limits),
        "pair_group_by_median": statistics.median(x["pair_group_by_seconds"] for x in limits),
    }
    report["rows_per_second"] = report["rows"] / report["detect_median"]
    report["ratio_to_limit"] = report["detect_median"] / report["limit_median"]
    detected = json.loads((args.data / "bench" / "detected.json").read_text())
    report["quality"] = score(args.data, detected)
    if not args.skip_pandas:
        pandas = _run_phase(args, "pandas")
        found = json.loads((args.data / "bench" / "pandas.json").read_text())
        mine = {(r["platform"], r["shop"]): r["suspicious"] for r in detected["brushing"]}
        theirs = {(r["platform"], r["shop"]): r["suspicious"] for r in found}
        report["pandas"] = {
            "seconds": pandas["seconds"],
            "peak_rss_mb": pandas["peak_rss_mb"],
            "same_findings": mine == theirs,
        }
    report["oracle"] = _run_phase(args, "oracle")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
