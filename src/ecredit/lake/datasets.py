"""The datasets of the lake and their columns, as data (the lake contract, docs/detection.md).

Each column has an Arrow type, whether it may be empty, and the rules a value must keep beyond
its type (a range, a set of choices, a maximum length). `day_column` names the timestamp whose
UTC date chooses the partition.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")
MONEY = pa.decimal128(18, 2)
MAX_ID_LENGTH = 128
MAX_TEXT_LENGTH = 4000


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    max_length: int = MAX_ID_LENGTH

    @property
    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple[Column, ...]
    day_column: str

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([column.field for column in self.columns])

    @property
    def required(self) -> list[str]:
        return [column.name for column in self.columns if not column.nullable]


def _id(name: str, nullable: bool = False) -> Column:
    return Column(name, pa.string(), nullable)


def _count(name: str, nullable: bool = False, kind: pa.DataType | None = None) -> Column:
    return Column(name, kind or pa.int64(), nullable, minimum=0)


ORDERS = Dataset(
    "orders",
    (
        _id("order_id"), _id("shop_id"), _id("buyer_id"), Column("order_time", TIMESTAMP),
        Column("amount", MONEY, minimum=0), _id("item_id", True), _id("payment_account", True),
        _id("device_id", True), _id("address_hash", True), _id("waybill_no", True),
    ),
    day_column="order_time",
)  # fmt: skip
REVIEWS = Dataset(
    "reviews",
    (
        _id("review_id"), _id("reviewer_id"), _id("shop_id"), _id("product_id", True),
        Column("rating", pa.int8(), minimum=1, maximum=5), Column("review_time", TIMESTAMP),
        Column("text", pa.string(), True, max_length=MAX_TEXT_LENGTH), _id("order_id", True),
    ),
    day_column="review_time",
)  # fmt: skip
TRAFFIC = Dataset(
    "traffic",
    (
        _id("shop_id"), Column("hour", TIMESTAMP), _count("visits"), _count("clicks"),
        _count("orders"), _count("buyers", nullable=True),
    ),
    day_column="hour",
)  # fmt: skip
PRICES = Dataset(
    "prices",
    (
        _id("shop_id"), _id("product_id"), Column("observed_at", TIMESTAMP),
        Column("price", MONEY, minimum=0),
        Column("kind", pa.string(), choices=("listed", "transaction", "promotion")),
        Column("reference_price", MONEY, True, minimum=0), _id("promotion_id", True),
    ),
    day_column="observed_at",
)  # fmt: skip
SHIPMENTS = Dataset(
    "shipments",
    (
        _id("waybill_no"), _id("carrier_id"), _id("order_id"), _id("shop_id"),
        _count("declared_weight_g"), _count("item_weight_g", nullable=True),
        Column("picked_up_at", TIMESTAMP), Column("signed_at", TIMESTAMP, True),
        _count("scans", kind=pa.int32()), Column("scan_kinds", pa.string(), True, max_length=500),
    ),
    day_column="picked_up_at",
)  # fmt: skip

DATASETS: dict[str, Dataset] = {d.name: d for d in (ORDERS, REVIEWS, TRAFFIC, PRICES, SHIPMENTS)}
