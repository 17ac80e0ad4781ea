import json
from datetime import timedelta
from typing import Any

from ecredit.detection.fake_traffic import FakeTrafficParams, detect_fake_traffic
from ecredit.detection.finding import Finding
from tests.detection.signals_lake import (  # noqa: F401 (the fixtures)
    LakeTable,
    lake_table_fixture,
    signals_backend_fixture,
    utc,
)

START = utc(2026, 11, 1)
HISTORY = 48


def _hour(n: int) -> Any:
    return START + timedelta(hours=n)


def _shop(shop: str, hours: int = HISTORY, **bursts: dict[str, int | None]) -> list[dict[str, Any]]:
    """A flat history (100 visits, 150 clicks, 3 orders by 3 buyers an hour) with hours replaced.

    Its baseline: median visits 100, MAD 0, so scale = 10 % of 100 = 10 and z 6 is 160 visits;
    median orders 3, scale = min_scale 1, z 6 is 9 orders. Population conversion 0.03.
    """
    rows = []
    for n in range(hours):
        row: dict[str, Any] = {
            "shop_id": shop,
            "hour": _hour(n),
            "visits": 100,
            "clicks": 150,
            "orders": 3,
            "buyers": 3,
        }
        rows.append({**row, **bursts.get(f"h{n}", {})})
    return rows


def _detect(lake_table: LakeTable, rows: list[dict[str, Any]], **params: Any) -> list[Finding]:
    """Two flat shops more set the population conversion at 0.03 whatever the shop under test."""
    population = _shop("S8") + _shop("S9")
    table = lake_table("traffic", rows + population)
    return detect_fake_traffic(table, FakeTrafficParams(**params))


def _kinds(findings: list[Finding]) -> list[tuple[str | None, str, int]]:
    return [(f.shop_code, f.key[0], f.evidence["hours"]) for f in findings]


BOT = {"visits": 2000, "clicks": 3000, "orders": 2, "buyers": 2}
BRUSH = {"visits": 20, "clicks": 25, "orders": 12, "buyers": 4}


class TestBotBursts:
    def test_a_visit_burst_without_conversion_is_found_with_its_evidence(
        self, lake_table: LakeTable
    ) -> None:
        rows = _shop("S1", h10=BOT, h11=BOT)
        [finding] = _detect(lake_table, rows)
        assert (finding.shop_code, finding.key) == ("S1", ("bot", _hour(10).isoformat()))
        assert (finding.window_start, finding.window_end) == (_hour(10), _hour(12))
        assert finding.record_type == "fake_traffic"
        assert finding.score == 190.0  # (2000 - 100) / 10
        evidence = finding.evidence
        assert evidence["hours"] == 2
        assert evidence["visits"] == 4000
        assert evidence["shop_baseline"]["median_visits"] == 100
        assert evidence["shop_baseline"]["mad_visits"] == 0
        assert evidence["population_conversion"] == 0.03
        assert evidence["hourly"][0]["z_visits"] == 190.0
        assert json.loads(json.dumps(evidence)) == evidence

    def test_the_z_threshold_is_inclusive(self, lake_table: LakeTable) -> None:
        at = {"visits": 160, "clicks": 150, "orders": 0}
        under = {"visits": 159, "clicks": 150, "orders": 0}
        findings = _detect(lake_table, _shop("S1", h5=at, h20=under))
        assert [f.window_start for f in findings] == [_hour(5)]

    def test_a_click_burst_alone_is_enough(self, lake_table: LakeTable) -> None:
        clicks = {"visits": 100, "clicks": 2000, "orders": 0}
        assert _kinds(_detect(lake_table, _shop("S1", h5=clicks))) == [("S1", "bot", 1)]

    def test_a_burst_that_converts_normally_is_not_bot(self, lake_table: LakeTable) -> None:
        # 2000 visits, 20 orders: conversion 0.01 > 0.2 × 0.03.
        busy = {"visits": 2000, "clicks": 3000, "orders": 20, "buyers": 20}
        assert _detect(lake_table, _shop("S1", h5=busy)) == []

    def test_conversion_bound_against_the_population(self, lake_table: LakeTable) -> None:
        below = {"visits": 2000, "clicks": 3000, "orders": 11}  # 0.0055 ≤ 0.006
        above = {"visits": 2000, "clicks": 3000, "orders": 13}  # 0.0065 > 0.006
        findings = _detect(lake_table, _shop("S1", h5=below, h9=above))
        assert [f.window_start for f in findings] == [_hour(5)]

    def test_small_shops_need_the_absolute_visit_floor(self, lake_table: LakeTable) -> None:
        small = [{**row, "visits": 5, "clicks": 5, "orders": 0} for row in _shop("S1")]
        small[7]["visits"] = 99
        assert _detect(lake_table, small) == []
        assert len(_detect(lake_table, small, min_burst_visits=99)) == 1


