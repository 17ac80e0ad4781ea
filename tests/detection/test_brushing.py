"""The brushing detector over a lake on DuckDB: edge cases, evidence, and exactness of the narrowing
against the brute-force oracle on whole random lakes."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bench.brushing_cases import EDGE_CASES, T0, EdgeCase

from ecredit.detection.brushing import BrushingRule, detect_brushing
from ecredit.detection.brushing_oracle import oracle_brushing
from ecredit.detection.engine import open_lake
from ecredit.detection.finding import Finding
from tests.detection.lake_fixture import Order, random_lake, write_orders


def _lake_orders(case_orders: list[tuple[int, str, str, int]]) -> list[Order]:
    return [
        Order(f"o{row}", shop, buyer, T0 + timedelta(seconds=seconds), platform=platform)
        for row, (platform, shop, buyer, seconds) in enumerate(case_orders)
    ]


def _detect(root: Path, orders: list[Order]) -> list[Finding]:
    write_orders(root, orders)
    return detect_brushing(open_lake(str(root)).table("orders"))


def _oracle_view(orders: list[Order]) -> dict[tuple[int, str], tuple[set[str], tuple[str, ...]]]:
    """(platform, shop) → (orders in brushing windows, suspicious buyers) by brute force."""
    shops = sorted({(order.platform, order.shop_id) for order in orders})
    buyers = sorted({order.buyer_id for order in orders})
    found = oracle_brushing(
        [shops.index((order.platform, order.shop_id)) for order in orders],
        [buyers.index(order.buyer_id) for order in orders],
        [int(order.order_time.timestamp() * 1_000_000) for order in orders],
    )
    return {
        shops[shop]: (
            {orders[row].order_id for row in result.order_rows},
            tuple(buyers[buyer] for buyer in result.suspicious),
        )
        for shop, result in found.items()
    }


def _detector_view(
    findings: list[Finding],
) -> dict[tuple[int, str], tuple[set[str], tuple[str, ...]]]:
    return {
        (finding.platform_id, finding.shop_code or ""): (
            set(finding.evidence["orders"]),
            tuple(buyer["buyer_id"] for buyer in finding.evidence["suspicious_buyers"]),
        )
        for finding in findings
    }


@pytest.mark.parametrize("case", EDGE_CASES, ids=[case.name for case in EDGE_CASES])
def test_edge_cases_give_the_expected_shops_and_buyers(tmp_path: Path, case: EdgeCase) -> None:
    orders = _lake_orders(case.orders)
    findings = _detect(tmp_path, orders)
    assert {key: buyers for key, (_, buyers) in _detector_view(findings).items()} == case.expected
    assert _detector_view(findings) == _oracle_view(orders)


def test_a_finding_carries_windows_orders_and_shares(tmp_path: Path) -> None:
    case = next(case for case in EDGE_CASES if case.name.startswith("an order in overlapping"))
    (finding,) = _detect(tmp_path, _lake_orders(case.orders))
    assert finding.detector == "brushing"
    assert finding.record_type == "order_brushing"
    assert finding.score == 4.0  # the highest ratio: A alone, 4 orders
    assert finding.evidence["orders"] == [f"o{row}" for row in range(7)]
    assert finding.evidence["buyers"] == {"A": 4, "B": 3}
    assert finding.evidence["suspicious_buyers"] == [{"buyer_id": "A", "orders": 4, "share": 4 / 7}]
    widest = max(finding.evidence["windows"], key=lambda window: window["orders"])
    assert widest == {
        "start": T0.isoformat(),
        "end": (T0 + timedelta(hours=1)).isoformat(),
        "first_order_at": T0.isoformat(),
        "last_order_at": (T0 + timedelta(minutes=59)).isoformat(),
        "orders": 7,
        "buyers": 2,
    }
    assert finding.window_start is not None
    assert finding.window_start <= T0
    assert finding.key == (T0.isoformat(),)


def test_a_finding_lists_each_window_order_with_its_buyer_and_time(tmp_path: Path) -> None:
    # Three orders of A at 00:10-00:12 brush; B's orders 30 min before and 50 min after the
    # window's orders are context, the ones 70 min and 2 h after them are not.
    orders = _lake_orders(
        [(1, "S1", "B", -20 * 60), (1, "S1", "A", 600), (1, "S1", "A", 660),
         (1, "S1", "A", 720), (1, "S1", "B", 720 + 50 * 60), (1, "S1", "B", 720 + 70 * 60),
         (1, "S1", "B", 720 + 2 * 3600)]
    )  # fmt: skip
    (finding,) = _detect(tmp_path, orders)
    at = [(T0 + timedelta(seconds=s)).isoformat() for s in (-1200, 600, 660, 720, 3720)]
    assert finding.evidence["order_rows"] == [
        {"order_id": f"o{row}", "buyer_id": "A", "ordered_at": at[row]} for row in (1, 2, 3)
    ]
    assert finding.evidence["nearby_orders"] == [
        {"order_id": "o0", "buyer_id": "B", "ordered_at": at[0]},
        {"order_id": "o4", "buyer_id": "B", "ordered_at": at[4]},
    ]
    assert finding.evidence["nearby_total"] == 2
    table = open_lake(str(tmp_path)).table("orders")
    (capped,) = detect_brushing(table, BrushingRule(max_nearby=1))
    assert capped.evidence["nearby_orders"] == [finding.evidence["nearby_orders"][0]]  # nearest
    assert capped.evidence["nearby_total"] == 2


def _nearby_by_brute_force(finding: Finding, orders: list[Order]) -> set[str]:
    """The shop's orders outside its windows within one hour of a window's first..last order."""
    hour = timedelta(hours=1)
    spans = [
        (datetime.fromisoformat(w["first_order_at"]), datetime.fromisoformat(w["last_order_at"]))
        for w in finding.evidence["windows"]
    ]
    inside = set(finding.evidence["orders"])
    return {
        order.order_id
        for order in orders
        if (order.platform, order.shop_id) == (finding.platform_id, finding.shop_code)
        and order.order_id not in inside
        and any(first - hour <= order.order_time <= last + hour for first, last in spans)
    }


@pytest.mark.parametrize(("seed", "jitter_us"), [(1, 0), (4, 1_500_000)])
def test_order_rows_and_nearby_orders_match_the_lake(
    tmp_path: Path, seed: int, jitter_us: int
) -> None:
    orders = random_lake(seed, jitter_us)
    by_id = {order.order_id: order for order in orders}
    findings = _detect(tmp_path, orders)
    assert any(finding.evidence["nearby_total"] for finding in findings)
    for finding in findings:
        rows = finding.evidence["order_rows"]
        assert sorted(row["order_id"] for row in rows) == finding.evidence["orders"]
        for row in rows + finding.evidence["nearby_orders"]:
            order = by_id[row["order_id"]]
            assert row["buyer_id"] == order.buyer_id
            assert datetime.fromisoformat(row["ordered_at"]) == order.order_time
        nearby = {row["order_id"] for row in finding.evidence["nearby_orders"]}
        assert nearby == _nearby_by_brute_force(finding, orders)
        assert finding.evidence["nearby_total"] == len(nearby)


@pytest.mark.parametrize(("seed", "jitter_us"), [(1, 0), (2, 0), (3, 0), (4, 1_500_000)])
def test_the_narrowed_detector_equals_the_oracle_on_whole_lakes(
    tmp_path: Path, seed: int, jitter_us: int
) -> None:
    orders = random_lake(seed, jitter_us)
    findings = _detect(tmp_path, orders)
    assert findings, "the random lake should hold brushing"
    assert _detector_view(findings) == _oracle_view(orders)


def test_a_longer_window_and_a_lower_ratio_are_parameters(tmp_path: Path) -> None:
    orders = _lake_orders([(1, "S1", "A", 0), (1, "S1", "A", 90 * 60), (1, "S1", "B", 100 * 60)])
    write_orders(tmp_path, orders)
    table = open_lake(str(tmp_path)).table("orders")
    assert detect_brushing(table) == []
    rule = BrushingRule(window=timedelta(hours=2), min_ratio=1.5)
    (finding,) = detect_brushing(table, rule)
    assert finding.evidence["suspicious_buyers"][0]["buyer_id"] == "A"


def test_a_window_must_be_whole_seconds() -> None:
    with pytest.raises(ValueError, match="window"):
        _ = BrushingRule(window=timedelta(milliseconds=1500)).window_seconds
