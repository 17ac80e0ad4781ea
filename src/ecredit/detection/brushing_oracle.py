"""The order-brushing rule by brute force, for checking the fast detector and single findings.

It tries every instant at which a one-hour window [s, s + L) can hold a different set of orders:
the set only changes where s passes an order's time t (the order leaves) or t − L (it enters), so
those instants and the midpoints between them (on a doubled clock, to stay in integers) reach
every window there is. It builds the instant × order matrix: quadratic per shop, meant for
small shops, test data and re-checking a single finding.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from ecredit.detection.brushing_windows import HOUR_US


@dataclass(frozen=True)
class OracleShop:
    windows: frozenset[frozenset[int]]  # each brushing window as the set of its order rows
    order_rows: frozenset[int]  # rows inside any brushing window
    suspicious: tuple[int, ...]  # buyers with the highest share, ascending


def _instants(times: Collection[int], window_us: int) -> list[int]:
    """Every instant worth trying, on the doubled clock."""
    edges = sorted({2 * t for t in times} | {2 * (t - window_us) for t in times})
    middles = [(a + b) // 2 for a, b in itertools.pairwise(edges)]
    return [edges[0] - 1, *edges, *middles, edges[-1] + 1]


def oracle_shop(
    rows: Sequence[tuple[int, int, int]], window_us: int = HOUR_US, min_ratio: float = 3
) -> OracleShop | None:
    """`rows` are (row, buyer, time_us) of one shop; None when the shop does not brush."""
    if not rows:
        return None
    row_ids, buyer_ids, times = np.array(rows, dtype=np.int64).T
    instants = np.array(_instants(times.tolist(), window_us), dtype=np.int64)
    # inside[i, k]: does the window starting at instant i hold order k?
    inside = (instants[:, None] <= 2 * times[None, :]) & (
        2 * times[None, :] < instants[:, None] + 2 * window_us
    )
    by_buyer = np.argsort(buyer_ids, kind="stable")
    first_of_buyer = np.flatnonzero(np.diff(buyer_ids[by_buyer], prepend=-1) != 0)
    present = np.logical_or.reduceat(inside[:, by_buyer], first_of_buyer, axis=1)
    orders, buyers = inside.sum(axis=1), present.sum(axis=1)
    brushing = inside[(orders > 0) & (orders >= min_ratio * buyers)]
    if len(brushing) == 0:
        return None
    windows = frozenset(frozenset(row_ids[window].tolist()) for window in brushing)
    order_rows = frozenset(row_ids[brushing.any(axis=0)].tolist())
    buyer_of = dict(zip(row_ids.tolist(), buyer_ids.tolist(), strict=True))
    counts = Counter(buyer_of[row] for row in order_rows)
    top = max(counts.values())
    return OracleShop(
        windows=windows,
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
