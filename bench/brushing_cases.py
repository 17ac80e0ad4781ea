"""Hand-made order-brushing edge cases, shared by the tests and the benchmark's oracle check.

Each case is a few orders (platform, shop, buyer, seconds after T0) and the expected brushing
shops with their suspicious buyers. The window is [s, s + 1 h) for any instant s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

T0 = datetime(2026, 11, 1, 23, 0, tzinfo=UTC)  # one hour before midnight: day partitions differ
MINUTE = 60


@dataclass(frozen=True)
class EdgeCase:
    name: str
    orders: list[tuple[int, str, str, int]]  # platform, shop, buyer, seconds after T0
    expected: dict[tuple[int, str], tuple[str, ...]] = field(default_factory=dict)


def _at(
    shop: str, buyer: str, *minutes: float, platform: int = 1
) -> list[tuple[int, str, str, int]]:
    return [(platform, shop, buyer, round(minute * MINUTE)) for minute in minutes]


EDGE_CASES = [
    EdgeCase("identical instants", _at("S1", "A", 5, 5, 5), {(1, "S1"): ("A",)}),
    EdgeCase("orders exactly one hour apart never share a window", _at("S1", "A", 0, 30, 60)),
    EdgeCase(
        "one second under an hour does", _at("S1", "A", 0, 30, 60 - 1 / 60), {(1, "S1"): ("A",)}
    ),
    EdgeCase(
        # Windows starting at an order hold D or B/C; only one starting between them holds A×3.
        "a window that starts at no order",
        _at("S1", "D", -50) + _at("S1", "A", 0, 10, 20) + _at("S1", "B", 50) + _at("S1", "C", 55),
        {(1, "S1"): ("A",)},
    ),
    EdgeCase(
        "ties are all listed",
        _at("S1", "B", 7, 7, 7) + _at("S1", "A", 7, 7, 7),
        {(1, "S1"): ("A", "B")},
    ),
    EdgeCase(
        "round robin just under the ratio",
        [(1, "S1", buyer, minute * MINUTE) for minute, buyer in enumerate("ABCABCAB")],
    ),
    EdgeCase(
        "an order in overlapping windows counts once",
        _at("S1", "A", 0, 1, 2, 3) + _at("S1", "B", 58, 58.5, 59),
        {(1, "S1"): ("A",)},
    ),
    EdgeCase(
        "same shop code on two platforms",
        _at("S1", "A", 0, 1, 2, platform=1) + _at("S1", "A", 0, 1, platform=2),
        {(1, "S1"): ("A",)},
    ),
    EdgeCase("a window across midnight", _at("S9", "A", 40, 50, 70), {(1, "S9"): ("A",)}),
    EdgeCase(
        "honest orders dilute a burst below the ratio",
        _at("S1", "H1", -1) + _at("S1", "A", 0, 1, 2) + _at("S1", "H2", 3),
    ),
]
