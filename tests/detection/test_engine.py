"""The engine opens lake datasets as Ibis tables; detectors give identical findings on DuckDB and
on Spark (local mode, one session per test run)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from pathlib import Path

import fsspec
import pytest

from ecredit.detection.account_rings import detect_account_rings
from ecredit.detection.brushing import detect_brushing
from ecredit.detection.engine import LakeDatasetMissing, open_lake
from ecredit.detection.run import run_detectors
from tests.detection.lake_fixture import random_lake, ring_lake, write_orders
from tests.detection.test_review_rings import named
from tests.detection.test_run import write_ring_reviews


def test_a_dataset_reads_with_its_partition_columns(tmp_path: Path) -> None:
    write_orders(tmp_path, ring_lake())
    table = open_lake(str(tmp_path)).table("orders")
    assert table.schema()["platform"].is_integer()
    assert table.schema()["day"].is_date()
    assert table.schema()["order_time"].is_timestamp()
    days = table.select("day").distinct().order_by("day").to_pyarrow()["day"].to_pylist()
    assert days[0] == dt.date(2026, 11, 1)
    assert table.count().to_pyarrow().as_py() == len(ring_lake())
    as_url = open_lake(tmp_path.as_uri()).table("orders")
    assert as_url.count().to_pyarrow().as_py() == len(ring_lake())


def test_a_lake_behind_an_fsspec_url(tmp_path: Path) -> None:
    write_orders(tmp_path, ring_lake())
    memory = fsspec.filesystem("memory")
    for path in tmp_path.rglob("*.parquet"):
        memory.pipe(f"/lake/{path.relative_to(tmp_path)}", path.read_bytes())
    table = open_lake("memory://lake").table("orders")
    assert [f.shop_code for f in detect_brushing(table)] == ["S1", "S2", "S3", "S4"]


def test_unknown_and_missing_datasets_are_named(tmp_path: Path) -> None:
    lake = open_lake(str(tmp_path))
    with pytest.raises(ValueError, match="dataset: must be one of"):
        lake.table("order")
    with pytest.raises(LakeDatasetMissing, match="reviews: no Parquet file"):
        lake.table("reviews")


def _require_spark() -> None:
    if importlib.util.find_spec("pyspark") is None:
        if os.environ.get("ECREDIT_REQUIRE_SPARK"):
            pytest.fail("ECREDIT_REQUIRE_SPARK is set but pyspark is not installed")
        pytest.skip("pyspark is not installed (pip install -e '.[spark]')")


@pytest.mark.spark
def test_brushing_and_rings_are_identical_on_duckdb_and_spark(tmp_path: Path) -> None:
    _require_spark()
    write_orders(tmp_path / "random", random_lake(seed=1))
    write_orders(tmp_path / "rings", ring_lake())
    for root in (tmp_path / "random", tmp_path / "rings"):
        duck = open_lake(str(root)).table("orders")
        spark = open_lake(str(root), "spark").table("orders")
        brushing = detect_brushing(duck)
        assert brushing
        assert detect_brushing(spark) == brushing
        assert detect_account_rings(spark, brushing) == detect_account_rings(duck, brushing)
    assert detect_account_rings(duck, brushing)


@pytest.mark.spark
def test_review_rings_are_identical_on_duckdb_and_spark(tmp_path: Path) -> None:
    _require_spark()
    ring = write_ring_reviews(tmp_path, platform=3, seed=1)
    duck = run_detectors(open_lake(str(tmp_path)), ["review_ring"])[0].findings
    spark = run_detectors(open_lake(str(tmp_path), "spark"), ["review_ring"])[0].findings
    assert len(named(duck) & ring) >= 0.9 * len(ring)
    assert spark == duck
