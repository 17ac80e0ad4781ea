"""Seeded city of traffic, shipments and prices with planted fraud and its ground truth.

    python -m bench.city_signals --out /tmp/signals --scale 0.1      # default scale 0.1

At scale 1: a month (720 hours) of hourly traffic for 50 000 shops (36 M rows), 10 M shipments and
the price history of 100 000 products (≈ 4 M rows); --scale multiplies the three counts (the month
stays a month). Files (platform 1, columns of the lake contract plus `platform`):
traffic.parquet, shipments.parquet, prices.parquet and truth_traffic / truth_shipments /
truth_prices.parquet with the planted events.

Planted: bot bursts (1 % of shops, 1–4 hours, 20–60× the shop's visits, orders as usual), brushing
bursts (1 % of shops, 1–3 night hours, orders ≈ the shop's hourly visits from 4–8× fewer accounts),
empty parcels (2 % of shops ship a quarter of their parcels empty, each with two or three of fast /
light / bare route, 5 % of them resold waybills shared with another shop), fabricated reference
prices (7 % of products, a third exceeding the base by one fen) and raise-then-discount (7 %, a
quarter with the promotion price equal to the pre-raise price). Honest near-misses: flash sales
(10–20× visits that convert), same-city parcels signed within 12 h, locker parcels with two scans,
merged shipments, misdeclared weights (each honest parcel has at most one of these), coupon sales
just outside the 7-day window, raises long before a promotion, raises followed by a real discount,
price cuts, reference prices exactly equal to the base.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bench.city_signal_prices import price_tables, shop_codes, timestamps

START = datetime(2026, 10, 1, tzinfo=UTC)
HOURS, DAY_US, HOUR_US = 720, 86_400_000_000, 3_600_000_000
START_US = int(START.timestamp() * 1_000_000)
# Visits by hour of day in China time (UTC+8): quiet nights, evening peak.
# fmt: off
DIURNAL_CN = np.array([0.5, 0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 0.9, 1.1, 1.2, 1.2,
                       1.1, 1.1, 1.2, 1.2, 1.1, 1.1, 1.2, 1.4, 1.6, 1.6, 1.3, 0.9])
# fmt: on
NIGHT_UTC = np.array([17, 18, 19, 20])  # 01:00–04:59 in China: diurnal 0.2–0.3
CARRIERS = np.array(["YTO", "ZTO", "STO", "YD", "JD"], dtype=object)


def traffic_tables(rng: np.random.Generator, shops: int) -> tuple[pa.Table, pa.Table]:
    base = np.clip(rng.lognormal(np.log(60), 1.0, shops), 0.5, None)
    conv = np.clip(rng.lognormal(np.log(0.03), 0.3, shops), 0.01, 0.1)
    diurnal = DIURNAL_CN[(np.arange(HOURS) + 8) % 24]
    lam = base[:, None] * diurnal[None, :]
    visits = rng.poisson(lam)
    orders = rng.binomial(visits, conv[:, None])
    order = rng.permutation(shops)
    bots, brushers, flash = np.split(
        order[: shops // 100 * 2 + shops // 200], [shops // 100, shops // 50]
    )
    truth = []
    for shop in bots:
        start, length = int(rng.integers(24, HOURS - 4)), int(rng.integers(1, 5))
        cells = slice(start, start + length)
        visits[shop, cells] = (base[shop] * rng.uniform(20, 60, length) + 300).astype(np.int64)
        truth.append((shop, "bot", start, length))
    for shop in brushers:
        day, length = int(rng.integers(1, 29)), int(rng.integers(1, 4))
        start = day * 24 + int(NIGHT_UTC[0])
        cells = slice(start, start + length)
        fake = (
            np.maximum(base[shop] * rng.uniform(0.6, 1.0, length), 10 * base[shop] * conv[shop])
            + 20
        ).astype(np.int64)
        orders[shop, cells] += fake
        visits[shop, cells] += (fake * rng.uniform(1.0, 1.2, length)).astype(np.int64)
        truth.append((shop, "brushing", start, length))
    for shop in flash:
        start, length = int(rng.integers(24, HOURS - 2)), int(rng.integers(1, 3))
        cells = slice(start, start + length)
        visits[shop, cells] = (base[shop] * rng.uniform(10, 20, length)).astype(np.int64) + 1
        orders[shop, cells] = rng.binomial(visits[shop, cells], min(conv[shop] * 2, 0.2))
    clicks = rng.poisson(visits * 1.5)
    buyers = orders - rng.binomial(orders, 0.05)
    for shop, kind, start, length in truth:
        if kind == "brushing":
            cells = slice(start, start + length)
            buyers[shop, cells] = np.ceil(orders[shop, cells] / rng.uniform(4, 8, length))
    codes = shop_codes(shops)
    hour_us = START_US + np.arange(HOURS, dtype=np.int64) * HOUR_US
    table = pa.table(
        {
            "platform": pa.array(np.ones(shops * HOURS, dtype=np.int64)),
            "shop_id": pa.DictionaryArray.from_arrays(
                np.repeat(np.arange(shops, dtype=np.int32), HOURS), codes
            ).cast(pa.string()),
            "hour": timestamps(np.tile(hour_us, shops)),
            "visits": visits.ravel(),
            "clicks": clicks.ravel(),
            "orders": orders.ravel(),
            "buyers": buyers.ravel(),
        }
    )
    truth_table = pa.table(
        {
            "platform": [1] * len(truth),
            "shop_id": [str(codes[s]) for s, *_ in truth],
            "kind": [k for _, k, _, _ in truth],
            "start": timestamps(np.array([hour_us[h] for _, _, h, _ in truth], dtype=np.int64)),
            "hours": [n for *_, n in truth],
        }
    )
    return table, truth_table


Parcels = dict[str, np.ndarray]  # one array per column, one element per shipment


def _honest_parcels(rng: np.random.Generator, count: int, shops: int) -> Parcels:
    weights = rng.lognormal(0, 1.0, shops)
    n_scans = rng.integers(4, 9, count)
    item = np.clip(rng.lognormal(np.log(500), 0.8, count), 20, None).astype(np.int64)
    routes = ["揽收" + ",运输" * (k - 3) + ",派送,签收" for k in range(9)]
    return {
        "shop": rng.choice(shops, size=count, p=weights / weights.sum()),
        "picked": START_US + rng.integers(0, 29 * DAY_US, count),
        "transit": 14 + rng.lognormal(np.log(30), 0.5, count),
        "item": item,
        "declared": (item * rng.uniform(1.05, 1.4, count) + 30).astype(np.int64),
        "scans": n_scans.astype(np.int32),
        "kinds": np.array(routes, dtype=object)[n_scans],
        "waybill": np.char.add("W", np.arange(count).astype(str)).astype(object),
        "carrier": np.arange(count) % len(CARRIERS),
    }


def _near_misses(rng: np.random.Generator, p: Parcels, idx: np.ndarray) -> np.ndarray:
    """At most one near-miss per honest parcel; returns the ones that get a merged second order."""
    category = rng.choice(5, size=idx.size, p=[0.94, 0.03, 0.01, 0.01, 0.01])
    same_city, locker, misdeclared = idx[category == 1], idx[category == 2], idx[category == 4]
    p["transit"][same_city] = rng.uniform(2, 11.9, same_city.size)
    p["scans"][same_city], p["kinds"][same_city] = 3, "揽收,派送,签收"
    p["scans"][locker], p["kinds"][locker] = 2, "揽收,签收"
    p["declared"][misdeclared] = np.floor(p["item"][misdeclared] * 0.05)
    return idx[category == 3]


def _plant_empty(rng: np.random.Generator, p: Parcels, idx: np.ndarray) -> None:
    """Two or three of fast, light and bare route on every planted parcel."""
    drop = rng.integers(0, 4, idx.size)  # 0–2: drop that signal, 3: keep all three
    fast, light, bare = (idx[drop != k] for k in range(3))
    p["transit"][fast] = rng.uniform(0.5, 11.0, fast.size)
    p["item"][light] = np.maximum(p["item"][light], 450)
    p["declared"][light] = rng.integers(5, 41, light.size)
    p["scans"][bare], p["kinds"][bare] = 2, "揽收,签收"


def _resell(rng: np.random.Generator, p: Parcels, idx: np.ndarray) -> None:
    """5 % of planted parcels reuse the waybill of a planted parcel of another shop, and show no
    other signal: the cross-shop waybill alone must find them."""
    chosen = rng.choice(idx, size=idx.size // 20, replace=False) if idx.size >= 40 else idx[:0]
    donors = rng.choice(np.setdiff1d(idx, chosen), size=chosen.size)  # donors keep theirs
    keep = p["shop"][donors] != p["shop"][chosen]
    chosen, donors = chosen[keep], donors[keep]
    p["waybill"][chosen], p["carrier"][chosen] = p["waybill"][donors], p["carrier"][donors]
    p["transit"][chosen] = 14 + rng.lognormal(np.log(30), 0.5, chosen.size)
    p["declared"][chosen] = (p["item"][chosen] * 1.1 + 30).astype(np.int64)
    p["scans"][chosen], p["kinds"][chosen] = 5, "揽收,运输,运输,派送,签收"


def shipment_tables(rng: np.random.Generator, count: int, shops: int) -> tuple[pa.Table, pa.Table]:
    p = _honest_parcels(rng, count, shops)
    brusher_shops = rng.choice(shops, size=max(shops // 50, 1), replace=False)
    planted = np.flatnonzero(np.isin(p["shop"], brusher_shops) & (rng.random(count) < 0.25))
    merged = _near_misses(rng, p, np.setdiff1d(np.arange(count), planted))
    _plant_empty(rng, p, planted)
    _resell(rng, p, planted)
    rows = np.concatenate([np.arange(count), merged])  # a merged parcel carries a second order
    order_ids = np.concatenate(
        [np.char.add("O", np.arange(count).astype(str)), np.char.add("M", merged.astype(str))]
    )
    item_known = rng.random(rows.size) > 0.02
    picked = p["picked"][rows]
    table = pa.table(
        {
            "platform": pa.array(np.ones(rows.size, dtype=np.int64)),
            "waybill_no": pa.array(p["waybill"][rows], pa.string()),
            "carrier_id": pa.array(CARRIERS[p["carrier"][rows]], pa.string()),
            "order_id": pa.array(order_ids),
            "shop_id": pa.array(shop_codes(shops)[p["shop"][rows]]),
            "declared_weight_g": p["declared"][rows],
            "item_weight_g": pa.array(p["item"][rows], mask=~item_known),
            "picked_up_at": timestamps(picked),
            "signed_at": timestamps(picked + (p["transit"][rows] * HOUR_US).astype(np.int64)),
            "scans": pa.array(p["scans"][rows], pa.int32()),
            "scan_kinds": pa.array(p["kinds"][rows], pa.string()),
        }
    )
    truth = table.take(pa.array(planted)).select(["carrier_id", "waybill_no", "order_id"])
    return table, truth


def write(out: Path, name: str, table: pa.Table) -> None:
    pq.write_table(table, out / f"{name}.parquet", row_group_size=1_000_000)
    print(f"{name}: {table.num_rows:,} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    shops = max(int(50_000 * args.scale), 200)
    traffic, truth = traffic_tables(rng, shops)
    write(args.out, "traffic", traffic)
    write(args.out, "truth_traffic", truth)
    del traffic
    shipments, truth = shipment_tables(rng, int(10_000_000 * args.scale), shops)
    write(args.out, "shipments", shipments)
    write(args.out, "truth_shipments", truth)
    del shipments
    prices, truth = price_tables(rng, int(100_000 * args.scale), shops)
    write(args.out, "prices", prices)
    write(args.out, "truth_prices", truth)


if __name__ == "__main__":
    main()
