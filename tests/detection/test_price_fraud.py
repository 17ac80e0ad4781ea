import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ecredit.detection.finding import Finding
from ecredit.detection.price_fraud import PriceFraudParams, detect_price_fraud
from tests.detection.signals_lake import (  # noqa: F401 (the fixtures)
    LakeTable,
    lake_table_fixture,
    signals_backend_fixture,
    utc,
)

T0 = utc(2026, 11, 11, 0, 0)


def _row(kind: str, at: Any, price: str, **extra: Any) -> dict[str, Any]:
    return {
        "shop_id": "S1",
        "product_id": "P1",
        "observed_at": at,
        "price": Decimal(price),
        "kind": kind,
        **extra,
    }


def _promo(
    reference: str | None, price: str = "80.00", at: Any = T0, pid: str | None = "D11"
) -> dict:
    ref = None if reference is None else Decimal(reference)
    return _row("promotion", at, price, reference_price=ref, promotion_id=pid)


def _detect(lake_table: LakeTable, rows: list[dict[str, Any]], **params: int) -> list[Finding]:
    return detect_price_fraud(lake_table("prices", rows), PriceFraudParams(**params))


def _violations(findings: list[Finding]) -> list[list[str]]:
    return [f.evidence["violations"] for f in findings]


class TestFabricatedReference:
    def test_flagged_when_reference_exceeds_the_seven_day_lowest_transaction(
        self, lake_table: LakeTable
    ) -> None:
        rows = [
            _row("transaction", T0 - timedelta(days=3), "100.00"),
            _row("transaction", T0 - timedelta(days=1), "99.99"),
            _promo("100.00"),
        ]
        [finding] = _detect(lake_table, rows)
        assert finding.evidence["violations"] == ["fabricated_reference"]
        assert finding.evidence["base_price"] == "99.99"
        assert finding.evidence["base_source"] == "7_day_lowest"
        assert finding.evidence["transactions_in_7_days"] == 2
        assert "第二十一条" in finding.evidence["rules"][0]
        assert finding.shop_code == "S1"
        assert finding.platform_id == 1
        assert finding.record_type == "price_fraud"
        assert finding.key == ("P1", "D11")
        assert finding.window_start == T0 - timedelta(days=7)
        assert finding.score > 0
        assert json.loads(json.dumps(finding.evidence)) == finding.evidence

    def test_not_flagged_when_reference_equals_the_lowest_transaction(
        self, lake_table: LakeTable
    ) -> None:
        rows = [_row("transaction", T0 - timedelta(days=2), "100.00"), _promo("100.00")]
        assert _detect(lake_table, rows) == []

    def test_a_transaction_exactly_seven_days_before_counts(self, lake_table: LakeTable) -> None:
        rows = [
            _row("transaction", T0 - timedelta(days=7), "90.00"),
            _row("transaction", T0 - timedelta(days=1), "100.00"),
            _promo("100.00"),
        ]
        [finding] = _detect(lake_table, rows)
        assert finding.evidence["base_price"] == "90.00"

    def test_a_transaction_just_over_seven_days_before_does_not_count(
        self, lake_table: LakeTable
    ) -> None:
        rows = [
            _row("transaction", T0 - timedelta(days=7, microseconds=1), "90.00"),
            _row("transaction", T0 - timedelta(days=1), "100.00"),
            _promo("100.00"),
        ]
        assert _detect(lake_table, rows) == []

    def test_a_transaction_at_the_promotion_start_does_not_count(
        self, lake_table: LakeTable
    ) -> None:
        rows = [
            _row("transaction", T0, "80.00"),
            _row("transaction", T0 - timedelta(hours=1), "100.00"),
            _promo("100.00"),
        ]
        assert _detect(lake_table, rows) == []

    def test_last_transaction_is_the_base_when_none_in_seven_days(
        self, lake_table: LakeTable
    ) -> None:
        rows = [
            _row("transaction", T0 - timedelta(days=40), "70.00"),
            _row("transaction", T0 - timedelta(days=20), "95.00"),
            _promo("100.00"),
        ]
        [finding] = _detect(lake_table, rows)
        assert finding.evidence["base_price"] == "95.00"
        assert finding.evidence["base_source"] == "last_transaction"

    def test_unverifiable_without_any_earlier_transaction(self, lake_table: LakeTable) -> None:
        rows = [_row("listed", T0 - timedelta(days=2), "100.00"), _promo("500.00")]
        assert _detect(lake_table, rows) == []

    def test_other_shops_and_products_do_not_set_the_base(self, lake_table: LakeTable) -> None:
        rows = [
            {**_row("transaction", T0 - timedelta(days=1), "10.00"), "shop_id": "S2"},
            {**_row("transaction", T0 - timedelta(days=1), "10.00"), "product_id": "P2"},
            {**_row("transaction", T0 - timedelta(days=1), "10.00"), "platform": 2},
            _row("transaction", T0 - timedelta(days=1), "100.00"),
            _promo("100.00"),
        ]
        assert _detect(lake_table, rows) == []

    def test_event_starts_at_its_first_observation(self, lake_table: LakeTable) -> None:
        # The transaction at 80 happened during the promotion, after its first observation.
        rows = [
            _row("transaction", T0 - timedelta(days=1), "100.00"),
            _promo("100.00", at=T0),
            _row("transaction", T0 + timedelta(hours=2), "80.00"),
            _promo("100.00", at=T0 + timedelta(hours=3)),
        ]
        assert _detect(lake_table, rows) == []

    def test_no_reference_shown_is_never_a_fabricated_reference(
        self, lake_table: LakeTable
    ) -> None:
        rows = [_row("transaction", T0 - timedelta(days=1), "50.00"), _promo(None, price="90.00")]
        assert _detect(lake_table, rows) == []

    def test_untagged_promotion_rows_are_separate_events(self, lake_table: LakeTable) -> None:
        rows = [
            _row("transaction", T0 - timedelta(days=1), "100.00"),
            _promo("100.00", pid=None),
            _promo("120.00", at=T0 + timedelta(days=1), pid=None),
        ]
        [finding] = _detect(lake_table, rows)
        assert finding.key == ("P1", (T0 + timedelta(days=1)).isoformat())
        assert finding.evidence["reference_price"] == "120.00"


