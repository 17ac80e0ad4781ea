"""Benchmark: review-ring detection vs the FRAUDAR reference on the same 1 M-review graphs.

    python -m bench.detect_review_rings                     # 4 densities × 3 camouflages × 3 runs
    python -m bench.detect_review_rings --densities 0.05 --camouflages popular --repeats 1

For each (block density, camouflage) cell, bench/city_reviews.py writes one seeded lake partition
of 1 M reviews with one 200 × 200 ring. Then, alternately and each in a fresh process:
- ours: `detect_review_rings` on the partition opened as an Ibis table (DuckDB), everything
  included (pulling the edges, peeling, pulling and scoring the block reviews, findings);
  also, after it, the same scope as the reference: from the graph in memory to the blocks;
- reference: `fraudar.export.greedy.logWeightedAveDegree` (rgmining-fraudar, the authors' code
  ported to Python 3; `pip install -e '.[bench]'`) on the same distinct (reviewer, shop) pairs as
  a binary scipy matrix, timing the detection call only.
Flagged reviewers (ours: the reviewers named in findings; reference: the rows of its block) are
scored against the injected ring: precision, recall, F1. Also rows/s (reviews / detection time)
and peak RSS of each process (VmHWM, see bench/memory.py), and its growth during the detection
call.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.city_reviews import CAMOUFLAGES, Scenario, generate, write
from bench.memory import peak_rss_mb, rss_mb

DENSITIES = (0.05, 0.1, 0.2, 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--densities", default=",".join(map(str, DENSITIES)))
    parser.add_argument("--camouflages", default=",".join(CAMOUFLAGES))
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--child", choices=["ours", "reference"], help=argparse.SUPPRESS)
    parser.add_argument("--lake", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.lake)))
        return
    sides = ["ours"] if args.no_reference else ["ours", "reference"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="rings-bench-") as scratch:
        for density in map(float, args.densities.split(",")):
            for camouflage in args.camouflages.split(","):
                scenario = Scenario(density, camouflage, reviews=args.reviews, seed=args.seed)
                lake = Path(scratch) / f"{density}-{camouflage}"
                truth = _prepare(scenario, lake)
                runs = {side: [_run(side, lake) for _ in range(args.repeats)] for side in sides}
                rows.append(_summary(scenario, truth, runs))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    _print_table(rows, sides)


def _prepare(scenario: Scenario, lake: Path) -> set[str]:
    city = generate(scenario)
    write(city, lake)
    return set(city.ring_reviewers)


def _run(side: str, lake: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.detect_review_rings",
        "--child",
        side,
        "--lake",
        str(lake),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _child(side: str, lake: Path) -> dict[str, Any]:
    return _ours(lake) if side == "ours" else _reference(lake)


def _ours(lake: Path) -> dict[str, Any]:
    import ibis

    from ecredit.detection.review_rings import RingParameters, detect_review_rings

    con = ibis.duckdb.connect()
    cold = _warm_up(con, lake.parent / "warm-up")
    table = con.read_parquet(str(lake / "reviews" / "**" / "*.parquet"), hive_partitioning=True)
    before = rss_mb()
    start = time.perf_counter()
    findings = detect_review_rings(table, 1, RingParameters())
    seconds = time.perf_counter() - start
    flagged = sorted({name for f in findings for name in f.evidence["reviewers"]})
    result = _measure(seconds, before, flagged, table.count().execute(), len(findings))
    return {**result, "warm_up_seconds": cold, **_peeling_only(table)}


def _peeling_only(table: Any) -> dict[str, float]:
    """The reference's scope: from the graph in memory to the blocks (after the full run)."""
    from ecredit.detection.review_graph import build_graph
    from ecredit.detection.review_peeling import find_blocks
    from ecredit.detection.review_rings import RingParameters

    edges = table.select("reviewer_id", "shop_id").to_pyarrow()
    start = time.perf_counter()
    graph = build_graph(edges, RingParameters().column_offset)
    built = time.perf_counter()
    find_blocks(graph, RingParameters().peeling())
    return {"graph_seconds": built - start, "peel_seconds": time.perf_counter() - built}


