"""Running every detector over the lake: one plan that the recorded runs (the scheduled job, the
CLI) and the benchmark share, so a detector added here is run everywhere.

A detector whose dataset has no file yet is skipped with the reason, not failed: a platform that
never uploads traffic should not stop the brushing run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import ibis

from ecredit.detection.account_rings import detect_account_rings
from ecredit.detection.brushing import detect_brushing
from ecredit.detection.empty_parcels import detect_empty_parcels
from ecredit.detection.engine import Lake, LakeDatasetMissing
from ecredit.detection.fake_traffic import detect_fake_traffic
from ecredit.detection.finding import Finding
from ecredit.detection.price_fraud import detect_price_fraud
from ecredit.detection.review_rings import detect_review_rings

# A detector reads one dataset; it also sees what ran before it (account rings need brushing).
Detect = Callable[[ibis.Table, dict[str, list[Finding]]], list[Finding]]


@dataclass(frozen=True)
class Detector:
    name: str
    dataset: str
    detect: Detect


DETECTORS: tuple[Detector, ...] = (
    Detector("brushing", "orders", lambda orders, _: detect_brushing(orders)),
    Detector(
        "account_ring",
        "orders",
        lambda orders, before: detect_account_rings(orders, before.get("brushing", [])),
    ),
    Detector("review_ring", "reviews", lambda reviews, _: _review_rings(reviews)),
    Detector("fake_traffic", "traffic", lambda traffic, _: detect_fake_traffic(traffic)),
    Detector("empty_parcel", "shipments", lambda ships, _: detect_empty_parcels(ships)),
    Detector("price_fraud", "prices", lambda prices, _: detect_price_fraud(prices)),
)
NAMES = tuple(detector.name for detector in DETECTORS)


def _review_rings(reviews: ibis.Table) -> list[Finding]:
    """Review rings are searched per platform: a ring's accounts live on one platform."""
    platforms = reviews.select("platform").distinct().order_by("platform").to_pyarrow()
    return [
        finding
        for platform in platforms.column("platform").to_pylist()
        for finding in detect_review_rings(reviews, int(platform))
    ]


@dataclass
class DetectorRun:
    name: str
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str | None = None  # why it did not run (its dataset is empty)


def plan(only: Collection[str] = ()) -> list[Detector]:
    """The detectors named in `only` (all when empty) in dependency order, with those they need."""
    unknown = sorted(set(only) - set(NAMES))
    if unknown:
        raise ValueError(f"detectors: unknown {', '.join(unknown)} (known: {', '.join(NAMES)})")
    if "account_ring" in only and "brushing" not in only:
        only = {*only, "brushing"}  # rings are about the buyers of brushing windows
    return [detector for detector in DETECTORS if not only or detector.name in only]


def run_detectors(lake: Lake, only: Collection[str] = ()) -> list[DetectorRun]:
    """Run the detectors named in `only` (all when empty), in dependency order."""
    runs: list[DetectorRun] = []
    found: dict[str, list[Finding]] = {}
    for detector in plan(only):
        runs.append(run_detector(lake, detector, found))
        found[detector.name] = runs[-1].findings
    return runs


def run_detector(lake: Lake, detector: Detector, found: dict[str, list[Finding]]) -> DetectorRun:
    """One detector over its dataset; `found` holds the findings of those that ran before it."""
    started = time.perf_counter()
    try:
        table = lake.table(detector.dataset)
    except LakeDatasetMissing as missing:
        return DetectorRun(detector.name, skipped=str(missing))
    findings = detector.detect(table, found)
    return DetectorRun(detector.name, findings, time.perf_counter() - started)
