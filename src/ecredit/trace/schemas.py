"""Pydantic I/O of traceability. Public models carry no order, waybill or consumer data."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ecredit.models.trace import BusinessStep, ProductCategory, ResponsibleRole

BATCH_PATTERN = r"^[!-~]{1,20}$"  # GS1 AI (10): up to 20 printable ASCII characters
MAX_EVENTS = 1000


class ProductCreate(BaseModel):
    gtin: str = Field(description="GS1 GTIN-8, -12, -13 or -14 with its check digit.")
    name: str = Field(min_length=1, max_length=200)
    category: ProductCategory
    manufacturer_id: int = Field(description="The manufacturer subject.")


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    gtin: str
    name: str
    category: ProductCategory
    manufacturer_id: int


class BatchCreate(BaseModel):
    batch_code: str = Field(pattern=BATCH_PATTERN)
    produced_on: date | None = None
    expires_on: date | None = None


class BatchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    product_id: int
    batch_code: str
    produced_on: date | None
    expires_on: date | None


class TraceEventIn(BaseModel):
    """One EPCIS 2.0-style event: what (product, batch, quantity), when, where, why, who."""

    event_id: str = Field(min_length=1, max_length=100, description="Unique; makes resends safe.")
    gtin: str
    batch_code: str = Field(pattern=BATCH_PATTERN)
    quantity: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=3)
    event_time: AwareDatetime
    read_point: str | None = Field(None, max_length=300)
    region_code: str | None = Field(None, pattern=r"^\d{6}$")
    business_step: BusinessStep
    disposition: str | None = Field(None, max_length=60)
    responsible_id: int
    responsible_role: ResponsibleRole
    order_ref: str | None = Field(None, max_length=100)
    shop_id: int | None = None
    waybill: str | None = Field(None, max_length=60)
    consumer_ref: str | None = Field(None, max_length=100, description="Personal data: masked.")


class TraceEventBatch(BaseModel):
    events: list[TraceEventIn] = Field(min_length=1, max_length=MAX_EVENTS)


class IngestRow(BaseModel):
    index: int
    event_id: str
    status: Literal["created", "duplicate", "rejected"]
    message: str | None = None


class IngestReport(BaseModel):
    created: int
    duplicates: int
    rejected: int
    rows: list[IngestRow]


class RecallCreate(BaseModel):
    reason: str = Field(min_length=2, max_length=60, description="Stored as the disposition.")
    event_id: str | None = Field(None, max_length=100, description="Give one to make it safe.")
    responsible_id: int | None = Field(None, description="Default: the manufacturer.")
    read_point: str | None = Field(None, max_length=300)


class PartyRead(BaseModel):
    id: int
    name: str
    role: ResponsibleRole | None = None


class ShopRef(BaseModel):
    id: int
    name: str


class ProductInfo(BaseModel):
    gtin: str
    name: str
    category: ProductCategory
    batch_code: str
    produced_on: date | None
    expires_on: date | None


class StepRead(BaseModel):
    event_id: str
    business_step: BusinessStep
    event_time: datetime
    quantity: Decimal | None
    read_point: str | None
    region_code: str | None
    disposition: str | None
    responsible: PartyRead
    shop: ShopRef | None
    order_ref: str | None
    waybill: str | None
    consumer_masked: str | None


class TraceAnswer(BaseModel):
    """来源可查、去向可追、责任可究: origin, the chain in time order, destinations, complaints."""

    product: ProductInfo
    origin: PartyRead
    steps: list[StepRead]
    shops: list[ShopRef]
    orders: list[str]
    complaints: list[StepRead]
    recalled: bool


class PublicStep(BaseModel):
    business_step: BusinessStep
    event_time: datetime
    region_code: str | None
    responsible: PartyRead
    shop: ShopRef | None


class PublicTraceAnswer(BaseModel):
    product: ProductInfo
    origin: PartyRead
    steps: list[PublicStep]
    recalled: bool


class AffectedOrder(BaseModel):
    order_ref: str
    shop: ShopRef | None
    waybill: str | None
    consumer_masked: str | None
    last_step: BusinessStep
    last_event_time: datetime


class RecallSet(BaseModel):
    gtin: str
    batch_code: str
    recalled: bool
    orders: list[AffectedOrder]
    shops: list[ShopRef]
    consumers: list[str] = Field(description="Masked consumer references, one per consumer.")
