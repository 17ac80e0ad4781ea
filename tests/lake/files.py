"""Upload files for the lake tests: orders as NDJSON, CSV or Parquet, some rows broken."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ["order_id", "shop_id", "buyer_id", "order_time", "amount", "item_id"]


def order(n: int, **values: Any) -> dict[str, Any]:
    """A valid order; days alternate between 1 and 2 March 2026 (UTC)."""
    day = 1 + n % 2
    return {"order_id": f"o{n}", "shop_id": "S1", "buyer_id": f"b{n}",
            "order_time": f"2026-03-0{day}T10:00:00+08:00", "amount": "19.90",
            "item_id": None} | values  # fmt: skip


def orders(count: int, broken: dict[int, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """`count` orders; `broken` replaces values of some rows (by index from 0)."""
    broken = broken or {}
    return [order(n, **broken.get(n, {})) for n in range(count)]


def ndjson(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


def csv_file(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    return path


def parquet(path: Path, rows: list[dict[str, Any]], row_group_size: int | None = None) -> Path:
    columns = {name: pa.array([row[name] for row in rows], pa.string()) for name in COLUMNS}
    pq.write_table(pa.table(columns), path, row_group_size=row_group_size)
    return path
