"""Opens the lake's datasets as Ibis tables on an engine: embedded DuckDB (default) or PySpark.

The lake layout (docs/detection.md, lake contract): `<root>/<dataset>/platform=<id>/day=<date>/
part-<batch>.parquet`, hive-partitioned, so every table also has `platform` (int) and `day`
(date) columns. The root is any fsspec URL or a local path. Detectors receive the tables and
never know which engine runs them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import fsspec
import ibis
from ibis.backends import BaseBackend

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DATASETS = ("orders", "reviews", "traffic", "prices", "shipments")


class EngineKind(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


class LakeDatasetMissing(LookupError):
    """The lake has no file for a dataset the detector needs."""


@dataclass(frozen=True)
class Lake:
    """A lake root bound to one engine's connection."""

    root: str
    engine: EngineKind
    connection: BaseBackend

    def table(self, dataset: str) -> ibis.Table:
        if dataset not in DATASETS:
            raise ValueError(f"dataset: must be one of {', '.join(DATASETS)}, not {dataset!r}")
        path = f"{self.root.rstrip('/')}/{dataset}"
        filesystem, local_path = fsspec.core.url_to_fs(path)
        if not filesystem.glob(f"{local_path}/**/*.parquet"):
            raise LakeDatasetMissing(f"{dataset}: no Parquet file under {path}")
        if _is_local(filesystem):
            path = local_path  # a plain path: file:// URLs are fsspec's, not every engine's
        if self.engine is EngineKind.SPARK:
            # Spark discovers platform=/day= partitions itself (basePath keeps them as columns).
            return self.connection.read_parquet(path, basePath=path)
        return self.connection.read_parquet(
            f"{path}/**/*.parquet", hive_partitioning=True, table_name=f"lake_{dataset}"
        )


def open_lake(
    root: str, engine: EngineKind | str = EngineKind.DUCKDB, spark_master: str = "local[2]"
) -> Lake:
    """Bind the lake at `root` (Settings.lake_url) to DuckDB, or to the process's Spark session
    (local mode by default: a cluster's master URL works the same way)."""
    kind = EngineKind(engine)
    if kind is EngineKind.SPARK:
        connection: BaseBackend = ibis.pyspark.connect(local_spark_session(spark_master))
    else:
        connection = ibis.duckdb.connect()
        connection.raw_sql("SET TimeZone = 'UTC'")
        filesystem, _ = fsspec.core.url_to_fs(root)
        if not _is_local(filesystem):
            connection.con.register_filesystem(filesystem)
    return Lake(root=root, engine=kind, connection=connection)


def _is_local(filesystem: Any) -> bool:
    protocol = filesystem.protocol
    protocols = protocol if isinstance(protocol, tuple) else (protocol,)
    return "file" in protocols or "local" in protocols


@functools.cache
def local_spark_session(master: str = "local[2]") -> SparkSession:
    """One Spark session per process and master (start-up costs ≈ 15 s), in UTC like the lake."""
    from pyspark.sql import SparkSession

    builder: Any = SparkSession.builder
    session: SparkSession = (
        builder.master(master)
        .appName("ecredit-detection")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    return session
