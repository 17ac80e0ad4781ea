"""Order brushing (C11, issue 6 item 2a): the Shopee Code League 2020 rule over lake orders.

The engine (DuckDB or Spark, through Ibis) narrows ten million orders to the few that can matter:
a brushing window holds ≥ 3 orders per buyer on average, so some buyer has ≥ 3 orders in it, and
a window shorter than L lies inside one 2L-long bucket of one of two grids offset by L. Only
(shop, buyer, bucket) groups with ≥ 3 orders ("hot buckets") can hold a brushing window. The
engine returns the shops' orders in and within L of their hot buckets; the exact rule then runs
on those (brushing_windows) and keeps the windows that lie inside a hot bucket, whose every
neighbour within L was fetched — so the findings equal the rule on the whole lake.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ecredit.detection.brushing_windows import (
    BoolArray,
    BrushingWindow,
    IntArray,
    ShopBrushing,
    find_brushing,
)
from ecredit.detection.finding import Finding

GRIDS = (0, 1)  # the two bucket grids, offset by one window length
_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class BrushingRule:
    window: timedelta = timedelta(hours=1)
    min_ratio: float = 3.0  # orders ÷ unique buyers at or above which a window brushes
    max_nearby: int = 500  # context orders listed per finding, nearest to a brushing window first

    @property
    def window_seconds(self) -> int:
        seconds = self.window.total_seconds()
        if seconds <= 0 or seconds != int(seconds):
            raise ValueError("window: must be a positive whole number of seconds")
        return int(seconds)


@ibis.udf.scalar.builtin(name="hash")  # type: ignore[untyped-decorator]
def _engine_hash(platform: dt.Int64, shop_id: str, buyer_id: str) -> dt.Int64:
    """The engine's own row hash (DuckDB: 64-bit, Spark: 32-bit murmur3)."""


def _pair_key(orders: ibis.Table) -> ibis.Value:
    # Folded into int64 on every engine; a collision only adds candidates, never hides one.
    hashed = _engine_hash(orders.platform.cast("int64"), orders.shop_id, orders.buyer_id)
    return (hashed % (1 << 62)).cast("int64")


def repeated_pairs(orders: ibis.Table, rule: BrushingRule) -> IntArray:
    """Keys of the (platform, shop, buyer) pairs with enough orders to brush in the whole lake.

    Ten million keys sort in numpy faster than an engine builds a ten-million-group hash table."""
    keys = np.sort(orders.select(pair=_pair_key(orders)).to_pyarrow()["pair"].to_numpy())
    needed = _needed(rule)
    repeated = keys[needed - 1 :][keys[needed - 1 :] == keys[: len(keys) - needed + 1]]
    return np.unique(repeated)


def _needed(rule: BrushingRule) -> int:
    """Orders ÷ buyers ≥ ratio means some buyer has at least ⌈ratio⌉ orders in the window."""
    return max(1, math.ceil(rule.min_ratio))


def hot_buckets(orders: ibis.Table, pairs: IntArray, rule: BrushingRule) -> pa.Table:
    """(platform, shop_id, grid, bucket) where one buyer has enough orders to brush."""
    wanted = ibis.memtable(pa.table({"pair": pa.array(pairs, pa.int64())}))
    rows = (
        orders.filter(_pair_key(orders).isin(wanted.pair))
        .select("platform", "shop_id", "buyer_id", "order_time")
        .to_pyarrow()
    )
    shops = _codes(rows["platform"], rows["shop_id"])
    buyers = rows["buyer_id"].combine_chunks().dictionary_encode()
    pair = shops.indices.to_numpy().astype(np.int64) * (len(buyers.dictionary) + 1) + (
        buyers.indices.to_numpy().astype(np.int64)
    )
    second = _micros(rows["order_time"]) // 1_000_000
    found = []
    for grid in GRIDS:
        bucket = (second + grid * rule.window_seconds) // (2 * rule.window_seconds)
        _, first, counts = np.unique(
            np.stack([pair, bucket]), axis=1, return_index=True, return_counts=True
        )
        hot = first[counts >= _needed(rule)]
        found.append(
            pa.table(
                {
                    "platform": rows["platform"].take(hot),
                    "shop_id": rows["shop_id"].take(hot),
                    "bucket": pa.array(bucket[hot], pa.int64()),
                    "grid": pa.array(np.full(len(hot), grid), pa.int64()),
                }
            )
        )
    return pa.concat_tables(found).group_by(["platform", "shop_id", "bucket", "grid"]).aggregate([])


def _slots(hot: pa.Table) -> pa.Table:
    """The L-long slots of each hot bucket and of the L before and after it."""
    bucket = hot["bucket"].to_numpy().astype(np.int64)
    base = 2 * bucket - hot["grid"].to_numpy().astype(np.int64)
    columns = {"platform": hot["platform"], "shop_id": hot["shop_id"]}
    parts = [pa.table({**columns, "slot": base + offset}) for offset in (-1, 0, 1, 2)]
    return pa.concat_tables(parts).group_by(["platform", "shop_id", "slot"]).aggregate([])