class TestBrushingBursts:
    def test_near_total_conversion_from_few_accounts_is_found(self, lake_table: LakeTable) -> None:
        [finding] = _detect(lake_table, _shop("S1", h30=BRUSH))
        assert finding.key == ("brushing", _hour(30).isoformat())
        assert finding.score == 9.0  # (12 - 3) / 1
        assert finding.evidence["hourly"][0]["conversion"] == 0.6

    def test_orders_per_buyer_bound_is_inclusive(self, lake_table: LakeTable) -> None:
        spread = {**BRUSH, "buyers": 5}  # 12 < 3 × 5
        findings = _detect(lake_table, _shop("S1", h30=BRUSH, h40=spread))
        assert [f.window_start for f in findings] == [_hour(30)]

    def test_buyers_must_be_reported(self, lake_table: LakeTable) -> None:
        assert _detect(lake_table, _shop("S1", h30={**BRUSH, "buyers": None})) == []

    def test_conversion_bound_is_inclusive(self, lake_table: LakeTable) -> None:
        at = {**BRUSH, "visits": 24}  # 12 / 24 = 0.5
        under = {**BRUSH, "visits": 25}  # 0.48
        findings = _detect(lake_table, _shop("S1", h30=at, h40=under))
        assert [f.window_start for f in findings] == [_hour(30)]

    def test_min_burst_orders(self, lake_table: LakeTable) -> None:
        nine = {"visits": 9, "clicks": 9, "orders": 9, "buyers": 3}  # z = 6, but 9 < 10
        assert _detect(lake_table, _shop("S1", h30=nine)) == []
        assert len(_detect(lake_table, _shop("S1", h30=nine), min_burst_orders=9)) == 1


class TestBursts:
    def test_consecutive_hours_form_one_burst_and_a_gap_splits_them(
        self, lake_table: LakeTable
    ) -> None:
        rows = _shop("S1", h3=BOT, h4=BOT, h5=BOT, h7=BOT, h8=BRUSH)
        assert _kinds(_detect(lake_table, rows)) == [
            ("S1", "bot", 3),
            ("S1", "bot", 1),
            ("S1", "brushing", 1),
        ]

    def test_shops_with_too_short_a_history_are_not_judged(self, lake_table: LakeTable) -> None:
        rows = _shop("S1", hours=23, h5=BOT) + _shop("S2", hours=24, h5=BOT)
        assert _kinds(_detect(lake_table, rows)) == [("S2", "bot", 1)]

    def test_a_noisy_history_raises_the_bar(self, lake_table: LakeTable) -> None:
        # Visits alternate 50 / 150: median 150, MAD 50, scale 74.13: 500 visits is z ≈ 4.7
        # only, 700 visits z ≈ 7.4.
        def noisy(burst_visits: int) -> list[dict[str, Any]]:
            rows = _shop("S1")
            for n, row in enumerate(rows):
                row["visits"] = 50 if n % 2 == 0 else 150
            rows[12].update(visits=burst_visits, orders=0)
            return rows

        assert _detect(lake_table, noisy(500)) == []
        [finding] = _detect(lake_table, noisy(700))
        assert finding.evidence["shop_baseline"]["mad_visits"] == 50
