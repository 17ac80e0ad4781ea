"""Price histories with planted fake discounts for bench/city_signals.py (see its docstring).

Each product is listed every 3 days, sells about 0.8 times a day (5 % of sales with a 10 % coupon)
and has one three-day promotion starting on day 40–50 of a 60-day history. Its reference price is
the Art. 21 base (the lowest sale in [t0 − 7 d, t0), else the last sale) unless a fraud is planted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

DAY, HOUR, MICRO = 86_400_000_000, 3_600_000_000, 1
PRICE_START_US = 1_788_220_800_000_000  # 2026-09-01T00:00:00Z
TS = pa.timestamp("us", tz="UTC")
# category: share of products
CATEGORIES = {
    "honest": 0.70,
    "raise_long_before": 0.08,
    "raise_real_discount": 0.05,
    "price_cut": 0.03,
    "fabricated_reference": 0.07,
    "raise_then_discount": 0.07,
}


def timestamps(micros: np.ndarray) -> pa.Array:
    return pa.array(micros.astype(np.int64), type=pa.int64()).cast(TS)


def shop_codes(count: int) -> np.ndarray:
    return np.char.add("S", np.arange(count).astype(str))


def money(cents: np.ndarray) -> pa.Array:
    """decimal128(18, 2) from integer cents: the unscaled value of a scale-2 decimal is cents."""
    words = np.zeros((cents.size, 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, 2), cents.size, [None, pa.py_buffer(words)])


@dataclass
class Product:
    t0: int
    price: int
    listed: list[tuple[int, int]] = field(default_factory=list)  # (from time, listed price)
    sales: list[tuple[int, int]] = field(default_factory=list)

    def listed_at(self, at: int) -> int:
        return [p for start, p in self.listed if start <= at][-1]

    def base(self) -> int | None:
        """Art. 21: lowest sale in [t0 − 7 d, t0); else the lowest sale at the last instant."""
        window = [p for at, p in self.sales if self.t0 - 7 * DAY <= at < self.t0]
        if window:
            return min(window)
        earlier = [(at, p) for at, p in self.sales if at < self.t0]
        if not earlier:
            return None
        last = max(at for at, _ in earlier)
        return min(p for at, p in earlier if at == last)


def _history(rng: np.random.Generator, product: Product, category: str) -> int:
    """Listed prices and sales before t0; returns the price a planted raise started from."""
    p, t0 = product.price, product.t0
    product.listed = [(0, p)]
    if category == "raise_long_before":
        product.listed.append((t0 - 20 * DAY, p * 12 // 10))
    elif category == "raise_real_discount":
        product.listed.append((t0 - int(rng.uniform(1, 5) * DAY), p * 13 // 10))
        product.sales.append((t0 - 6 * DAY, p))
    elif category == "price_cut":
        product.listed.append((t0 - int(rng.uniform(1, 6) * DAY), p * 85 // 100))
    raise_at = t0 - int(rng.uniform(1, 6.9) * DAY)
    if category == "raise_then_discount":
        product.listed.append((raise_at, p * 3 // 2))
    for at in np.sort(rng.integers(0, t0, rng.poisson(0.8 * t0 / DAY))):
        listed = product.listed_at(int(at))
        coupon = rng.random() < 0.05
        product.sales.append((int(at), listed * 9 // 10 if coupon else listed))
    if category == "raise_then_discount":  # nothing sold between t0 − 7 d and the raise
        product.sales = [(a, s) for a, s in product.sales if not t0 - 7 * DAY <= a < raise_at]
        product.sales.append((raise_at + HOUR, p * 3 // 2))
    return p


def _promotion(rng: np.random.Generator, product: Product, category: str) -> tuple[int | None, int]:
    """The reference and promotion price shown; planted frauds break the rule on purpose."""
    if category == "fabricated_reference":
        if product.base() is None:
            product.sales.append((product.t0 - 2 * DAY, product.price))
        if rng.random() < 1 / 3:
            return product.base() + 1, product.base() * 9 // 10  # type: ignore[operator]
        if rng.random() < 0.5:  # a coupon sale exactly 7 days before lowers the base
            product.sales.append((product.t0 - 7 * DAY, product.price * 9 // 10))
            return product.price, product.price * 95 // 100
        return int(product.base() * rng.uniform(1.05, 1.5)), product.price * 8 // 10  # type: ignore[operator]
    if category == "honest" and rng.random() < 0.1:  # a coupon sale just outside the window
        product.sales.append((product.t0 - 7 * DAY - MICRO, product.price * 9 // 10))
    base = product.base()
    reference = base if base is not None else product.price
    if category == "raise_then_discount":
        pre_raise = product.price
        promo = pre_raise if rng.random() < 0.25 else int(pre_raise * rng.uniform(1.0, 1.4))
        return reference, promo
    if category == "honest" and rng.random() < 0.1:
        return None, int(product.price * rng.uniform(0.7, 0.95))
    return reference, min(int(reference * rng.uniform(0.7, 0.95)), product.price * 95 // 100)


def price_tables(rng: np.random.Generator, products: int, shops: int) -> tuple[pa.Table, pa.Table]:
    names, shares = list(CATEGORIES), np.array(list(CATEGORIES.values()))
    categories = rng.choice(len(names), size=products, p=shares / shares.sum())
    cols: dict[str, list] = {k: [] for k in ("product", "at", "cents", "kind", "ref", "promo")}
    truth: list[tuple[int, str]] = []
    for k in range(products):
        category = names[categories[k]]
        t0 = int(rng.integers(40 * DAY, 50 * DAY))
        product = Product(t0=t0, price=int(rng.lognormal(np.log(8000), 0.8)) + 100)
        _history(rng, product, category)
        reference, promo = _promotion(rng, product, category)
        rows = [(at, p, "listed") for at, p in product.listed] + [
            (at, product.listed_at(at), "listed") for at in range(3 * DAY, t0, 3 * DAY)
        ]
        rows += [(at, p, "transaction") for at, p in product.sales]
        rows += [(t0 + d * DAY + HOUR, promo, "transaction") for d in range(3)]
        for at, p, kind in rows:
            _append(cols, k, at, p, kind, None, None)
        for d in range(3):
            _append(cols, k, t0 + d * DAY, promo, "promotion", reference, f"PR{k}")
        if category in ("fabricated_reference", "raise_then_discount"):
            truth.append((k, category))
    return _price_table(cols, shops), _truth_table(truth, shops)


def _append(cols: dict[str, list], k: int, at: int, cents: int, kind: str,
            ref: int | None, promo: str | None) -> None:  # fmt: skip
    for name, value in zip(cols, (k, at, cents, kind, ref, promo), strict=True):
        cols[name].append(value)


def _price_table(cols: dict[str, list], shops: int) -> pa.Table:
    product = np.array(cols["product"])
    ref = np.array([-1 if r is None else r for r in cols["ref"]], dtype=np.int64)
    return pa.table(
        {
            "platform": pa.array(np.ones(product.size, dtype=np.int64)),
            "shop_id": pa.array(shop_codes(shops)[product % shops]),
            "product_id": pa.array(np.char.add("P", product.astype(str))),
            "observed_at": timestamps(PRICE_START_US + np.array(cols["at"], dtype=np.int64)),
            "price": money(np.array(cols["cents"], dtype=np.int64)),
            "kind": pa.array(cols["kind"], pa.string()),
            "reference_price": pa.compute.if_else(
                pa.array(ref >= 0), money(np.maximum(ref, 0)), pa.scalar(None, pa.decimal128(18, 2))
            ),
            "promotion_id": pa.array(cols["promo"], pa.string()),
        }
    )


def _truth_table(truth: list[tuple[int, str]], shops: int) -> pa.Table:
    return pa.table(
        {
            "platform": [1] * len(truth),
            "shop_id": [f"S{k % shops}" for k, _ in truth],
            "product_id": [f"P{k}" for k, _ in truth],
            "promotion_id": [f"PR{k}" for k, _ in truth],
            "violation": [v for _, v in truth],
        }
    )
