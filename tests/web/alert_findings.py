"""Findings as the real detectors make them on small crafted lakes, one per detector, moved onto
a test platform and shop: the portal's evidence views are tested against what detectors write,
not against hand-made dictionaries."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
from bench.brushing_cases import T0

from ecredit.detection.account_rings import detect_account_rings
from ecredit.detection.brushing import detect_brushing
from ecredit.detection.empty_parcels import detect_empty_parcels
from ecredit.detection.engine import open_lake
from ecredit.detection.fake_traffic import detect_fake_traffic
from ecredit.detection.finding import Finding
from ecredit.detection.price_fraud import detect_price_fraud
from ecredit.detection.run import run_detectors
from tests.detection.lake_fixture import Order, ring_lake, write_orders
from tests.detection.signals_lake import arrow_table, utc
from tests.detection.test_run import write_ring_reviews

METRICS = ("visits", "clicks", "orders", "buyers")
# Shop S1: A buys 4 times in 40 minutes and B twice (6 orders, 2 buyers: ratio 3); C buys 30
# minutes before and D 50 minutes after (context); E buys 3 hours later (neither).
BRUSHING_ORDERS = [
    ("o-c", "C", -30), ("o-a1", "A", 0), ("o-b1", "B", 5), ("o-a2", "A", 10),
    ("o-a3", "A", 20), ("o-b2", "B", 30), ("o-a4", "A", 40), ("o-d", "D", 90),
    ("o-e", "E", 220),
]  # fmt: skip


def on(finding: Finding, platform_id: int, shop_code: str | None) -> Finding:
    """The finding as if raised on the test platform's shop (a shop-less one stays shop-less)."""
    shop = shop_code if finding.shop_code is not None else None
    return dataclasses.replace(finding, platform_id=platform_id, shop_code=shop)


def brushing(root: Path) -> Finding:
    orders = [
        Order(oid, "S1", buyer, T0 + timedelta(minutes=m)) for oid, buyer, m in BRUSHING_ORDERS
    ]
    write_orders(root, orders)
    (found,) = detect_brushing(open_lake(str(root)).table("orders"))
    return found


def account_ring(root: Path) -> tuple[Finding, list[Finding]]:
    """X, Y and Z's ring across S1, S2 and S3, and the brushing findings of the same lake."""
    write_orders(root, ring_lake())
    orders = open_lake(str(root)).table("orders")
    brushing = detect_brushing(orders)
    return detect_account_rings(orders, brushing)[0], brushing


def review_rings(root: Path) -> list[Finding]:
    """A planted ring's findings: one per shop it reviewed enough."""
    write_ring_reviews(root, platform=1, seed=1)
    (run,) = run_detectors(open_lake(str(root)), ["review_ring"])
    return run.findings


def fake_traffic() -> Finding:
    """A bot burst of two hours in a flat two-day history, next to two flat shops."""
    rows = []
    for shop in ("S1", "S8", "S9"):
        for hour in range(48):
            bot = shop == "S1" and hour in (30, 31)
            counts = (2000, 3000, 2, 2) if bot else (100, 150, 3, 3)
            at = utc(2026, 11, 1) + timedelta(hours=hour)
            rows.append(dict(zip(METRICS, counts, strict=True), shop_id=shop, hour=at))
    (found,) = detect_fake_traffic(ibis.memtable(arrow_table("traffic", rows)))
    return found


def empty_parcel() -> Finding:
    """A parcel signed three hours after pick-up weighing 10 g, and the same waybill at S2."""
    picked = utc(2026, 11, 20, 9)

    def ship(n: int, shop: str = "S1", **changes: Any) -> dict[str, Any]:
        return {"waybill_no": f"YT{n:06d}", "carrier_id": "YTO", "order_id": f"O{n}",
                "shop_id": shop, "declared_weight_g": 520, "item_weight_g": 500,
                "picked_up_at": picked, "signed_at": picked + timedelta(days=2), "scans": 5,
                "scan_kinds": "揽收,运输,派送,签收", **changes}  # fmt: skip

    suspect = {"signed_at": picked + timedelta(hours=3), "declared_weight_g": 10}
    rows = [ship(1, **suspect), ship(2), ship(3), ship(9, "S2", waybill_no="YT000001")]
    found = detect_empty_parcels(ibis.memtable(arrow_table("shipments", rows)))
    return next(finding for finding in found if finding.shop_code == "S1")


def price_fraud() -> Finding:
    """A promotion whose reference price (120) exceeds the week's lowest real price (99.99)."""
    start = utc(2026, 11, 11)

    def row(kind: str, days_before: int, price: str, **extra: Any) -> dict[str, Any]:
        return {"shop_id": "S1", "product_id": "P1", "kind": kind, "price": Decimal(price),
                "observed_at": start - timedelta(days=days_before), **extra}  # fmt: skip

    rows = [
        row("transaction", 3, "100.00"),
        row("transaction", 1, "99.99"),
        row("promotion", 0, "80.00", reference_price=Decimal("120.00"), promotion_id="D11"),
    ]
    (found,) = detect_price_fraud(ibis.memtable(arrow_table("prices", rows)))
    return found
