"""A city's month of orders in the lake layout, with injected brushing and its ground truth.

    python -m bench.city_orders --out /tmp/city      # 10 M orders, 50 k shops, 2 M buyers, 30 days

Times are whole seconds (as in the Shopee data), so equal instants and exact-hour gaps occur.
Honest orders: shop sizes and buyer activity are lognormal, times follow a day curve, and 4 % of
orders are split baskets (a twin order by the same buyer at the same instant — two, never three).
Injected, on small and middle-sized shops (their hour holds ~0.1 honest orders):
- brushing episodes: 1–3 accounts place ≥ 3.5 orders per account within 5–45 minutes;
- evasive episodes, just under the rule: 2.5–2.9 orders per account (one account places 3+,
  so they pass the engine's narrowing and reach the exact rule);
- multi-shop rings: 3–6 accounts sharing a device or payment account that brush 2–5 shops of
  their platform (the account-ring detector's truth).
Truth: <out>/truth/episodes.parquet (one row per episode) and <out>/truth/rings.parquet.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

MINUTE_US = 60_000_000
DAY_US = 1440 * MINUTE_US
MONTH_START_US = 1_790_812_800_000_000  # 2026-10-01T00:00:00Z
PLATFORMS = 3
SEED = 20261128
FRAUD_ACCOUNTS = 30_000  # the last ids of the buyer range are reserved for brushing accounts
# Relative order volume per hour of the day (Beijing evening peak, shifted to UTC).
DAY_CURVE = np.array([6, 7, 8, 8, 7, 6, 6, 5, 4, 3, 3, 4, 6, 9, 11, 12, 10, 6, 3, 2, 2, 2, 3, 4])


@dataclass(frozen=True)
class CitySize:
    orders: int = 10_000_000
    shops: int = 50_000
    buyers: int = 2_000_000
    days: int = 30
    brushing_episodes: int = 2_000
    evasive_episodes: int = 1_000
    rings: int = 150


@dataclass
class Columns:
    """Orders as integer codes; strings are made once, at the end."""

    shop: list[np.ndarray]
    buyer: list[np.ndarray]
    time_us: list[np.ndarray]
    device: list[np.ndarray]  # −1: the buyer's own device
    payment: list[np.ndarray]  # −1: the buyer's own account

    def add(
        self,
        shop: np.ndarray,
        buyer: np.ndarray,
        time_us: np.ndarray,
        shared: int = -1,
        shared_kind: str = "",
    ) -> None:
        self.shop.append(shop)
        self.buyer.append(buyer)
        self.time_us.append(time_us)
        self.device.append(np.full(len(shop), shared if shared_kind == "device" else -1))
        self.payment.append(np.full(len(shop), shared if shared_kind == "payment" else -1))


def honest_orders(rng: np.random.Generator, size: CitySize, columns: Columns) -> np.ndarray:
    """Returns the shop weights; small shops are the ones brushing is injected into."""
    shop_weight = rng.lognormal(0, 1.5, size.shops)
    shop_weight /= shop_weight.sum()
    buyer_weight = rng.lognormal(0, 1.0, size.buyers - FRAUD_ACCOUNTS)
    buyer_weight /= buyer_weight.sum()
    injected = 12 * (size.brushing_episodes + size.evasive_episodes)
    singles = round((size.orders - injected) / 1.04)
    shop = rng.choice(size.shops, singles, p=shop_weight)
    buyer = rng.choice(size.buyers - FRAUD_ACCOUNTS, singles, p=buyer_weight)
    hour = rng.choice(24, singles, p=DAY_CURVE / DAY_CURVE.sum())
    day = rng.integers(0, size.days, singles)
    time_us = (
        MONTH_START_US
        + day * DAY_US
        + hour * 60 * MINUTE_US
        + rng.integers(0, 3600, singles) * 1_000_000
    )
    twins = rng.random(singles) < 0.04
    columns.add(
        np.concatenate([shop, shop[twins]]),
        np.concatenate([buyer, buyer[twins]]),
        np.concatenate([time_us, time_us[twins]]),
    )
    return shop_weight


@dataclass
class Truth:
    episodes: list[dict[str, object]]
    rings: list[dict[str, object]]


class Injector:
    def __init__(self, rng: np.random.Generator, size: CitySize, shop_weight: np.ndarray) -> None:
        self.rng = rng
        self.size = size
        quiet = shop_weight < np.quantile(shop_weight, 0.8)
        self.quiet_shops = [
            np.flatnonzero(quiet & (np.arange(size.shops) % PLATFORMS == p))
            for p in range(PLATFORMS)
        ]
        self.next_account = size.buyers - FRAUD_ACCOUNTS
        self.truth = Truth(episodes=[], rings=[])

    def accounts(self, count: int) -> list[int]:
        first = self.next_account
        self.next_account += count
        if self.next_account > self.size.buyers:
            raise ValueError("more brushing accounts than the reserved range holds")
        return list(range(first, self.next_account))

    def _start(self) -> int:
        latest = self.size.days * DAY_US - 2 * 60 * MINUTE_US
        return MONTH_START_US + int(self.rng.integers(3600, latest // 1_000_000)) * 1_000_000

    def brushing(
        self, columns: Columns, shop: int, members: list[int], ring: int = -1, shared_kind: str = ""
    ) -> None:
        others = self.rng.integers(1, 4, len(members) - 1)
        total = int(np.ceil(len(members) * self.rng.uniform(3.5, 6.0)))
        lead = max(total - int(others.sum()), int(others.max(initial=0)) + 1)
        counts = np.array([lead, *others.tolist()])
        buyer = np.repeat(np.array(members), counts)
        span = int(self.rng.integers(5, 46)) * MINUTE_US
        times = (
            self._start() + np.sort(self.rng.integers(0, span // 1_000_000, len(buyer))) * 1_000_000
        )
        buyer = self.rng.permutation(buyer)
        self._record(columns, "brushing", shop, buyer, times, members, ring, shared_kind)

    def evasive(self, columns: Columns, shop: int) -> None:
        """Round-robin turns: every stretch of the sequence stays under 3 orders per account."""
        members = self.accounts(int(self.rng.integers(2, 4)))
        length = 5 if len(members) == 2 else 8
        buyer = np.array([members[turn % len(members)] for turn in range(length)])
        span = int(self.rng.integers(5, 46)) * MINUTE_US
        times = (
            self._start()
            + np.sort(self.rng.choice(span // 1_000_000, length, replace=False)) * 1_000_000
        )
        self._record(columns, "evasive", shop, buyer, times, members, -1, "")

    def _record(
        self,
        columns: Columns,
        kind: str,
        shop: int,
        buyer: np.ndarray,
        times: np.ndarray,
        members: list[int],
        ring: int,
        shared_kind: str,
    ) -> None:
        columns.add(np.full(len(buyer), shop), buyer, times, ring, shared_kind)
        self.truth.episodes.append(
            {
                "episode_id": len(self.truth.episodes),
                "kind": kind,
                "platform": shop % PLATFORMS + 1,
                "shop_id": shop_code(shop),
                "ring_id": ring,
                "lead_buyer": buyer_code(members[0]),
                "buyers": [buyer_code(m) for m in members],
                "orders": len(buyer),
                "first_order_us": int(times.min()),
                "last_order_us": int(times.max()),
            }
        )

    def inject(self, columns: Columns) -> Truth:
        ring_episodes = 0
        for ring in range(self.size.rings):
            platform = ring % PLATFORMS
            members = self.accounts(int(self.rng.integers(3, 7)))
            shared_kind = "device" if ring % 2 else "payment"
            shops = self.rng.choice(
                self.quiet_shops[platform], int(self.rng.integers(2, 6)), replace=False
            )
            active: set[int] = set()
            for shop in shops.tolist():
                team = self.rng.permutation(members)[: int(self.rng.integers(1, 4))].tolist()
                self.brushing(columns, shop, team, ring, shared_kind)
                active.update(team)
                ring_episodes += 1
            # The ring as the data can show it: the accounts that brushed at least once.
            self.truth.rings.append(
                {
                    "ring_id": ring,
                    "platform": platform + 1,
                    "shared": shared_kind,
                    "shops": len(shops),
                    "members": [buyer_code(m) for m in sorted(active)],
                }
            )
        for _ in range(max(0, self.size.brushing_episodes - ring_episodes)):
            platform = int(self.rng.integers(PLATFORMS))
            shop = int(self.rng.choice(self.quiet_shops[platform]))
            self.brushing(columns, shop, self.accounts(int(self.rng.integers(1, 4))))
        for _ in range(self.size.evasive_episodes):
            platform = int(self.rng.integers(PLATFORMS))
            self.evasive(columns, int(self.rng.choice(self.quiet_shops[platform])))
        return self.truth


def _codes(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers, pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def shop_code(shop: int) -> str:
    return f"S{shop:06d}"


def buyer_code(buyer: int) -> str:
    return f"B{buyer:07d}"


def _attribute(prefix: str, own: np.ndarray, shared: np.ndarray, shared_prefix: str) -> pa.Array:
    mine = _codes(prefix, own, 7)
    ring = _codes(shared_prefix, np.maximum(shared, 0), 4)
    return pc.if_else(pa.array(shared >= 0), ring, mine)


def order_table(columns: Columns, size: CitySize) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    shop, buyer, time_us = (
        np.concatenate(c) for c in (columns.shop, columns.buyer, columns.time_us)
    )
    device, payment = np.concatenate(columns.device), np.concatenate(columns.payment)
    platform = shop % PLATFORMS + 1
    day = (time_us - MONTH_START_US) // DAY_US
    order = np.lexsort((time_us, day, platform))
    shop, buyer, time_us = shop[order], buyer[order], time_us[order]
    device, payment, platform, day = device[order], payment[order], platform[order], day[order]
    honest = buyer < size.buyers - FRAUD_ACCOUNTS  # households: honest pairs share an address
    household = np.where(honest & (buyer % 10 < 2), buyer - buyer % 2, buyer)
    table = pa.table(
        {
            "order_id": _codes("O", np.arange(len(shop)), 9),
            "shop_id": _codes("S", shop, 6),
            "buyer_id": _codes("B", buyer, 7),
            "order_time": pa.array(time_us, pa.int64()).cast(pa.timestamp("us", tz="UTC")),
            "amount": pa.array(buyer % 500 + 9, pa.int32()).cast(pa.decimal128(18, 2)),
            "item_id": pa.nulls(len(shop), pa.string()),
            "payment_account": _attribute("PA", buyer, payment, "PAR"),
            "device_id": _attribute("DV", buyer, device, "DVR"),
            "address_hash": _codes("AD", household, 7),
            "waybill_no": pa.nulls(len(shop), pa.string()),
        }
    )
    return table, platform, day


def write_lake(root: Path, table: pa.Table, platform: np.ndarray, day: np.ndarray) -> None:
    part = platform * 1000 + day
    bounds = np.flatnonzero(np.diff(part)) + 1
    starts, ends = np.concatenate([[0], bounds]), np.concatenate([bounds, [len(part)]])
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        date = np.datetime64(MONTH_START_US + int(day[start]) * DAY_US, "us").astype("M8[D]")
        folder = root / "orders" / f"platform={platform[start]}" / f"day={date}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(start, end - start), folder / "part-city.parquet.tmp")
        (folder / "part-city.parquet.tmp").rename(folder / "part-city.parquet")


def generate(out: Path, size: CitySize, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    columns = Columns([], [], [], [], [])
    shop_weight = honest_orders(rng, size, columns)
    truth = Injector(rng, size, shop_weight).inject(columns)
    table, platform, day = order_table(columns, size)
    write_lake(out / "lake", table, platform, day)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(truth.episodes), out / "truth" / "episodes.parquet")
    pq.write_table(pa.Table.from_pylist(truth.rings), out / "truth" / "rings.parquet")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--orders", type=int, default=CitySize.orders)
    parser.add_argument("--shops", type=int, default=CitySize.shops)
    parser.add_argument("--buyers", type=int, default=CitySize.buyers)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    scale = args.orders / CitySize.orders
    size = CitySize(
        orders=args.orders,
        shops=args.shops,
        buyers=args.buyers,
        brushing_episodes=max(20, round(2_000 * scale)),
        evasive_episodes=max(10, round(1_000 * scale)),
        rings=max(3, round(150 * scale)),
    )
    table = generate(args.out, size, args.seed)
    print(f"{table.num_rows} orders, {size.shops} shops, {size.buyers} buyers -> {args.out}")


if __name__ == "__main__":
    main()
