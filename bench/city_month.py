"""A city's month, end to end, in one seeded command: generate every dataset, score every
detector against its planted truth, then run all detectors together over the whole lake.

    python -m bench.city_month --out /tmp/city-month            # full size: 10 M orders …
    python -m bench.city_month --out /tmp/city-small --small     # a quick look (1 M orders)

Steps (each a process of its own, so each peak memory is its own; a dataset already generated
under --out is reused):
1. `bench.city_orders`: orders (10 M, 50 k shops, 2 M buyers) with brushing episodes — evasive
   ones just under the threshold, multi-shop rings — and shared accounts, devices, addresses;
2. `bench.city_signals --scale 1`: traffic (36 M shop-hours), 10 M shipments and ~4 M price rows
   with bot and brushing bursts, empty parcels, fabricated and raise-then-discount prices,
   re-partitioned here into the lake layout (platform=/day=) next to the orders (<out>/lake);
3. `bench.city_reviews`: 1 M reviews with a 5 %-density ring camouflaged on popular shops (the
   hardest cell) for the whole month's lake;
4. the scorers (`bench.detect_brushing`, `bench.detect_signals`, `bench.detect_review_rings` —
   the last over its own 4 densities × 3 camouflages, side by side with rgmining-fraudar, which
   `pip install -e '.[bench]'` brings): precision, recall, F1, rows/s and peak memory per
   detector, with their references;
5. the whole month: `ecredit.detection.run.run_detectors` over the lake on DuckDB, as the daily
   job runs it — each detector's time and findings, and the process's peak RSS (the "whole
   month within 24 GiB" figure).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from bench.memory import peak_rss_mb

# The time column that decides a row's day partition, per signal dataset.
DAY_OF = {"traffic": "hour", "shipments": "picked_up_at", "prices": "observed_at"}


def _step(title: str, *args: str) -> None:
    print(f"\n== {title}: python -m {' '.join(args)}", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", *args], check=True)
    print(f"== {title}: {time.perf_counter() - started:.1f} s", flush=True)


def _to_lake(signals: Path, lake: Path) -> None:
    """The generator's flat files as hive partitions by platform and day (the lake contract)."""
    for dataset, time_column in DAY_OF.items():
        if (lake / dataset).exists():
            continue
        table = pq.read_table(signals / f"{dataset}.parquet")
        day = pc.strftime(table[time_column], format="%Y-%m-%d")
        ds.write_dataset(
            table.append_column("day", day),
            lake / dataset,
            format="parquet",
            partitioning=["platform", "day"],
            partitioning_flavor="hive",
            basename_template="part-bench-{i}.parquet",
        )


def _generate(out: Path, small: bool) -> None:
    orders = ["--orders", "1000000", "--shops", "5000", "--buyers", "200000"] if small else []
    if not (out / "lake" / "orders").exists():
        _step("orders", "bench.city_orders", "--out", str(out), *orders)
    if not (out / "signals").exists():
        scale = "0.1" if small else "1"
        _step("signals", "bench.city_signals", "--out", str(out / "signals"), "--scale", scale)
    _to_lake(out / "signals", out / "lake")
    if not (out / "lake" / "reviews").exists():
        reviews = ["--reviews", "100000"] if small else []
        _step("reviews", "bench.city_reviews", "--out", str(out / "lake"), "--density", "0.05",
              "--camouflage", "popular", *reviews)  # fmt: skip


def _whole_month(out: Path) -> None:
    """Child: every detector over the whole lake, as the daily job runs them."""
    from ecredit.detection.engine import open_lake
    from ecredit.detection.run import run_detectors

    runs = run_detectors(open_lake(str(out / "lake")))
    summary = {run.name: {"findings": len(run.findings), "seconds": round(run.seconds, 2),
                          "skipped": run.skipped} for run in runs}  # fmt: skip
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    peak = peak_rss_mb() / 1024
    rows = sum(pq.ParquetDataset(out / "lake" / name).read(columns=[]).num_rows
               for name in ("orders", "reviews", "traffic", "shipments", "prices")
               if (out / "lake" / name).exists())  # fmt: skip
    print(
        f"whole month: {rows:,} rows, all detectors {sum(r.seconds for r in runs):.1f} s, "
        f"peak RSS of this process {peak:.2f} GiB (limit 24 GiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--small", action="store_true", help="1 M orders: a quick look")
    parser.add_argument("--no-scorers", action="store_true", help="generate, then step 5 only")
    parser.add_argument("--whole-month-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.whole_month_only:
        _whole_month(args.out)
        return
    _generate(args.out, args.small)
    if not args.no_scorers:
        _score(args)
    _step("whole month", "bench.city_month", "--out", str(args.out), "--whole-month-only")


def _score(args: argparse.Namespace) -> None:
    _step("brushing", "bench.detect_brushing", "--data", str(args.out), "--repeat", "3")
    _step("signals", "bench.detect_signals", "--data", str(args.out / "signals"))
    cells = ["--reviews", "100000", "--repeats", "1"] if args.small else []
    _step("review rings", "bench.detect_review_rings", *cells)


if __name__ == "__main__":
    main()
