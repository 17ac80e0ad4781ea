"""Demo shipments (C9): parcels of the city's merchants carried by its four carriers over the
last month, their tracking scans pushed by each carrier (some in two batches, the older scans
arriving late), some with an exception and a return, a long gap, a signature without a delivery
scan or still on the way; then evaluations by consumers and merchants (through their platform)
and by the postal administration. Seeded: the same seed and anchor give the same parcels.

A carrier on the logistics black list is refused (the platforms check): its parcels go to the
next carrier, as a platform would do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ecredit.authz.principals import Principal, Scope
from ecredit.demo import names
from ecredit.demo.apply import CityBuilder
from ecredit.demo.plan import CARRIERS, PLATFORMS
from ecredit.kit.errors import Conflict
from ecredit.models.org import OrgKind
from ecredit.models.shipment import RaterParty, Shipment
from ecredit.models.subject import Subject, SubjectKind
from ecredit.shipment.ingest import ingest
from ecredit.shipment.schemas import EvaluationCreate, ShipmentCreate, TrackingEventIn
from ecredit.shipment.service import shipment_service

POST_OFFICE = "本溪市邮政管理局"
SHIPMENTS = 48
PREFIXES = ("SJ", "LD", "CJ", "SC")  # waybill prefixes of the four carriers, in CARRIERS order
OUTLETS = ("平山网点", "明山网点", "溪湖网点", "南芬网点", "本溪转运中心", "沈阳分拨中心")
DESTINATIONS = ("210502", "210503", "210504", "210505", "210102", "210106", "210202")
COMMENTS = {5: "送货上门，很快", 4: "准时送达", 3: "一般", 2: "包装破损", 1: "未送货上门就签收"}


@dataclass(frozen=True)
class _Carrier:
    subject: Subject
    principal: Principal
    couriers: list[int]
    prefix: str


class ShipmentBuilder:
    """Adds the demo shipments inside the caller's unit of work (it only flushes)."""

    def __init__(self, city: CityBuilder, anchor: date, seed: int) -> None:
        self.city, self.session, self.vault = city, city.session, city.vault
        self.rng = random.Random(seed * 31 + 9)
        self.start = datetime.combine(anchor - timedelta(days=30), time(1), UTC)
        self.carriers = [
            self._carrier(name, prefix) for name, prefix in zip(CARRIERS, PREFIXES, strict=True)
        ]
        self.platforms = [
            _org_principal(city, name, OrgKind.PLATFORM) for name, _d, _p in PLATFORMS
        ]
        self.regulator = _org_principal(city, POST_OFFICE, OrgKind.DEPARTMENT)
        self.merchants = [s for s in city.subjects.values() if s.kind is SubjectKind.MERCHANT][:30]

    def _carrier(self, name: str, prefix: str) -> _Carrier:
        subject = self.city.subjects[name]
        couriers = [s.id for s in self.city.subjects.values() if s.employer_id == subject.id]
        return _Carrier(
            subject, _org_principal(self.city, name, OrgKind.LOGISTICS), couriers, prefix
        )

    def apply(self) -> None:
        for number in range(SHIPMENTS):
            phone = names.phone(self.rng)
            placed = self._register(number, phone)
            if placed is None:
                continue
            shipment, carrier = placed
            events = self._journey(number, shipment, carrier)
            late = events[:2] if number % 4 == 1 else []  # the first scans arrive last
            ingest(self.session, events[len(late) :], carrier.principal)
            if late:
                ingest(self.session, late, carrier.principal)
            self._evaluate(number, shipment, carrier, events, phone)

    def _register(self, number: int, phone: str) -> tuple[Shipment, _Carrier] | None:
        """The parcel with its first carrier not on the black list (the platform checks)."""
        merchant = self.merchants[number % len(self.merchants)]
        for offset in range(len(self.carriers)):
            carrier = self.carriers[(number + offset) % len(self.carriers)]
            data = ShipmentCreate(
                waybill=f"{carrier.prefix}{self.start:%y%m}{number:06d}",
                carrier_id=carrier.subject.id,
                merchant_id=merchant.id,
                order_ref=f"DD{self.start:%Y%m}{number:05d}",
                declared_weight_g=self.rng.randrange(150, 20_000),
                origin_area=merchant.region_code or "210502",
                destination_area=self.rng.choice(DESTINATIONS),
                consignee_phone=phone,
            )
            try:
                platform = self.platforms[number % len(self.platforms)]
                return shipment_service.register(self.session, self.vault, data, platform), carrier
            except Conflict:
                continue
        return None

    def _journey(self, number: int, shipment: Shipment, carrier: _Carrier) -> list[TrackingEventIn]:
        """The scans of one parcel; its variant follows from its number."""
        at = self.start + timedelta(days=number * 28 / SHIPMENTS, hours=self.rng.randrange(12))
        courier = self.rng.choice(carrier.couriers) if carrier.couriers else None
        steps: list[tuple[str, float, str | None]] = [
            ("collected", 0, None),
            ("in_transit", 3, None),
            ("arrived", 20, None),
            ("out_for_delivery", 2, None),
            ("signed", 3, None),
        ]
        if number % 7 == 3:  # damaged on the way and sent back
            steps[2:] = [("exception", 8, "外包装破损"), ("returned", 30, "收件人拒收")]
        elif number % 7 == 5:  # signed at the outlet with no delivery scan
            del steps[3]
        if number % 5 == 0:
            steps[2] = (steps[2][0], 70, steps[2][2])  # a long gap before the next scan
        if number % 9 == 8:
            steps = steps[:3]  # still on the way
        events = []
        for index, (status, hours, note) in enumerate(steps):
            at += timedelta(hours=hours, minutes=self.rng.randrange(60))
            delivering = status in ("out_for_delivery", "signed")
            events.append(
                TrackingEventIn(
                    waybill=shipment.waybill,
                    event_id=f"{shipment.waybill}-{index + 1}",
                    status=status,
                    event_time=at,
                    note=note,
                    area_code=shipment.destination_area if index >= 2 else shipment.origin_area,
                    outlet=OUTLETS[(number + index) % len(OUTLETS)],
                    courier_id=courier if delivering else None,
                )
            )
        return events

    def _evaluate(
        self,
        number: int,
        shipment: Shipment,
        carrier: _Carrier,
        events: list[TrackingEventIn],
        phone: str,
    ) -> None:
        """Consumers rate most delivered parcels, merchants some, the post office the faults."""
        statuses = {event.status.value for event in events}
        troubled = bool(statuses & {"exception", "returned"}) or "out_for_delivery" not in statuses
        platform = self.platforms[number % len(self.platforms)]
        rating = self.rng.choice((1, 2)) if troubled else self.rng.choice((3, 4, 5, 5))
        ratings: list[tuple[RaterParty, Principal, int, str | None]] = []
        if "signed" in statuses or "returned" in statuses:
            ratings.append((RaterParty.CONSUMER, platform, rating, phone))
        if number % 3 == 0:
            ratings.append(
                (RaterParty.MERCHANT, platform, max(rating - 1, 1) if troubled else 4, None)
            )
        if troubled:
            ratings.append((RaterParty.REGULATOR, self.regulator, 1, None))
        for party, by, stars, consignee in ratings:
            data = EvaluationCreate(
                subject_id=carrier.subject.id,
                party=party,
                rating=stars,
                comment=COMMENTS[stars],
                consignee_phone=consignee,
            )
            shipment_service.evaluate(self.session, self.vault, shipment.waybill, data, by)


def _org_principal(city: CityBuilder, name: str, kind: OrgKind) -> Principal:
    org = city.orgs[name]
    assert org.kind is kind, f"{name} is a {org.kind}, not a {kind}"
    return Principal(
        actor=f"org:{org.id}",
        organisation_id=org.id,
        org_kind=org.kind,
        org_subject_id=org.subject_id,
        scopes=frozenset({Scope.SHIPMENT_WRITE, Scope.SHIPMENT_EVALUATE}),
        department=org.department,
    )
