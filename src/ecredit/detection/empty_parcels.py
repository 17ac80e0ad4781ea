"""Empty parcels (空包裹 / 空包代发): waybills bought to make fake orders look shipped.

SAMR's 2021 typical cases of 网络虚假宣传 name "刷流量、假交易、寄空包" among brushing methods
(/work/shared/reference/detection-notes.md §6.3). The logistics-side thresholds below come from
low-authority sources and are parameters, not law.

Signals of one shipment (shipments dataset of the lake contract):

* **fast_sign** — signed less than `fast_sign_hours` (default 12) after pick-up:
  `signed_at < picked_up_at + 12 h`. Exactly 12 h is not fast. Unsigned parcels are not fast.
* **light** — the declared weight is negligible for the item: `declared_weight_g <
  light_item_ratio × item_weight_g` (default 10 %) when the item's listed weight is known, else
  `declared_weight_g < light_weight_g` (default 50 g). Equality is not light.
* **bare_route** — only pick-up and signature were scanned: `scans ≤ bare_max_scans` (default 2)
  and scan_kinds, when given, names nothing but 揽收 and 签收.
* **shared_waybill** — the same (carrier_id, waybill_no) carries more than one order of the same
  shop. A merged shipment of several orders does this legitimately, so it is one signal among
  others.
* **cross_shop_waybill** — the same (carrier_id, waybill_no) appears for more than one shop (on
  any platform): one physical parcel cannot ship two merchants' orders. Decisive on its own.

A shipment is **suspect** when it has cross_shop_waybill, or at least `min_signals` (default 2) of
the other four. Findings are per shop and pick-up day (UTC) with at least `min_parcels` (default 1)
suspect shipments; the evidence gives the shop's shipments that day, the suspect count and share,
the count per signal and up to `max_listed` suspect waybills with their signals, transit hours,
weights, scans and — for shared waybills — the other orders and shops on them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from ecredit.detection.finding import Finding

DETECTOR = "empty_parcel"
RECORD_TYPE = "empty_parcel"
SIGNALS = ("fast_sign", "light", "bare_route", "shared_waybill", "cross_shop_waybill")
_ROUTE_ENDS = ("揽收", "签收", ",", "，", " ")
_WAYBILL = ("carrier_id", "waybill_no")


@dataclass(frozen=True)
class EmptyParcelParams:
    fast_sign_hours: float = 12.0
    light_item_ratio: float = 0.1
    light_weight_g: int = 50
    bare_max_scans: int = 2
    min_signals: int = 2
    min_parcels: int = 1
    max_listed: int = 50


def _only_route_ends(kinds: ir.StringValue) -> ir.BooleanValue:
    stripped = kinds
    for token in _ROUTE_ENDS:
        stripped = stripped.replace(token, "")
    return kinds.isnull() | (stripped.length() == 0)


def _reused_waybills(shipments: ir.Table) -> ir.Table:
    """The (carrier, waybill) pairs on more than one row, across platforms: several orders? shops?

    Min and max instead of distinct counts (one cheap aggregate, the same answer), and only the
    reused pairs, so that joining them back is a join against a small table.
    """
    t = shipments
    use = t.group_by(list(_WAYBILL)).aggregate(
        rows=t.count(),
        first_order=t.order_id.min(),
        last_order=t.order_id.max(),
        first_platform=t.platform.min(),
        last_platform=t.platform.max(),
        first_shop=t.shop_id.min(),
        last_shop=t.shop_id.max(),
    )
    use = use.filter(use.rows > 1)
    return use.select(
        *_WAYBILL,
        several_orders=use.first_order != use.last_order,
        several_shops=(use.first_platform != use.last_platform) | (use.first_shop != use.last_shop),
    )


def shipment_signals(shipments: ir.Table, params: EmptyParcelParams | None = None) -> ir.Table:
    """Every shipment with its signals and whether it is suspect."""
    params = params or EmptyParcelParams()
    reused = _reused_waybills(shipments)
    s = shipments.left_join(reused, list(_WAYBILL)).select(
        shipments, reused.several_orders, reused.several_shops
    )
    fast_limit = ibis.interval(seconds=round(params.fast_sign_hours * 3600))
    light = ibis.ifelse(
        s.item_weight_g.notnull(),
        s.declared_weight_g.cast("float64") < params.light_item_ratio * s.item_weight_g,
        s.declared_weight_g < params.light_weight_g,
    )
    s = s.mutate(
        fast_sign=(s.signed_at.notnull() & (s.signed_at < s.picked_up_at + fast_limit)),
        light=light.fill_null(False),
        bare_route=(s.scans <= params.bare_max_scans) & _only_route_ends(s.scan_kinds),
        shared_waybill=s.several_orders.fill_null(False),
        cross_shop_waybill=s.several_shops.fill_null(False),
    )
    count = sum(getattr(s, name).cast("int32") for name in SIGNALS[:4])
    return s.mutate(
        signal_count=count,
        suspect=s.cross_shop_waybill | (count >= params.min_signals),
        pickup_day=s.picked_up_at.date(),
    )


def detect_empty_parcels(
    shipments: ir.Table, params: EmptyParcelParams | None = None
) -> list[Finding]:
    """Findings per shop and pick-up day with suspect shipments, evidence per waybill."""
    params = params or EmptyParcelParams()
    signals = shipment_signals(shipments, params)
    suspects = signals.filter(signals.suspect)
    day_keys = ["platform", "shop_id", "pickup_day"]
    hot = suspects.group_by(day_keys).aggregate(suspect_that_day=suspects.count())
    hot = hot.filter(hot.suspect_that_day >= params.min_parcels)
    # The day's total from the raw rows: cheaper than counting it over the signals.
    days = shipments.mutate(pickup_day=shipments.picked_up_at.date())
    totals = days.group_by(day_keys).aggregate(shipments_that_day=days.count())
    suspects = suspects.join(hot.join(totals, day_keys), day_keys)
    rows = suspects.order_by([*day_keys, "picked_up_at", "waybill_no"]).to_pyarrow().to_pylist()
    shared = _shared_waybill_members(shipments, rows)
    by_day: dict[tuple[int, str, date], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_day[(int(row["platform"]), row["shop_id"], row["pickup_day"])].append(row)
    return [_finding(key, group, shared, params) for key, group in by_day.items()]


def _shared_waybill_members(
    shipments: ir.Table, rows: list[dict[str, Any]]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The orders and shops on every shared waybill among the suspects.

    A second query over the reused waybills only (not the signals again), kept to the suspects'.
    """
    wanted = {(r["carrier_id"], r["waybill_no"]) for r in rows if r["shared_waybill"]}
    if not wanted:
        return {}
    reused = _reused_waybills(shipments)
    members = shipments.semi_join(reused.filter(reused.several_orders), list(_WAYBILL))
    members = members.select("carrier_id", "waybill_no", "platform", "shop_id", "order_id")
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    table = members.order_by(["carrier_id", "waybill_no", "platform", "shop_id", "order_id"])
    for member in table.to_pyarrow().to_pylist():
        waybill = (member["carrier_id"], member["waybill_no"])
        if waybill in wanted:
            found[waybill].append({k: member[k] for k in ("platform", "shop_id", "order_id")})
    return found


