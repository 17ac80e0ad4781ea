"""The vectorised brushing rule equals the brute-force oracle of its definition, edge cases too."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ecredit.detection.brushing_oracle import OracleShop, oracle_brushing
from ecredit.detection.brushing_windows import HOUR_US, ShopBrushing, find_brushing

MINUTE = 60_000_000


def _fast(shops: list[int], buyers: list[int], times: list[int]) -> dict[int, ShopBrushing]:
    arrays = (np.array(values, dtype=np.int64) for values in (shops, buyers, times))
    return {found.shop: found for found in find_brushing(*arrays)}


def _window_rows(found: ShopBrushing, shops: list[int], times: list[int]) -> set[frozenset[int]]:
    """Each fast window as the set of its rows: the shop's orders between its first and last."""
    return {
        frozenset(
            row
            for row, (shop, time) in enumerate(zip(shops, times, strict=True))
            if shop == found.shop and window.first_order_us <= time <= window.last_order_us
        )
        for window in found.windows
    }


def _assert_same(shops: list[int], buyers: list[int], times: list[int]) -> dict[int, OracleShop]:
    expected = oracle_brushing(shops, buyers, times)
    fast = _fast(shops, buyers, times)
    assert set(fast) == set(expected)
    for shop, oracle in expected.items():
        found = fast[shop]
        assert _window_rows(found, shops, times) == oracle.windows
        assert set(found.order_rows.tolist()) == oracle.order_rows
        assert found.suspicious == oracle.suspicious
        for window in found.windows:
            assert window.orders >= 3 * window.buyers
            assert window.start_us <= window.first_order_us
            assert window.last_order_us < window.start_us + HOUR_US
    return expected


# Few shops, few buyers and a coarse clock: identical instants, exact-hour gaps and ties abound.
_times = st.integers(min_value=0, max_value=12).map(lambda step: step * 15 * MINUTE)
_orders = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), _times), min_size=0, max_size=28)


@settings(max_examples=400, deadline=None)
@given(_orders)
def test_random_small_order_sets_match_the_oracle(orders: list[tuple[int, int, int]]) -> None:
    _assert_same([o[0] for o in orders], [o[1] for o in orders], [o[2] for o in orders])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.just(0), st.integers(0, 2), st.integers(0, 3 * HOUR_US // MINUTE)),
        max_size=24,
    )
)
def test_random_minute_clocks_match_the_oracle(orders: list[tuple[int, int, int]]) -> None:
    _assert_same([o[0] for o in orders], [o[1] for o in orders], [o[2] * MINUTE for o in orders])
