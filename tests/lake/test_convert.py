"""Row validation: each broken rule of each row is named; clean values convert in bulk."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from ecredit.lake.convert import cast_tolerant, convert
from ecredit.lake.datasets import DATASETS, MONEY, ORDERS, PRICES, REVIEWS, TIMESTAMP


def _batch(**columns: list[str | None]) -> pa.RecordBatch:
    return pa.record_batch({name: pa.array(v, pa.string()) for name, v in columns.items()})


def _review(**values: list[str | None]) -> pa.RecordBatch:
    base: dict[str, list[str | None]] = {
        "review_id": ["r1"], "reviewer_id": ["u1"], "shop_id": ["S1"], "rating": ["5"],
        "review_time": ["2026-03-01T08:00:00+08:00"],
    }  # fmt: skip
    return _batch(**(base | values))


class TestConvert:
    def test_converts_to_contract_types_when_row_valid(self) -> None:
        result = convert(_review(), pa.array([1]), REVIEWS)
        assert result.errors == []
        assert result.table.schema == REVIEWS.schema
        row = result.table.to_pylist()[0]
        assert row["rating"] == 5
        assert row["review_time"].isoformat() == "2026-03-01T00:00:00+00:00"

    @pytest.mark.parametrize(
        ("column", "value", "rule"),
        [
            ("rating", "6", "maximum"),
            ("rating", "0", "minimum"),
            ("rating", "five", "integer"),
            ("rating", "300", "maximum"),
            ("review_time", "2026-03-01T08:00:00", "timestamp"),
            ("review_time", "2026-02-30T08:00:00Z", "timestamp"),
            ("review_id", "", "required"),
            ("review_id", None, "required"),
            ("shop_id", "x" * 129, "max_length"),
        ],
    )
    def test_names_field_and_rule_when_value_breaks_it(
        self, column: str, value: str | None, rule: str
    ) -> None:
        result = convert(_review(**{column: [value]}), pa.array([7]), REVIEWS)
        assert [(e.row, e.field, e.rule) for e in result.errors] == [(7, column, rule)]
        assert result.table.num_rows == 0
        assert result.rejected == 1

    def test_keeps_good_rows_when_others_in_batch_broken(self) -> None:
        batch = _batch(
            order_id=["a", "b", "c"], shop_id=["S"] * 3, buyer_id=["u"] * 3,
            order_time=["2026-03-01T00:00:00Z"] * 3, amount=["1.5", "1.234", "-2"],
        )  # fmt: skip
        result = convert(batch, pa.array([2, 3, 4]), ORDERS)
        assert result.table.column("order_id").to_pylist() == ["a"]
        assert result.table.column("amount").to_pylist() == [Decimal("1.50")]
        assert [(e.row, e.rule) for e in result.errors] == [(3, "decimal"), (4, "minimum")]

    def test_refuses_kind_when_not_a_choice(self) -> None:
        batch = _batch(shop_id=["S"], product_id=["p"], observed_at=["2026-03-01T00:00:00Z"],
                       price=["10"], kind=["clearance"])  # fmt: skip
        result = convert(batch, pa.array([1]), PRICES)
        assert [(e.field, e.rule) for e in result.errors] == [("kind", "choice")]
        assert "listed, transaction, promotion" in result.errors[0].message

    def test_contract_columns_when_dataset_schema_read(self) -> None:
        assert ORDERS.schema.field("amount").type == MONEY
        assert ORDERS.schema.field("order_time").type == TIMESTAMP
        assert not ORDERS.schema.field("order_id").nullable
        assert set(DATASETS) == {"orders", "reviews", "traffic", "prices", "shipments"}


class TestCastTolerant:
    def test_isolates_bad_values_when_cast_fails(self) -> None:
        values = pa.array(["1", "x", "3", "4", "y", "6", "7"])
        cast, bad = cast_tolerant(values, pa.int64())
        assert bad == [1, 4]
        assert cast.to_pylist() == [1, None, 3, 4, None, 6, 7]
