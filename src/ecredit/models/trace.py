"""Product traceability (C10): products by GTIN, their batches, and trace events after
GS1 EPCIS 2.0 (what, when, where, why, who).

A trace event is a fact reported once: its `event_id` makes a re-sent event a duplicate.
A consumer reference is personal data: only a keyed blind index and a masked display are kept.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecredit.kit.types import StrEnumType, UTCDateTime
from ecredit.models.base import Base, Timestamped, utcnow


class ProductCategory(StrEnum):
    FOOD = "food"
    DRUG = "drug"
    OTHER = "other"


class BusinessStep(StrEnum):
    """The EPCIS `bizStep`s of an e-commerce product's life, in their usual order."""

    LISTED = "listed"
    SOLD = "sold"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    SIGNED = "signed"
    REVIEWED = "reviewed"
    COMPLAINED = "complained"
    RECALLED = "recalled"


class ResponsibleRole(StrEnum):
    """Who answered for the product at a step (EPCIS `who`, by role)."""

    MANUFACTURER = "manufacturer"
    MERCHANT = "merchant"
    CARRIER = "carrier"
    PLATFORM = "platform"


class Product(Timestamped, Base):
    """A trade item identified by its GS1 GTIN."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    gtin: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[ProductCategory] = mapped_column(StrEnumType(ProductCategory))
    manufacturer_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)


class Batch(Timestamped, Base):
    """A production lot of a product (GS1 AI 10)."""

    __tablename__ = "product_batch"
    __table_args__ = (UniqueConstraint("product_id", "batch_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    batch_code: Mapped[str] = mapped_column(String(20))
    produced_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)

    product: Mapped[Product] = relationship(lazy="joined")


class TraceEvent(Base):
    """One EPCIS-style event on a batch: what, when, where, why and who."""

    __tablename__ = "trace_event"
    __table_args__ = (Index("ix_trace_event_batch_time", "batch_id", "event_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("product_batch.id"))
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    event_time: Mapped[datetime] = mapped_column(UTCDateTime)
    read_point: Mapped[str | None] = mapped_column(String(300))
    region_code: Mapped[str | None] = mapped_column(String(6))
    business_step: Mapped[BusinessStep] = mapped_column(StrEnumType(BusinessStep))
    disposition: Mapped[str | None] = mapped_column(String(60))
    responsible_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    responsible_role: Mapped[ResponsibleRole] = mapped_column(StrEnumType(ResponsibleRole))
    order_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id"), index=True)
    waybill: Mapped[str | None] = mapped_column(String(60))
    consumer_index: Mapped[str | None] = mapped_column(String(64), index=True)
    consumer_masked: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
