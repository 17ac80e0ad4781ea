"""The two references the brushing benchmark sets beside the detector.

- `pandas_brushing`: how one would write the rule in pandas — read the lake, keep shops where a
  buyer has ≥ 3 orders, then per shop sweep the realisable windows with two pointers in Python.
- `oracle_differences`: the brute-force definition (brushing_oracle) on every small shop and on
  every shop the detector or the truth names, compared with the detector's findings.
"""

from __future__ import annotations

import bisect
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.dataset as ds

from ecredit.detection.brushing_oracle import OracleShop, oracle_shop
from ecredit.detection.brushing_windows import HOUR_US

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NAMED_MAX_ORDERS = 3000  # the oracle's instant × order matrix stays under ~100 MB
COLUMNS = ["platform", "shop_id", "buyer_id", "order_id", "order_time"]


def _read(orders: Path) -> pd.DataFrame:
    table = ds.dataset(orders, format="parquet", partitioning="hive").to_table(columns=COLUMNS)
    frame = table.to_pandas()
    frame["micros"] = frame["order_time"].astype("int64")
    return frame


def _sweep(times: list[int], buyers: list[str]) -> tuple[set[int], list[tuple[int, int]]]:
    """Realisable windows over the shop's distinct instants with two pointers; returns the rows
    inside brushing windows and those windows as (first row, last row)."""
    instants = sorted(set(times))
    rows_at: dict[int, list[int]] = {}
    for row, time in enumerate(times):
        rows_at.setdefault(time, []).append(row)
    held: Counter[str] = Counter()
    size, left, right = 0, 0, -1
    brushing: list[tuple[int, int]] = []
    for start, time in enumerate(instants):
        lowest = (
            start
            if start == 0
            else bisect.bisect_right(instants, instants[start - 1] + HOUR_US) - 1
        )
        highest = bisect.bisect_left(instants, time + HOUR_US) - 1
        while left < start:
            for row in rows_at[instants[left]]:
                held[buyers[row]] -= 1
                if held[buyers[row]] == 0:
                    del held[buyers[row]]
                size -= 1
            left += 1
        for end in range(max(start, lowest), highest + 1):
            while right < end:
                right += 1
                for row in rows_at[instants[right]]:
                    held[buyers[row]] += 1
                    size += 1
            if size >= 3 * len(held):
                brushing.append((start, end))
    inside = {
        row for first, last in brushing for at in instants[first : last + 1] for row in rows_at[at]
    }
    return inside, brushing


def pandas_brushing(orders: Path) -> list[dict[str, Any]]:
    frame = _read(orders)
    per_pair = frame.groupby(["platform", "shop_id", "buyer_id"], observed=True).size()
    shops = per_pair[per_pair >= 3].reset_index()[["platform", "shop_id"]].drop_duplicates()
    candidates = frame.merge(shops, on=["platform", "shop_id"])
    found = []
    for (platform, shop), group in candidates.groupby(["platform", "shop_id"], observed=True):
        buyers = group["buyer_id"].tolist()
        inside, _ = _sweep(group["micros"].tolist(), buyers)
        if inside:
            counts = Counter(buyers[row] for row in inside)
            top = max(counts.values())
            found.append(
                {
                    "platform": int(platform),
                    "shop": shop,
                    "suspicious": sorted(b for b, c in counts.items() if c == top),
                }
            )
    return found


def _shops(orders: Path) -> tuple[dict[tuple[int, str], slice], dict[str, np.ndarray]]:
    table = ds.dataset(orders, format="parquet", partitioning="hive").to_table(columns=COLUMNS)
    table = table.sort_by([("platform", "ascending"), ("shop_id", "ascending")])
    columns = {
        "platform": table["platform"].to_numpy(),
        "shop": table["shop_id"].to_numpy(zero_copy_only=False),
        "buyer": pc.cast(table["buyer_id"], "string").to_numpy(zero_copy_only=False),
        "order": table["order_id"].to_numpy(zero_copy_only=False),
        "micros": pc.cast(table["order_time"], "int64").to_numpy(),
    }
    key = np.char.add(columns["platform"].astype(str), columns["shop"].astype(str))
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    spans = {
        (int(columns["platform"][a]), str(columns["shop"][a])): slice(int(a), int(b))
        for a, b in zip(starts, ends, strict=True)
    }
    return spans, columns


def _iso(micros: int) -> str:
    return (EPOCH + timedelta(microseconds=micros)).isoformat()


def _oracle_view(
    result: OracleShop, order_ids: np.ndarray, names: list[str], micros: list[int]
) -> dict[str, Any]:
    """The oracle's answer in the detector's terms: order ids, buyer ids, window first/last."""
    return {
        "orders": sorted(order_ids[sorted(result.order_rows)].tolist()),
        "suspicious": [names[buyer] for buyer in result.suspicious],
        "windows": sorted(
            [_iso(min(micros[row] for row in window)), _iso(max(micros[row] for row in window))]
            for window in result.windows
        ),
    }


def oracle_differences(
    orders: Path, detected: list[dict[str, Any]], named: set[tuple[int, str]], max_orders: int
) -> dict[str, Any]:
    spans, columns = _shops(orders)
    found = {(row["platform"], row["shop"]): row for row in detected}
    size = {key: span.stop - span.start for key, span in spans.items()}
    chosen = [
        key
        for key in spans
        if size[key] <= max_orders
        or ((key in found or key in named) and size[key] <= NAMED_MAX_ORDERS)
    ]
    too_big = sorted(key for key in set(found) | named if size.get(key, 0) > NAMED_MAX_ORDERS)
    differences: list[str] = []
    checked_orders = 0
    for key in chosen:
        span = spans[key]
        buyers = columns["buyer"][span].tolist()
        micros = columns["micros"][span].tolist()
        checked_orders += len(buyers)
        names = sorted(set(buyers))
        code = {name: index for index, name in enumerate(names)}
        result = oracle_shop([(row, code[buyer], micros[row]) for row, buyer in enumerate(buyers)])
        expected = (
            None if result is None else _oracle_view(result, columns["order"][span], names, micros)
        )
        got = found.get(key)
        got_view = (
            None
            if got is None
            else {
                "orders": sorted(got["orders"]),
                "suspicious": got["suspicious"],
                "windows": sorted(got["windows"]),
            }
        )
        if got_view != expected:
            differences.append(f"{key}: detector {got_view} oracle {expected}")
    return {
        "shops_checked": len(chosen),
        "orders_checked": checked_orders,
        "named_shops_too_big_for_the_oracle": len(too_big),
        "differences": differences[:20],
        "difference_count": len(differences),
    }