class TestRaiseThenDiscount:
    def _raised(self, promo_price: str, raise_days_before: float) -> list[dict[str, Any]]:
        # Sold at 100 for a long time, list price raised to 150, promotion at promo_price with
        # the raised price as its reference; transactions at 150 make the 7-day base 150.
        raised_at = T0 - timedelta(days=raise_days_before)
        return [
            _row("listed", T0 - timedelta(days=30), "100.00"),
            _row("transaction", T0 - timedelta(days=29), "100.00"),
            _row("listed", raised_at, "150.00"),
            _row("transaction", T0 - timedelta(days=7), "150.00"),
            _promo("150.00", price=promo_price),
        ]

    def test_flagged_when_promotion_price_is_not_below_the_pre_raise_price(
        self, lake_table: LakeTable
    ) -> None:
        [finding] = _detect(lake_table, self._raised("120.00", 5))
        assert finding.evidence["violations"] == ["raise_then_discount"]
        assert finding.evidence["price_before_raise"] == "100.00"
        assert finding.evidence["peak_listed_price"] == "150.00"
        assert finding.score == 0.5

    def test_flagged_when_promotion_price_equals_the_pre_raise_price(
        self, lake_table: LakeTable
    ) -> None:
        assert _violations(_detect(lake_table, self._raised("100.00", 5))) == [
            ["raise_then_discount"]
        ]

    def test_not_flagged_when_promotion_price_is_below_the_pre_raise_price(
        self, lake_table: LakeTable
    ) -> None:
        assert _detect(lake_table, self._raised("99.99", 5)) == []

    def test_a_raise_exactly_at_the_window_start_counts(self, lake_table: LakeTable) -> None:
        assert len(_detect(lake_table, self._raised("120.00", 7))) == 1

    def test_a_raise_before_the_window_does_not_count(self, lake_table: LakeTable) -> None:
        assert _detect(lake_table, self._raised("120.00", 7.5)) == []
        assert len(_detect(lake_table, self._raised("120.00", 7.5), raise_window_days=8)) == 1

    def test_a_price_cut_before_the_promotion_is_not_a_raise(self, lake_table: LakeTable) -> None:
        rows = [
            _row("listed", T0 - timedelta(days=30), "150.00"),
            _row("transaction", T0 - timedelta(days=2), "150.00"),
            _row("listed", T0 - timedelta(days=3), "120.00"),
            _promo("150.00", price="130.00"),
        ]
        assert _detect(lake_table, rows) == []

    def test_both_rules_in_one_event_give_one_finding(self, lake_table: LakeTable) -> None:
        rows = [*self._raised("120.00", 5), _row("transaction", T0 - timedelta(days=6), "100.00")]
        [finding] = _detect(lake_table, rows)
        assert finding.evidence["violations"] == ["fabricated_reference", "raise_then_discount"]
        assert finding.evidence["base_price"] == "100.00"
