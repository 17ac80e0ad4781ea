"""The order-brushing rule by brute force, for checking the fast detector and single findings.

It tries every instant at which a one-hour window [s, s + L) can hold a different set of orders:
the set only changes where s passes an order's time t (the order leaves) or t − L (it enters), so
those instants and the midpoints between them (on a doubled clock, to stay in integers) reach
every window there is. Quadratic per shop: meant for small shops and test data.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ecredit.detection.brushing_windows import HOUR_US


@dataclass(frozen=True)
class OracleShop:
    windows: frozenset[frozenset[int]]  # each brushing window as the set of its order rows
    order_rows: frozenset[int]  # rows inside any brushing window
    suspicious: tuple[int, ...]  # buyers with the highest share, ascending


def _instants(times: Collection[int], window_us: int) -> list[int]:
    """Every instant worth trying, on the doubled clock."""
    edges = sorted({2 * t for t in times} | {2 * (t - window_us) for t in times})
    middles = [(a + b) // 2 for a, b in zip(edges, edges[1:], strict=False)]
    return [edges[0] - 1, *edges, *middles, edges[-1] + 1]


def oracle_shop(
    rows: Sequence[tuple[int, int, int]], window_us: int = HOUR_US, min_ratio: float = 3
) -> OracleShop | None:
    """`rows` are (row, buyer, time_us) of one shop; None when the shop does not brush."""
    windows = set()
    for instant in _instants([time for _, _, time in rows], window_us):
        inside = [
            (row, buyer)
            for row, buyer, time in rows
            if instant <= 2 * time < instant + 2 * window_us
        ]
        buyers = {buyer for _, buyer in inside}
        if inside and len(inside) >= min_ratio * len(buyers):
            windows.add(frozenset(row for row, _ in inside))
    if not windows:
        return None
    order_rows = frozenset().union(*windows)
    buyer_of = {row: buyer for row, buyer, _ in rows}
    counts = Counter(buyer_of[row] for row in order_rows)
    top = max(counts.values())
    return OracleShop(
        windows=frozenset(windows),
        order_rows=order_rows,
        suspicious=tuple(sorted(buyer for buyer, count in counts.items() if count == top)),
    )


def oracle_brushing(
    shops: Sequence[int], buyers: Sequence[int], times_us: Sequence[int], **rule: float
) -> dict[int, OracleShop]:
    """The brushing shops among orders given as parallel sequences (row = position)."""
    by_shop: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row, (shop, buyer, time) in enumerate(zip(shops, buyers, times_us, strict=True)):
        by_shop[shop].append((row, buyer, time))
    found = {}
    for shop, rows in by_shop.items():
        result = oracle_shop(rows, **rule)  # type: ignore[arg-type]
        if result is not None:
            found[shop] = result
    return found