def _waybill_evidence(
    row: dict[str, Any], shared: dict[tuple[str, str], list[dict[str, Any]]]
) -> dict[str, Any]:
    signed: datetime | None = row["signed_at"]
    picked: datetime = row["picked_up_at"]
    transit = None if signed is None else round((signed - picked).total_seconds() / 3600, 2)
    others = [
        m
        for m in shared.get((row["carrier_id"], row["waybill_no"]), [])
        if m["order_id"] != row["order_id"] or m["shop_id"] != row["shop_id"]
    ]
    return {
        "waybill_no": row["waybill_no"],
        "carrier_id": row["carrier_id"],
        "order_id": row["order_id"],
        "signals": [name for name in SIGNALS if row[name]],
        "transit_hours": transit,
        "declared_weight_g": row["declared_weight_g"],
        "item_weight_g": row["item_weight_g"],
        "scans": row["scans"],
        "scan_kinds": row["scan_kinds"],
        "also_on_waybill": others,
    }


def _finding(
    key: tuple[int, str, date],
    rows: list[dict[str, Any]],
    shared: dict[tuple[str, str], list[dict[str, Any]]],
    params: EmptyParcelParams,
) -> Finding:
    platform, shop, day = key
    per_signal = Counter(name for row in rows for name in SIGNALS if row[name])
    total = int(rows[0]["shipments_that_day"])
    start = datetime.combine(day, time(0), tzinfo=UTC)
    evidence = {
        "pickup_day": day.isoformat(),
        "shipments_that_day": total,
        "suspect_shipments": len(rows),
        "suspect_share": round(len(rows) / total, 4),
        "signal_counts": {name: per_signal.get(name, 0) for name in SIGNALS},
        "waybills": [_waybill_evidence(row, shared) for row in rows[: params.max_listed]],
        "waybills_listed": min(len(rows), params.max_listed),
        "parameters": {
            "fast_sign_hours": params.fast_sign_hours,
            "light_item_ratio": params.light_item_ratio,
            "light_weight_g": params.light_weight_g,
            "bare_max_scans": params.bare_max_scans,
            "min_signals": params.min_signals,
        },
    }
    return Finding(
        detector=DETECTOR,
        platform_id=platform,
        shop_code=shop,
        record_type=RECORD_TYPE,
        score=float(len(rows)),
        key=(day.isoformat(),),
        window_start=start,
        window_end=start + timedelta(days=1),
        evidence=evidence,
    )
