"""Account rings (C11, issue 6 item 2f): brushing accounts tied by a payment account, a device or
an address.

The graph joins each buyer found inside a brushing window to the attribute values on any of its
orders; its connected components with two buyers or more are rings. A ring that spans several
brushing shops is the organised kind the regulator looks for (刷单团伙). The engine fetches the
orders of the brushing buyers; the components are found in memory (there are few such buyers).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa

from ecredit.detection.finding import Finding

ATTRIBUTES = ("payment_account", "device_id", "address_hash")


@dataclass(frozen=True)
class RingRule:
    attributes: tuple[str, ...] = ATTRIBUTES
    min_buyers: int = 2


class _Components:
    """Union-find over hashable nodes."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, node: object) -> object:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, first: object, second: object) -> None:
        self.parent[self.find(first)] = self.find(second)


def brushing_buyers(brushing: list[Finding]) -> dict[tuple[int, str], set[str]]:
    """(platform, buyer) → the brushing shops whose windows hold its orders."""
    shops: dict[tuple[int, str], set[str]] = defaultdict(set)
    for finding in brushing:
        for buyer in finding.evidence["buyers"]:
            shops[(finding.platform_id, buyer)].add(finding.shop_code or "")
    return shops


def _attribute_rows(orders: ibis.Table, buyers: list[tuple[int, str]], rule: RingRule) -> pa.Table:
    wanted = ibis.memtable(
        pa.table(
            {
                "platform": pa.array(
                    [platform for platform, _ in buyers], orders.schema()["platform"].to_pyarrow()
                ),
                "buyer_id": pa.array([buyer for _, buyer in buyers], pa.string()),
            }
        )
    )
    return (
        orders.semi_join(wanted, ["platform", "buyer_id"])
        .select("platform", "buyer_id", *rule.attributes)
        .distinct()
        .to_pyarrow()
    )


def detect_account_rings(
    orders: ibis.Table, brushing: list[Finding], rule: RingRule | None = None
) -> list[Finding]:
    rule = rule or RingRule()
    shops_of = brushing_buyers(brushing)
    if not shops_of:
        return []
    rows = _attribute_rows(orders, sorted(shops_of), rule).to_pylist()
    components = _Components()
    holders: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for row in rows:
        buyer = ("buyer", row["platform"], row["buyer_id"])
        components.find(buyer)
        for attribute in rule.attributes:
            if row[attribute] is not None:
                components.union(buyer, ("value", row["platform"], attribute, row[attribute]))
                holders[(row["platform"], attribute, row[attribute])].add(row["buyer_id"])
    members: dict[object, set[tuple[int, str]]] = defaultdict(set)
    for node in list(components.parent):
        if isinstance(node, tuple) and node[0] == "buyer":
            members[components.find(node)].add((node[1], node[2]))
    shared: dict[object, list[dict[str, Any]]] = defaultdict(list)
    for (platform, attribute, value), holding in sorted(holders.items()):
        if len(holding) >= 2:
            root = components.find(("value", platform, attribute, value))
            shared[root].append({"attribute": attribute, "value": value, "buyers": sorted(holding)})
    rings = [
        _finding(sorted(ring), shops_of, shared[root])
        for root, ring in members.items()
        if len(ring) >= rule.min_buyers
    ]
    return sorted(rings, key=lambda finding: (finding.platform_id, finding.key))


def _finding(
    ring: list[tuple[int, str]],
    shops_of: dict[tuple[int, str], set[str]],
    shared: list[dict[str, Any]],
) -> Finding:
    platform = ring[0][0]
    buyers = [buyer for _, buyer in ring]
    shops = sorted(set().union(*(shops_of[member] for member in ring)))
    return Finding(
        detector="account_ring",
        platform_id=platform,
        shop_code=None,
        record_type="order_brushing",
        score=float(len(shops) * len(buyers)),
        key=tuple(buyers),
        evidence={
            "members": [
                {"buyer_id": buyer, "brushing_shops": sorted(shops_of[(platform, buyer)])}
                for buyer in buyers
            ],
            "brushing_shops": shops,
            "shared": shared,
        },
    )
