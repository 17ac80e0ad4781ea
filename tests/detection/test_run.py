"""`run_detectors` over a lake on disk: review rings are searched per platform partition."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from ecredit.detection.engine import open_lake
from ecredit.detection.run import run_detectors
from tests.detection.test_review_rings import honest_city, named, plant_ring


def write_ring_reviews(root: Path, platform: int, seed: int) -> set[str]:
    """An honest city's reviews with one planted ring, as one lake partition; the ring."""
    rng = np.random.default_rng(seed)
    data = honest_city(rng)
    ring, _shops = plant_ring(data, rng)
    folder = root / "reviews" / f"platform={platform}" / "day=2026-09-01"
    folder.mkdir(parents=True)
    pq.write_table(data.table().to_pyarrow().drop(["platform"]), folder / "part-test.parquet")
    return ring


def test_review_rings_are_found_on_each_platform_of_the_lake(tmp_path: Path) -> None:
    rings = {
        7: write_ring_reviews(tmp_path, 7, seed=1),
        9: write_ring_reviews(tmp_path, 9, seed=2),
    }
    (run,) = run_detectors(open_lake(str(tmp_path)), ["review_ring"])
    assert run.skipped is None
    for platform, ring in rings.items():
        found = [f for f in run.findings if f.platform_id == platform]
        assert len(named(found) & ring) >= 0.9 * len(ring)
