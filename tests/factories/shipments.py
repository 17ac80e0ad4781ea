"""Logistics: two carriers with their organisations, a courier, a merchant on a platform, a
regulator, and shipments with tracking scans."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.kit.crypto import Vault
from ecredit.models.org import OrgKind
from ecredit.models.shipment import Shipment
from ecredit.models.subject import SubjectKind
from ecredit.shipment.schemas import ShipmentCreate, TrackingEventIn
from ecredit.shipment.service import shipment_service
from tests.factories import orgs
from tests.factories import subjects as make

_serial = itertools.count(1)
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
CONSIGNEE = "13912345678"


@dataclass
class Logistics:
    carrier_id: int
    other_carrier_id: int
    courier_id: int
    merchant_id: int
    carrier: Principal
    other_carrier: Principal
    platform: Principal
    regulator: Principal


def logistics(session: Session, vault: Vault) -> Logistics:
    carrier = make.register(session, vault, SubjectKind.LOGISTICS, name="本溪顺达快递有限公司")
    other = make.register(session, vault, SubjectKind.LOGISTICS, name="辽宁通达物流有限公司")
    courier = make.register(
        session, vault, SubjectKind.PRACTITIONER, name="李快递", employer_id=carrier.id
    )
    merchant = make.enterprise(session, vault)
    platform = make.platform(session, vault)

    def org(kind: OrgKind, subject_id: int | None = None) -> Principal:
        return orgs.principal(orgs.organisation(session, kind, subject_id=subject_id))

    return Logistics(
        carrier_id=carrier.id,
        other_carrier_id=other.id,
        courier_id=courier.id,
        merchant_id=merchant.id,
        carrier=org(OrgKind.LOGISTICS, carrier.id),
        other_carrier=org(OrgKind.LOGISTICS, other.id),
        platform=org(OrgKind.PLATFORM, platform.id),
        regulator=org(OrgKind.DEPARTMENT),
    )


def waybill() -> str:
    return f"SD{next(_serial):010d}"


def shipment_create(world: Logistics, **values: Any) -> ShipmentCreate:
    data: dict[str, Any] = {
        "waybill": waybill(),
        "carrier_id": world.carrier_id,
        "merchant_id": world.merchant_id,
        "order_ref": f"O-{next(_serial)}",
        "declared_weight_g": 1250,
        "origin_area": "210502",
        "destination_area": "210102",
        "consignee_phone": CONSIGNEE,
    }
    return ShipmentCreate(**(data | values))


def shipment(session: Session, vault: Vault, world: Logistics, **values: Any) -> Shipment:
    return shipment_service.register(
        session, vault, shipment_create(world, **values), world.platform
    )


def event(waybill: str, event_id: str, status: str, hours: float, **values: Any) -> TrackingEventIn:
    """A scan `hours` after T0."""
    data: dict[str, Any] = {
        "waybill": waybill,
        "event_id": event_id,
        "status": status,
        "event_time": T0 + timedelta(hours=hours),
        "area_code": "210502",
        "outlet": "本溪平山网点",
    }
    return TrackingEventIn(**(data | values))


def journey(waybill: str, courier_id: int) -> list[TrackingEventIn]:
    """A complete, clean journey: collected, in transit, arrived, out for delivery, signed."""
    return [
        event(waybill, "e1", "collected", 0),
        event(waybill, "e2", "in_transit", 4, outlet="本溪转运中心"),
        event(waybill, "e3", "arrived", 20, area_code="210102", outlet="沈阳和平网点"),
        event(waybill, "e4", "out_for_delivery", 22, area_code="210102", courier_id=courier_id),
        event(waybill, "e5", "signed", 24, area_code="210102", courier_id=courier_id),
    ]
