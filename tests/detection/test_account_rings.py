"""Account rings: brushing buyers joined by shared payment accounts, devices or addresses."""

from __future__ import annotations

from pathlib import Path

from ecredit.detection.account_rings import RingRule, detect_account_rings
from ecredit.detection.brushing import detect_brushing
from ecredit.detection.engine import open_lake
from tests.detection.lake_fixture import ring_lake, write_orders


def test_shared_attributes_tie_brushing_buyers_into_one_ring(tmp_path: Path) -> None:
    write_orders(tmp_path, ring_lake())
    orders = open_lake(str(tmp_path)).table("orders")
    brushing = detect_brushing(orders)
    assert [finding.shop_code for finding in brushing] == ["S1", "S2", "S3", "S4"]
    (ring,) = detect_account_rings(orders, brushing)
    assert ring.detector == "account_ring"
    assert ring.shop_code is None
    assert ring.key == ("X", "Y", "Z")
    assert ring.evidence["brushing_shops"] == ["S1", "S2", "S3"]
    assert ring.evidence["members"][0] == {"buyer_id": "X", "brushing_shops": ["S1"]}
    assert ring.evidence["shared"] == [
        {"attribute": "device_id", "value": "dev-1", "buyers": ["X", "Y"]},
        {"attribute": "payment_account", "value": "pay-z", "buyers": ["Y", "Z"]},
    ]
    assert ring.score == 9.0


def test_a_minimum_ring_size_and_the_attributes_are_parameters(tmp_path: Path) -> None:
    write_orders(tmp_path, ring_lake())
    orders = open_lake(str(tmp_path)).table("orders")
    brushing = detect_brushing(orders)
    devices_only = detect_account_rings(orders, brushing, RingRule(attributes=("device_id",)))
    assert [ring.key for ring in devices_only] == [("X", "Y")]
    assert detect_account_rings(orders, brushing, RingRule(min_buyers=4)) == []
    assert detect_account_rings(orders, []) == []