def candidate_orders(orders: ibis.Table, hot: pa.Table, rule: BrushingRule) -> pa.Table:
    """The orders of hot buckets' shops in and within one window of those buckets."""
    slots = _slots(hot)
    shops = ibis.memtable(slots.group_by(["platform", "shop_id"]).aggregate([]))
    # Narrow by shop first: engines push that filter into the Parquet scan.
    narrowed = orders.semi_join(shops, ["platform", "shop_id"])
    second = narrowed.order_time.truncate("s").epoch_seconds().cast("int64")
    slotted = narrowed.select(
        "platform",
        "shop_id",
        "buyer_id",
        "order_id",
        "order_time",
        slot=second // rule.window_seconds,
    )
    inside = slotted.view().semi_join(ibis.memtable(slots), ["platform", "shop_id", "slot"])
    return inside.drop("slot").to_pyarrow()


def _codes(platform: pa.ChunkedArray, code: pa.ChunkedArray) -> pa.DictionaryArray:
    joined = pc.binary_join_element_wise(pc.cast(platform, pa.string()), code, _SEPARATOR)
    return joined.combine_chunks().dictionary_encode()


def _micros(times: pa.ChunkedArray) -> IntArray:
    utc = pc.cast(times, pa.timestamp("us", tz="UTC"))
    micros: IntArray = pc.cast(utc, pa.int64()).to_numpy().astype(np.int64)
    return micros


@dataclass(frozen=True)
class _Encoded:
    shops: pa.DictionaryArray
    buyers: pa.DictionaryArray
    time_us: IntArray
    order_ids: list[str]

    @functools.cached_property
    def buyer_names(self) -> list[str]:
        names: list[str] = self.buyers.dictionary.to_pylist()
        return names

    @functools.cached_property
    def shop_codes(self) -> IntArray:
        codes: IntArray = self.shops.indices.to_numpy().astype(np.int64)
        return codes

    @functools.cached_property
    def buyer_codes(self) -> IntArray:
        codes: IntArray = self.buyers.indices.to_numpy().astype(np.int64)
        return codes

    @functools.cached_property
    def _by_shop(self) -> tuple[IntArray, IntArray]:
        """Rows sorted by shop code, and each row's shop code in that order."""
        order = np.argsort(self.shop_codes, kind="stable").astype(np.int64)
        return order, self.shop_codes[order]

    def shop_rows(self, shop: int) -> IntArray:
        order, codes = self._by_shop
        return order[np.searchsorted(codes, shop, "left") : np.searchsorted(codes, shop, "right")]

    def order_row(self, row: int) -> dict[str, str]:
        return {
            "order_id": self.order_ids[row],
            "buyer_id": self.buyer_names[self.buyer_codes[row]],
            "ordered_at": _instant(int(self.time_us[row])).isoformat(),
        }


