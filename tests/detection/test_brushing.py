"""The brushing detector over a lake on DuckDB: edge cases, evidence, and exactness of the narrowing
against the brute-force oracle on whole random lakes."""

from __future__ import annotations

from datetime import timedelta
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
