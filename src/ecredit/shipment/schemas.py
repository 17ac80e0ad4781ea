"""Pydantic I/O of logistics credit. Public models carry no order, consignee or courier data."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ecredit.models.shipment import RaterParty, TrackingStatus

WAYBILL_PATTERN = r"^[A-Za-z0-9-]{6,40}$"
AREA_PATTERN = r"^\d{6}$"  # GB/T 2260 administrative division code
MAX_EVENTS = 5000


class ShipmentCreate(BaseModel):
    waybill: str = Field(pattern=WAYBILL_PATTERN, description="The carrier's waybill number.")
    carrier_id: int = Field(description="The logistics subject that carries the parcel.")
    merchant_id: int | None = Field(None, description="The sending merchant, when known.")
    order_ref: str | None = Field(None, max_length=100)
    declared_weight_g: int = Field(gt=0, le=100_000_000, description="Declared weight in grams.")
    origin_area: str = Field(pattern=AREA_PATTERN)
    destination_area: str = Field(pattern=AREA_PATTERN)
    consignee_phone: str | None = Field(
        None, pattern=r"^1\d{10}$", description="Personal data: kept only as a blind index."
    )
    check_carrier: bool = Field(
        True, description="Refuse a carrier on the logistics black list (a platform's check)."
    )


class ShipmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    waybill: str
    carrier_id: int
    merchant_id: int | None
    order_ref: str | None
    declared_weight_g: int
    origin_area: str
    destination_area: str
    consignee_phone_masked: str | None
    status: TrackingStatus | None
    status_at: datetime | None


class TrackingEventIn(BaseModel):
    """One scan, as a carrier's system reports it; `event_id` makes a resend safe."""

    waybill: str = Field(pattern=WAYBILL_PATTERN)
    event_id: str = Field(min_length=1, max_length=100)
    status: TrackingStatus
    event_time: AwareDatetime
    area_code: str | None = Field(None, pattern=AREA_PATTERN)
    outlet: str | None = Field(None, max_length=100, description="The outlet (网点) scanning.")
    courier_id: int | None = Field(None, description="The courier (a practitioner) holding it.")
    note: str | None = Field(None, max_length=200)


class TrackingBatch(BaseModel):
    events: list[TrackingEventIn] = Field(min_length=1, max_length=MAX_EVENTS)


class IngestRow(BaseModel):
    index: int
    event_id: str
    status: Literal["created", "duplicate", "rejected"]
    rule: str | None = None
    message: str | None = None


class IngestReport(BaseModel):
    created: int
    duplicates: int
    rejected: int
    rows: list[IngestRow] = Field(description="Only the rows not created, to keep it short.")


class EvaluationCreate(BaseModel):
    subject_id: int = Field(description="The shipment's carrier or a courier who handled it.")
    party: RaterParty
    rating: int = Field(ge=1, le=5)
    comment: str | None = Field(None, max_length=500)
    consignee_phone: str | None = Field(
        None, pattern=r"^1\d{10}$", description="A consumer's evaluation: the consignee's phone."
    )


class EvaluationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    shipment_id: int
    subject_id: int
    party: RaterParty
    rating: int
    comment: str | None
    created_at: datetime


class Holder(BaseModel):
    carrier: str
    courier: str | None
    outlet: str | None
    area_code: str | None


class TraceStep(BaseModel):
    event_id: str
    status: TrackingStatus
    event_time: datetime
    received_at: datetime
    late: bool = Field(description="Arrived after a later-timed event of the same shipment.")
    holder: Holder
    note: str | None


class Finding(BaseModel):
    """Where it went wrong, and who held the parcel then."""

    rule: Literal[
        "exception", "returned", "long_gap", "signed_without_delivery_scan", "no_collection_scan"
    ]
    event_id: str | None
    at: datetime | None
    hours: float | None = None
    holder: Holder | None
    message: str


class ShipmentTrace(BaseModel):
    shipment: ShipmentRead
    carrier: str
    steps: list[TraceStep]
    findings: list[Finding]
    evaluations: list[EvaluationRead]


class PublicStep(BaseModel):
    status: TrackingStatus
    event_time: datetime
    area_code: str | None
    outlet: str | None


class PublicShipmentTrace(BaseModel):
    waybill: str
    carrier: str
    origin_area: str
    destination_area: str
    status: TrackingStatus | None
    status_at: datetime | None
    steps: list[PublicStep]
