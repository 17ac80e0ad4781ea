"""Running every detector over the lake: one plan that the recorded runs (the scheduled job, the
CLI) and the benchmark share, so a detector added here is run everywhere. Each detector takes
its parameters from one DetectorSettings (the defaults unless the caller gives others: the
recorded runs build them from the runtime parameters).

A detector whose dataset has no file yet is skipped with the reason, not failed: a platform that
never uploads traffic should not stop the brushing run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import ibis

from ecredit.detection.account_rings import RingRule, detect_account_rings
from ecredit.detection.brushing import BrushingRule, detect_brushing
from ecredit.detection.empty_parcels import EmptyParcelParams, detect_empty_parcels
from ecredit.detection.engine import Lake, LakeDatasetMissing
from ecredit.detection.fake_traffic import FakeTrafficParams, detect_fake_traffic
from ecredit.detection.finding import Finding
from ecredit.detection.price_fraud import PriceFraudParams, detect_price_fraud
from ecredit.detection.review_rings import RingParameters, detect_review_rings


@dataclass(frozen=True)
class DetectorSettings:
    """Every detector's parameters, one field per detector, named as the detector."""

    brushing: BrushingRule = field(default_factory=BrushingRule)
    account_ring: RingRule = field(default_factory=RingRule)
    review_ring: RingParameters = field(default_factory=RingParameters)
    fake_traffic: FakeTrafficParams = field(default_factory=FakeTrafficParams)
    empty_parcel: EmptyParcelParams = field(default_factory=EmptyParcelParams)
    price_fraud: PriceFraudParams = field(default_factory=PriceFraudParams)


DEFAULTS = DetectorSettings()
# A detector reads one dataset; it also sees what ran before it (account rings need brushing).
Detect = Callable[[ibis.Table, dict[str, list[Finding]], DetectorSettings], list[Finding]]


@dataclass(frozen=True)
class Detector:
    name: str
    dataset: str
    detect: Detect


DETECTORS: tuple[Detector, ...] = (
    Detector("brushing", "orders", lambda orders, _, s: detect_brushing(orders, s.brushing)),
    Detector(
        "account_ring",
        "orders",
        lambda orders, before, s: detect_account_rings(
            orders, before.get("brushing", []), s.account_ring
        ),
    ),
    Detector("review_ring", "reviews", lambda reviews, _, s: _review_rings(reviews, s)),
    Detector(
        "fake_traffic",
        "traffic",
        lambda traffic, _, s: detect_fake_traffic(traffic, s.fake_traffic),
    ),
    Detector(
        "empty_parcel", "shipments", lambda ships, _, s: detect_empty_parcels(ships, s.empty_parcel)
    ),
    Detector(
        "price_fraud", "prices", lambda prices, _, s: detect_price_fraud(prices, s.price_fraud)
    ),
)
NAMES = tuple(detector.name for detector in DETECTORS)


def _review_rings(reviews: ibis.Table, settings: DetectorSettings) -> list[Finding]:
    """Review rings are searched per platform: a ring's accounts live on one platform."""
    platforms = reviews.select("platform").distinct().order_by("platform").to_pyarrow()
    return [
        finding
        for platform in platforms.column("platform").to_pylist()
        for finding in detect_review_rings(reviews, int(platform), settings.review_ring)
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


def run_detectors(
    lake: Lake, only: Collection[str] = (), settings: DetectorSettings = DEFAULTS
) -> list[DetectorRun]:
    """Run the detectors named in `only` (all when empty), in dependency order."""
    runs: list[DetectorRun] = []
    found: dict[str, list[Finding]] = {}
    for detector in plan(only):
        runs.append(run_detector(lake, detector, found, settings))
        found[detector.name] = runs[-1].findings
    return runs


def run_detector(
    lake: Lake,
    detector: Detector,
    found: dict[str, list[Finding]],
    settings: DetectorSettings = DEFAULTS,
) -> DetectorRun:
    """One detector over its dataset; `found` holds the findings of those that ran before it."""
    started = time.perf_counter()
    try:
        table = lake.table(detector.dataset)
    except LakeDatasetMissing as missing:
        return DetectorRun(detector.name, skipped=str(missing))
    findings = detector.detect(table, found, settings)
    return DetectorRun(detector.name, findings, time.perf_counter() - started)
