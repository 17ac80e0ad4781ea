"""Plain-Python / pandas reference implementations of the three definitions (docs/detection.md).

Written from the definitions, not from the Ibis code, so that bench/detect_signals.py can report
the agreement of the detectors with an independent reading of the same rules next to the planted
truth, and the time a straightforward single-process implementation takes on the same file.
Each returns the set of keys the benchmark scores: flagged traffic hours (shop, kind, hour),
suspect shipments (carrier, waybill, order), price violations (shop, product, promotion, rule).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from ecredit.detection.empty_parcels import EmptyParcelParams
from ecredit.detection.fake_traffic import MAD_TO_SIGMA, FakeTrafficParams
from ecredit.detection.price_fraud import PriceFraudParams


def traffic_hours(path: str, p: FakeTrafficParams) -> set[Any]:
    df = pq.read_table(path).to_pandas()
    shop = df.groupby(["platform", "shop_id"])
    conv = shop["orders"].transform("sum") / shop["visits"].transform("sum")
    first = ~df.duplicated(["platform", "shop_id"])
    population = conv[first & (shop["visits"].transform("sum") > 0)].groupby(df.platform).median()
    z = {}
    for m in ("visits", "clicks", "orders"):
        median = shop[m].transform("median")
        mad = (df[m] - median).abs().groupby([df.platform, df.shop_id]).transform("median")
        scale = np.maximum(
            np.maximum(mad * MAD_TO_SIGMA, median * p.scale_floor_ratio), p.min_scale
        )
        z[m] = (df[m] - median) / scale
    judged = shop["hour"].transform("count") >= p.min_history_hours
    rate = df.orders / np.maximum(df.visits, 1)
    pop = df.platform.map(population)
    bot = (
        (np.maximum(z["visits"], z["clicks"]) >= p.z_threshold)
        & (df.visits >= p.min_burst_visits)
        & (rate <= p.bot_max_conversion_ratio * pop)
    )
    brushing = (
        (z["orders"] >= p.z_threshold)
        & (df.orders >= p.min_burst_orders)
        & (rate >= p.brushing_min_conversion)
        & df.buyers.notna()
        & (df.orders >= p.brushing_orders_per_buyer * df.buyers)
    )
    found = set()
    for kind, mask in (("bot", judged & bot), ("brushing", judged & brushing & ~bot)):
        for row in df[mask].itertuples():
            found.add((row.shop_id, kind, row.hour.to_pydatetime()))
    return found


def suspect_shipments(path: str, p: EmptyParcelParams) -> set[Any]:
    rows = pq.read_table(path).to_pylist()
    orders, shops = defaultdict(set), defaultdict(set)
    for r in rows:
        orders[r["carrier_id"], r["waybill_no"]].add(r["order_id"])
        shops[r["carrier_id"], r["waybill_no"]].add((r["platform"], r["shop_id"]))
    found = set()
    for r in rows:
        waybill = (r["carrier_id"], r["waybill_no"])
        signed = r["signed_at"]
        fast = signed is not None and signed < r["picked_up_at"] + timedelta(
            hours=p.fast_sign_hours
        )
        if r["item_weight_g"] is not None:
            light = r["declared_weight_g"] < p.light_item_ratio * r["item_weight_g"]
        else:
            light = r["declared_weight_g"] < p.light_weight_g
        kinds = set((r["scan_kinds"] or "").replace("，", ",").replace(" ", "").split(",")) - {""}
        bare = r["scans"] <= p.bare_max_scans and kinds <= {"揽收", "签收"}
        signals = fast + light + bare + (len(orders[waybill]) > 1)
        if len(shops[waybill]) > 1 or signals >= p.min_signals:
            found.add((*waybill, r["order_id"]))
    return found


def price_violations(path: str, p: PriceFraudParams) -> set[Any]:
    by_product: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in pq.read_table(path).to_pylist():
        by_product[r["platform"], r["shop_id"], r["product_id"]].append(r)
    found = set()
    for (_, shop, product), rows in by_product.items():
        events: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            if r["kind"] == "promotion":
                events[r["promotion_id"] or r["observed_at"]].append(r)
        for event, promo in events.items():
            for rule in _broken_rules(rows, promo, p):
                found.add((shop, product, promo[0]["promotion_id"] or event, rule))
    return found


def _broken_rules(
    rows: list[dict[str, Any]], promo: list[dict[str, Any]], p: PriceFraudParams
) -> list[str]:
    t0 = min(r["observed_at"] for r in promo)
    refs = [r["reference_price"] for r in promo if r["reference_price"] is not None]
    promo_price = min(r["price"] for r in promo)
    sales = [(r["observed_at"], r["price"]) for r in rows if r["kind"] == "transaction"]
    window = [x for at, x in sales if t0 - timedelta(days=p.base_days) <= at < t0]
    earlier = [(at, x) for at, x in sales if at < t0]
    base = min(window) if window else None
    if base is None and earlier:
        last = max(at for at, _ in earlier)
        base = min(x for at, x in earlier if at == last)
    broken = []
    if refs and base is not None and max(refs) > base:
        broken.append("fabricated_reference")
    cutoff = t0 - timedelta(days=p.raise_window_days)
    listed = [(r["observed_at"], r["price"]) for r in rows if r["kind"] == "listed"]
    before = [(at, x) for at, x in listed if at < cutoff]
    peak = [x for at, x in listed if cutoff <= at < t0]
    if before and peak:
        last = max(at for at, _ in before)
        pre_raise = min(x for at, x in before if at == last)
        if max(peak) > pre_raise and promo_price >= pre_raise:
            broken.append("raise_then_discount")
    return broken
