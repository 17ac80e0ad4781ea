"""Small lake tables for the traffic, shipment and price detector tests, opened on an Ibis backend.

`lake_table` is the fixture the tests take: a function that turns rows into an Ibis table with the
lake contract's schema (plus the `platform` column a hive-partitioned read adds). It runs on DuckDB,
and on PySpark in local mode as well (the engine's one session per process) when
ECREDIT_REQUIRE_SPARK=1 (as CI sets it) or ECREDIT_TEST_SPARK=1.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ecredit.detection.engine import local_spark_session

TS = pa.timestamp("us", tz="UTC")
MONEY = pa.decimal128(18, 2)
PLATFORM = pa.field("platform", pa.int64())

SCHEMAS = {
    "traffic": pa.schema(
        [
            PLATFORM,
            pa.field("shop_id", pa.string()),
            pa.field("hour", TS),
            pa.field("visits", pa.int64()),
            pa.field("clicks", pa.int64()),
            pa.field("orders", pa.int64()),
            pa.field("buyers", pa.int64()),
        ]
    ),
    "shipments": pa.schema(
        [
            PLATFORM,
            pa.field("waybill_no", pa.string()),
            pa.field("carrier_id", pa.string()),
            pa.field("order_id", pa.string()),
            pa.field("shop_id", pa.string()),
            pa.field("declared_weight_g", pa.int64()),
            pa.field("item_weight_g", pa.int64()),
            pa.field("picked_up_at", TS),
            pa.field("signed_at", TS),
            pa.field("scans", pa.int32()),
            pa.field("scan_kinds", pa.string()),
        ]
    ),
    "prices": pa.schema(
        [
            PLATFORM,
            pa.field("shop_id", pa.string()),
            pa.field("product_id", pa.string()),
            pa.field("observed_at", TS),
            pa.field("price", MONEY),
            pa.field("kind", pa.string()),
            pa.field("reference_price", MONEY),
            pa.field("promotion_id", pa.string()),
        ]
    ),
}

LakeTable = Callable[[str, list[dict[str, Any]]], ir.Table]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def arrow_table(dataset: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[dataset]
    filled = [{"platform": 1, **row} for row in rows]
    return pa.Table.from_pylist(filled, schema=schema)


def _spark_backend() -> Any:
    return ibis.pyspark.connect(local_spark_session())


_WANT_SPARK = "1" in (os.environ.get("ECREDIT_REQUIRE_SPARK"), os.environ.get("ECREDIT_TEST_SPARK"))
_BACKENDS = ["duckdb", "pyspark"] if _WANT_SPARK else ["duckdb"]


@pytest.fixture(name="signals_backend", scope="session", params=_BACKENDS)
def signals_backend_fixture(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "pyspark":
        yield _spark_backend()
    else:
        yield ibis.duckdb.connect()


@pytest.fixture(name="lake_table")
def lake_table_fixture(signals_backend: Any, tmp_path: Path) -> LakeTable:
    """Rows written as Parquet and read back, as the detectors read the lake."""
    counter = iter(range(1_000_000))

    def open_table(dataset: str, rows: list[dict[str, Any]]) -> ir.Table:
        path = tmp_path / f"{dataset}_{next(counter)}.parquet"
        pq.write_table(arrow_table(dataset, rows), path)
        return signals_backend.read_parquet(str(path))

    return open_table
