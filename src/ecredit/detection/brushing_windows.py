"""Exact order-brushing windows over order arrays: the Shopee Code League 2020 rule, vectorised.

The rule: a shop brushes in a window of length L (one hour) if orders ÷ unique buyers ≥ 3 there;
the window may start at ANY instant and is half-open, [s, s + L): orders exactly L apart never
share a window. Orders at one instant cannot be split. A window is therefore a run of a shop's
distinct order instants T_i..T_j (i ≤ j) that some [s, s + L) holds exactly, which is the case
iff T_j − T_i < L and T_{j+1} − T_{i−1} > L (T_0 = −∞, T_{m+1} = +∞). For a start i the ends j
form a range [lo(i), hi(i)], and both ends only grow with i, so a shop with m instants has O(m)
windows and every sequence below is sorted — the basis of the range counting that follows.

Unique buyers of a window = its distinct (instant, buyer) rows minus the "links" inside it (a
link joins a buyer's consecutive rows at the shop). Because window starts and ends are both
non-decreasing in window order, the windows holding a link (p, q) — start ≤ p and end ≥ q — are
one contiguous range, so all counts come from searchsorted and cumulative sums.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
HOUR_US = 3_600_000_000
# Decides which windows may be trusted when the orders are a cut-out of the shop's history:
# given each window's shop, first and last order instant, True where the window is admissible.
Admissible = Callable[[IntArray, IntArray, IntArray], BoolArray]


@dataclass(frozen=True)
class Groups:
    """Orders sorted by (shop, time, buyer), cut into groups: one shop at one instant."""

    order: IntArray  # input row of each sorted order
    group_of: IntArray  # group of each sorted order
    shop: IntArray  # per group
    time_us: IntArray  # per group
    orders_before: IntArray  # G + 1 cumulative order counts
    rows_before: IntArray  # G + 1 cumulative counts of distinct (instant, buyer) rows
    row_group: IntArray  # per distinct row
    row_buyer: IntArray  # per distinct row
    row_shop: IntArray  # per distinct row


@dataclass(frozen=True)
class Windows:
    """Every realisable window as a range of groups, first..last, with its counts."""

    first: IntArray
    last: IntArray
    orders: IntArray
    buyers: IntArray


def group_orders(shop: IntArray, buyer: IntArray, time_us: IntArray) -> Groups:
    order = np.lexsort((buyer, time_us, shop)).astype(np.int64)
    s, t, b = shop[order], time_us[order], buyer[order]
    new_group = np.ones(len(order), dtype=bool)
    new_group[1:] = (s[1:] != s[:-1]) | (t[1:] != t[:-1])
    new_row = new_group.copy()
    new_row[1:] |= b[1:] != b[:-1]
    starts = np.flatnonzero(new_group)
    rows_upto = np.cumsum(new_row)
    return Groups(
        order=order,
        group_of=np.cumsum(new_group) - 1,
        shop=s[starts],
        time_us=t[starts],
        orders_before=np.append(starts, len(order)).astype(np.int64),
        rows_before=np.append(rows_upto[starts] - 1, rows_upto[-1]).astype(np.int64),
        row_group=(np.cumsum(new_group) - 1)[new_row],
        row_buyer=b[new_row],
        row_shop=s[new_row],
    )


def _compressed_clock(groups: Groups, window_us: int) -> IntArray:
    """A clock on which shops follow each other and no gap exceeds window + 1: window relations
    (closer than the window or farther) are unchanged, shops never share a window, and the
    clock never overflows int64 whatever span the orders cover."""
    gaps = np.full(len(groups.time_us), window_us + 1, dtype=np.int64)
    same_shop = groups.shop[1:] == groups.shop[:-1]
    gaps[1:] = np.where(same_shop, np.minimum(np.diff(groups.time_us), window_us + 1), gaps[1:])
    return np.cumsum(gaps)


def realisable_windows(groups: Groups, window_us: int) -> tuple[IntArray, IntArray]:
    clock = _compressed_clock(groups, window_us)
    count = len(clock)
    index = np.arange(count, dtype=np.int64)
    last = np.searchsorted(clock, clock + window_us, side="left") - 1
    first_end = index.copy()
    after_previous = np.searchsorted(clock, clock[:-1] + window_us, side="right") - 1
    continues_shop = groups.shop[1:] == groups.shop[:-1]
    first_end[1:] = np.where(continues_shop, np.maximum(after_previous, index[1:]), index[1:])
    ends_per_start = last - first_end + 1
    starts = np.repeat(index, ends_per_start)
    offsets = np.cumsum(ends_per_start) - ends_per_start
    ends = first_end[starts] + np.arange(len(starts), dtype=np.int64) - offsets[starts]
    return starts, ends


def _links_inside(groups: Groups, first: IntArray, last: IntArray) -> IntArray:
    by_buyer = np.lexsort((groups.row_group, groups.row_buyer, groups.row_shop))
    shop, buyer = groups.row_shop[by_buyer], groups.row_buyer[by_buyer]
    group = groups.row_group[by_buyer]
    linked = (shop[1:] == shop[:-1]) & (buyer[1:] == buyer[:-1])
    earlier, later = group[:-1][linked], group[1:][linked]
    from_window = np.searchsorted(last, later, side="left")
    to_window = np.searchsorted(first, earlier, side="right") - 1
    held = from_window <= to_window
    size = len(first) + 1
    change = np.bincount(from_window[held], minlength=size) - np.bincount(
        to_window[held] + 1, minlength=size
    )
    return np.cumsum(change)[:-1]


def count_windows(groups: Groups, window_us: int) -> Windows:
    first, last = realisable_windows(groups, window_us)
    rows = groups.rows_before[last + 1] - groups.rows_before[first]
    return Windows(
        first=first,
        last=last,
        orders=groups.orders_before[last + 1] - groups.orders_before[first],
        buyers=rows - _links_inside(groups, first, last),
    )


def covered_orders(groups: Groups, first: IntArray, last: IntArray) -> BoolArray:
    """For each sorted order: does any of the given windows hold it?"""
    size = len(groups.time_us) + 1
    change = np.bincount(first, minlength=size) - np.bincount(last + 1, minlength=size)
    covered_group = np.cumsum(change)[:-1] > 0
    return covered_group[groups.group_of]


@dataclass(frozen=True)
class BrushingWindow:
    start_us: int  # the latest instant s whose window [s, s + L) holds exactly these orders
    first_order_us: int
    last_order_us: int
    orders: int
    buyers: int


@dataclass(frozen=True)
class ShopBrushing:
    """One brushing shop: its brushing windows, the orders inside them (each counted once, as the
    competition's 1.0-scoring reading requires) and the suspicious buyers."""

    shop: int
    windows: tuple[BrushingWindow, ...]
    order_rows: IntArray  # input rows of the orders inside brushing windows
    buyer_orders: dict[int, int]  # buyer → orders inside brushing windows
    suspicious: tuple[int, ...]  # the buyers with the highest share, ties all listed, ascending


def find_brushing(
    shop: IntArray,
    buyer: IntArray,
    time_us: IntArray,
    *,
    window_us: int = HOUR_US,
    min_ratio: float = 3,
    admissible: Admissible | None = None,
) -> list[ShopBrushing]:
    """Brushing shops among the orders given as parallel arrays of integer codes, by shop code."""
    if len(shop) == 0:
        return []
    groups = group_orders(shop, buyer, time_us)
    windows = count_windows(groups, window_us)
    brushing = windows.orders >= min_ratio * windows.buyers
    if admissible is not None:
        first_time, last_time = groups.time_us[windows.first], groups.time_us[windows.last]
        brushing &= admissible(groups.shop[windows.first], first_time, last_time)
    chosen = Windows(
        first=windows.first[brushing],
        last=windows.last[brushing],
        orders=windows.orders[brushing],
        buyers=windows.buyers[brushing],
    )
    covered = np.flatnonzero(covered_orders(groups, chosen.first, chosen.last))
    return _per_shop(groups, chosen, covered, buyer[groups.order], window_us)


def _window_starts(groups: Groups, windows: Windows, window_us: int) -> IntArray:
    following = np.minimum(windows.last + 1, len(groups.time_us) - 1)
    has_following = (windows.last + 1 < len(groups.time_us)) & (
        groups.shop[following] == groups.shop[windows.last]
    )
    latest_by_end = np.where(
        has_following, groups.time_us[following] - window_us, np.iinfo(np.int64).max
    )
    return np.minimum(groups.time_us[windows.first], latest_by_end)


def _window_records(groups: Groups, windows: Windows, window_us: int) -> list[BrushingWindow]:
    columns = (
        _window_starts(groups, windows, window_us),
        groups.time_us[windows.first],
        groups.time_us[windows.last],
        windows.orders,
        windows.buyers,
    )
    return [BrushingWindow(*values) for values in zip(*(c.tolist() for c in columns), strict=True)]


def _per_shop(
    groups: Groups, windows: Windows, covered: IntArray, sorted_buyer: IntArray, window_us: int
) -> list[ShopBrushing]:
    records = _window_records(groups, windows, window_us)
    order_shop = groups.shop[groups.group_of[covered]]
    shops, window_from = np.unique(groups.shop[windows.first], return_index=True)
    window_to = np.append(window_from[1:], len(records))
    order_from = np.searchsorted(order_shop, shops, side="left")
    order_to = np.searchsorted(order_shop, shops, side="right")
    found = []
    for index, shop in enumerate(shops.tolist()):
        positions = covered[order_from[index] : order_to[index]]
        buyers, counts = np.unique(sorted_buyer[positions], return_counts=True)
        found.append(
            ShopBrushing(
                shop=shop,
                windows=tuple(records[window_from[index] : window_to[index]]),
                order_rows=np.sort(groups.order[positions]),
                buyer_orders=dict(zip(buyers.tolist(), counts.tolist(), strict=True)),
                suspicious=tuple(buyers[counts == counts.max()].tolist()),
            )
        )
    return found
