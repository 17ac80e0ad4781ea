"""Logistics credit (C9): shipments by waybill, the tracking events carriers push, and the
evaluations of carriers and couriers by regulators, merchants and consumers.

A tracking event is a fact reported once: (shipment, event_id) makes a re-sent event a
duplicate. The shipment's current state is the latest event by event time (ties by the
step's rank, then the event id), never by arrival, so a late older event cannot regress it.
The consignee's phone is personal data: only a keyed blind index and a masked display are kept.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import StrEnumType, UTCDateTime
from ecredit.models.base import Base, Timestamped, utcnow


class TrackingStatus(StrEnum):
    """The steps of a parcel's journey (揽收, 运输, 到达, 派送, 签收, 退回, 异常)."""

    COLLECTED = "collected"  # 揽收
    IN_TRANSIT = "in_transit"  # 运输
    ARRIVED = "arrived"  # 到达
    OUT_FOR_DELIVERY = "out_for_delivery"  # 派送
    SIGNED = "signed"  # 签收
    RETURNED = "returned"  # 退回
    EXCEPTION = "exception"  # 异常


STATUS_RANK: dict[TrackingStatus, int] = {
    TrackingStatus.COLLECTED: 1,
    TrackingStatus.IN_TRANSIT: 2,
    TrackingStatus.ARRIVED: 3,
    TrackingStatus.OUT_FOR_DELIVERY: 4,
    TrackingStatus.EXCEPTION: 5,
    TrackingStatus.RETURNED: 6,
    TrackingStatus.SIGNED: 7,
}
"""Order of steps reported at the same instant: the later in the journey is the current one."""


class RaterParty(StrEnum):
    """Who evaluates a carrier or courier."""

    REGULATOR = "regulator"
    MERCHANT = "merchant"
    CONSUMER = "consumer"


class Shipment(Timestamped, Base):
    """A parcel under one waybill number, carried by a logistics subject."""

    __tablename__ = "shipment"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    waybill: Mapped[str] = mapped_column(String(40), unique=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    merchant_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"), index=True)
    order_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    declared_weight_g: Mapped[int]
    origin_area: Mapped[str] = mapped_column(String(6))
    destination_area: Mapped[str] = mapped_column(String(6))
    consignee_phone_index: Mapped[str | None] = mapped_column(String(64), index=True)
    consignee_phone_masked: Mapped[str | None] = mapped_column(String(20))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    # The current state: the latest event by (event time, step rank, event id).
    status: Mapped[TrackingStatus | None] = mapped_column(StrEnumType(TrackingStatus))
    status_rank: Mapped[int | None] = mapped_column(SmallInteger)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_event_id: Mapped[str | None] = mapped_column(String(100))


class TrackingEvent(Base):
    """One scan of a shipment pushed by its carrier: what happened, when, where, who held it."""

    __tablename__ = "tracking_event"
    __table_args__ = (
        UniqueConstraint("shipment_id", "event_id"),
        Index("ix_tracking_event_shipment_time", "shipment_id", "event_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"))
    event_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[TrackingStatus] = mapped_column(StrEnumType(TrackingStatus))
    event_time: Mapped[datetime] = mapped_column(UTCDateTime)
    area_code: Mapped[str | None] = mapped_column(String(6))
    outlet: Mapped[str | None] = mapped_column(String(100))
    courier_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ShipmentEvaluation(Base):
    """A party's rating (1–5) of a shipment's carrier or of a courier who handled it; one per
    party per rated subject per shipment."""

    __tablename__ = "shipment_evaluation"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("shipment_id", "subject_id", "rater_key"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        Index("ix_shipment_evaluation_subject_time", "subject_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipment.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    party: Mapped[RaterParty] = mapped_column(StrEnumType(RaterParty))
    # Who rated: "org:<id>" (a regulator), "merchant:<subject id>", "consumer:<blind index>".
    rater_key: Mapped[str] = mapped_column(String(80))
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