def _hot_filter(hot: pa.Table, shops: pa.DictionaryArray, rule: BrushingRule) -> Any:
    """A window is admissible if its first and last order share a hot bucket of its shop."""
    width_us = 2 * rule.window_seconds * 1_000_000
    window_us = rule.window_seconds * 1_000_000
    shop_of = pc.index_in(_codes(hot["platform"], hot["shop_id"]), shops.dictionary)
    grid = hot["grid"].to_numpy().astype(np.int64)
    hot_keys = np.unique(
        (shop_of.to_numpy().astype(np.int64) * 2 + grid) * (1 << 32)
        + hot["bucket"].to_numpy().astype(np.int64)
    )

    def admissible(shop: IntArray, first_us: IntArray, last_us: IntArray) -> BoolArray:
        keep = np.zeros(len(shop), dtype=bool)
        for grid_index in GRIDS:
            first_bucket = (first_us // 1_000_000 * 1_000_000 + grid_index * window_us) // width_us
            last_bucket = (last_us // 1_000_000 * 1_000_000 + grid_index * window_us) // width_us
            key = (shop * 2 + grid_index) * (1 << 32) + first_bucket
            keep |= (first_bucket == last_bucket) & np.isin(key, hot_keys)
        return keep

    return admissible


def detect_brushing(orders: ibis.Table, rule: BrushingRule | None = None) -> list[Finding]:
    """Findings for every shop that brushes, one per shop, sorted by platform and shop code."""
    rule = rule or BrushingRule()
    pairs = repeated_pairs(orders, rule)
    if len(pairs) == 0:
        return []
    hot = hot_buckets(orders, pairs, rule)
    if hot.num_rows == 0:
        return []
    candidates = candidate_orders(orders, hot, rule)
    encoded = _Encoded(
        shops=_codes(candidates["platform"], candidates["shop_id"]),
        buyers=candidates["buyer_id"].combine_chunks().dictionary_encode(),
        time_us=_micros(candidates["order_time"]),
        order_ids=candidates["order_id"].to_pylist(),
    )
    found = find_brushing(
        encoded.shop_codes,
        encoded.buyer_codes,
        encoded.time_us,
        window_us=rule.window_seconds * 1_000_000,
        min_ratio=rule.min_ratio,
        admissible=_hot_filter(hot, encoded.shops, rule),
    )
    findings = [_finding(shop, encoded, rule) for shop in found]
    return sorted(findings, key=lambda finding: (finding.platform_id, finding.shop_code or ""))


def _instant(micros: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def _window_evidence(window: BrushingWindow, rule: BrushingRule) -> dict[str, Any]:
    return {
        "start": _instant(window.start_us).isoformat(),
        "end": (_instant(window.start_us) + rule.window).isoformat(),
        "first_order_at": _instant(window.first_order_us).isoformat(),
        "last_order_at": _instant(window.last_order_us).isoformat(),
        "orders": window.orders,
        "buyers": window.buyers,
    }


def _by_time(encoded: _Encoded, rows: list[int]) -> list[dict[str, str]]:
    rows = sorted(rows, key=lambda row: (int(encoded.time_us[row]), encoded.order_ids[row]))
    return [encoded.order_row(row) for row in rows]


def _distance_to_windows(shop: ShopBrushing, times: IntArray) -> IntArray:
    """Microseconds from each instant to the nearest brushing window's first..last order (0
    inside one): the nearest window is the last one starting at or before the instant (with the
    latest end among those) or the first one starting after it."""
    spans = sorted((window.first_order_us, window.last_order_us) for window in shop.windows)
    first = np.array([span[0] for span in spans], dtype=np.int64)
    last = np.maximum.accumulate(np.array([span[1] for span in spans], dtype=np.int64))
    before = np.searchsorted(first, times, side="right") - 1
    far = np.iinfo(np.int64).max
    after_end = np.where(before >= 0, times - last[np.maximum(before, 0)], far)
    following = np.minimum(before + 1, len(first) - 1)
    until_next = np.where(before + 1 < len(first), first[following] - times, far)
    distance: IntArray = np.maximum(np.minimum(after_end, until_next), 0)
    return distance


def _order_evidence(shop: ShopBrushing, encoded: _Encoded, rule: BrushingRule) -> dict[str, Any]:
    """Each order inside the brushing windows with its buyer and time, and the shop's other
    orders within one window length of a window (the context a reviewer compares against),
    nearest first up to `max_nearby`. All of those were fetched on every engine: a window lies in
    a hot bucket, and candidate_orders returns every order within one window length of it."""
    rows = encoded.shop_rows(shop.shop)
    rows = rows[~np.isin(rows, shop.order_rows)]
    distance = _distance_to_windows(shop, encoded.time_us[rows])
    near = distance <= rule.window_seconds * 1_000_000
    nearby = sorted(
        zip(distance[near].tolist(), rows[near].tolist(), strict=True),
        key=lambda pair: (pair[0], int(encoded.time_us[pair[1]]), encoded.order_ids[pair[1]]),
    )
    return {
        "order_rows": _by_time(encoded, shop.order_rows.tolist()),
        "nearby_orders": _by_time(encoded, [row for _, row in nearby[: rule.max_nearby]]),
        "nearby_total": len(nearby),
    }


def _finding(shop: ShopBrushing, encoded: _Encoded, rule: BrushingRule) -> Finding:
    platform, shop_code = str(encoded.shops.dictionary[shop.shop]).split(_SEPARATOR, 1)
    buyer_name = encoded.buyer_names
    total = sum(shop.buyer_orders.values())
    suspicious = sorted(buyer_name[buyer] for buyer in shop.suspicious)
    counts = {buyer_name[buyer]: count for buyer, count in shop.buyer_orders.items()}
    first = _instant(shop.windows[0].first_order_us)
    return Finding(
        detector="brushing",
        platform_id=int(platform),
        shop_code=shop_code,
        record_type="order_brushing",
        score=max(window.orders / window.buyers for window in shop.windows),
        key=(first.isoformat(),),
        window_start=min(_instant(window.start_us) for window in shop.windows),
        window_end=max(_instant(window.start_us) for window in shop.windows) + rule.window,
        evidence={
            "rule": {
                "window_seconds": rule.window_seconds,
                "min_ratio": rule.min_ratio,
                "window": "[start, start + window)",
            },
            "windows": [_window_evidence(window, rule) for window in shop.windows],
            "orders": sorted(encoded.order_ids[row] for row in shop.order_rows.tolist()),
            **_order_evidence(shop, encoded, rule),
            "buyers": dict(sorted(counts.items())),  # orders inside brushing windows
            "suspicious_buyers": [
                {"buyer_id": buyer, "orders": counts[buyer], "share": counts[buyer] / total}
                for buyer in suspicious
            ],
        },
    )