def _warm_up(con: Any, lake: Path) -> float:
    """A first run on a small city with a ring, so that the modules, DuckDB's first query and
    Ibis's compilation paths are loaded before the timed run; returns its duration."""
    from ecredit.detection.review_rings import detect_review_rings

    small = Scenario(0.3, "random", reviews=20_000, shops=1_000, reviewers=8_000)
    small = dataclasses.replace(small, ring_reviewers=30, ring_shops=30)
    if not lake.exists():
        write(generate(small), lake)
    start = time.perf_counter()
    table = con.read_parquet(str(lake / "reviews" / "**" / "*.parquet"), hive_partitioning=True)
    assert detect_review_rings(table, 1), "the warm-up city's ring was not found"
    return time.perf_counter() - start


def _reference(lake: Path) -> dict[str, Any]:
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from fraudar.export import greedy  # type: ignore[import-untyped]
    from scipy import sparse  # type: ignore[import-untyped]

    files = sorted(lake.glob("reviews/**/*.parquet"))
    table = pq.read_table(files, columns=["reviewer_id", "shop_id"])
    pairs = table.group_by(["reviewer_id", "shop_id"]).aggregate([])
    rows = pc.dictionary_encode(pairs["reviewer_id"]).combine_chunks()
    cols = pc.dictionary_encode(pairs["shop_id"]).combine_chunks()
    shape = (len(rows.dictionary), len(cols.dictionary))
    matrix = sparse.csc_matrix(
        (np.ones(pairs.num_rows), (rows.indices.to_numpy(), cols.indices.to_numpy())), shape=shape
    )
    before = rss_mb()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the reference prints its progress
        (row_set, _), _ = greedy.logWeightedAveDegree(matrix)
    seconds = time.perf_counter() - start
    names = rows.dictionary.to_pylist()
    flagged = sorted(names[i] for i in row_set)
    return _measure(seconds, before, flagged, table.num_rows, 1)


def _measure(
    seconds: float, before: float, flagged: list[str], reviews: int, findings: int
) -> dict[str, Any]:
    peak = peak_rss_mb()
    return {
        "seconds": seconds,
        "reviews": int(reviews),
        "peak_rss_mb": peak,
        "rss_growth_mb": max(peak - before, 0.0),
        "flagged": flagged,
        "findings": findings,
    }


def _summary(
    scenario: Scenario, truth: set[str], runs: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    row: dict[str, Any] = {"density": scenario.density, "camouflage": scenario.camouflage}
    for side, results in runs.items():
        flagged = set(results[0]["flagged"])
        hit = len(flagged & truth)
        precision = hit / len(flagged) if flagged else 0.0
        recall = hit / len(truth)
        f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
        seconds = statistics.median(r["seconds"] for r in results)
        row[side] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "flagged": len(flagged),
            "seconds": [round(r["seconds"], 3) for r in results],
            "median_seconds": round(seconds, 3),
            "rows_per_s": round(results[0]["reviews"] / seconds),
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in results)),
            "rss_growth_mb": round(max(r["rss_growth_mb"] for r in results)),
            "stable": len({tuple(r["flagged"]) for r in results}) == 1,
        }
        if side == "ours":
            for extra in ("warm_up_seconds", "graph_seconds", "peel_seconds"):
                row[side][extra] = [round(r[extra], 3) for r in results]
    if "reference" in row:
        reference = row["reference"]["median_seconds"]
        row["speedup"] = round(reference / row["ours"]["median_seconds"], 1)
        peeling = statistics.median(r["peel_seconds"] for r in runs["ours"])
        row["speedup_peeling"] = round(reference / peeling, 1)
    return row


def _print_table(rows: list[dict[str, Any]], sides: list[str]) -> None:
    header = "| density | camouflage |"
    for side in sides:
        header += f" {side} P / R / F1 | {side} s (median) | {side} rows/s |"
        header += f" {side} peak RSS (+growth) MB |"
    if "reference" in sides:
        header += " speed-up, end to end | speed-up, peeling only |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for row in rows:
        line = f"| {row['density']:.0%} | {row['camouflage']} |"
        for side in sides:
            s = row[side]
            line += f" {s['precision']:.3f} / {s['recall']:.3f} / **{s['f1']:.3f}** |"
            line += f" {s['median_seconds']:.2f} | {s['rows_per_s']:,} |"
            line += f" {s['peak_rss_mb']} (+{s['rss_growth_mb']}) |"
        if "reference" in sides:
            line += f" {row['speedup']}× | {row['speedup_peeling']}× |"
        print(line)


if __name__ == "__main__":
    main()
