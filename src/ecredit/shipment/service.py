"""Logistics credit rules: registering a shipment (refusing a black-listed carrier when the
caller checks), and the evaluations of carriers and couriers. Services flush, never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal
from ecredit.kit.clock import local_date
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from ecredit.kit.masking import PersonalField, mask
from ecredit.listing.kinds import list_kinds
from ecredit.measure.repository import measure_repository
from ecredit.models.base import utcnow
from ecredit.models.jobs import Job
from ecredit.models.org import OrgKind
from ecredit.models.shipment import RaterParty, Shipment, ShipmentEvaluation
from ecredit.models.subject import Subject, SubjectKind
from ecredit.scoring.jobs import EVALUATE_SUBJECT
from ecredit.shipment.repository import shipment_repository
from ecredit.shipment.schemas import EvaluationCreate, ShipmentCreate

BLACKLIST = "logistics_blacklist"
CONSIGNEE_PURPOSE = "consignee_phone"
REGULATORS = frozenset({OrgKind.DEPARTMENT, OrgKind.CREDIT_OFFICE})


def consignee_index(vault: Vault, phone: str) -> str:
    """The keyed blind index of a consignee's phone: match a consumer, keep no number."""
    return vault.index(CONSIGNEE_PURPOSE, phone.strip())


class ShipmentService:
    def register(
        self, session: Session, vault: Vault, data: ShipmentCreate, by: Principal
    ) -> Shipment:
        """A new shipment under a waybill number not used before."""
        if by.org_kind is OrgKind.LOGISTICS and by.org_subject_id != data.carrier_id:
            raise Forbidden("a carrier registers shipments for itself only")
        carrier = self._subject(session, data.carrier_id, SubjectKind.LOGISTICS, "carrier_id")
        if data.merchant_id is not None:
            self._subject(session, data.merchant_id, SubjectKind.MERCHANT, "merchant_id")
        if data.check_carrier:
            self.refuse_blacklisted(session, carrier, local_date(utcnow()))
        taken = Conflict(f"waybill {data.waybill} is already registered")
        if shipment_repository.waybill_taken(session, data.waybill):
            raise taken
        phone = data.consignee_phone
        shipment = Shipment(
            **data.model_dump(exclude={"consignee_phone", "check_carrier"}),
            consignee_phone_index=consignee_index(vault, phone) if phone else None,
            consignee_phone_masked=mask(PersonalField.PHONE, phone),
            registered_by_id=by.organisation_id,
        )
        try:
            with session.begin_nested():  # a concurrent twin loses on the unique waybill
                session.add(shipment)
        except IntegrityError:
            raise taken from None
        return shipment

    def refuse_blacklisted(self, session: Session, carrier: Subject, today: date) -> None:
        """409 naming the list and the carrier when it is on the logistics black list."""
        entries = measure_repository.effective_entries(session, carrier.id, today)
        listed = [entry for entry in entries if entry.list_kind == BLACKLIST]
        if not listed:
            return
        kind = list_kinds().get(BLACKLIST)
        list_name = f"{kind.name_zh}（{kind.name_en}）" if kind else BLACKLIST
        message = (
            f"carrier_id: {carrier.name} (subject {carrier.id}) is on the {list_name}, "
            f"entry {listed[0].id}; it is refused for new shipments"
        )
        raise Conflict(message, problems=[Problem("carrier_id", BLACKLIST, message)])

    def get(self, session: Session, waybill: str) -> Shipment:
        shipment = shipment_repository.by_waybill(session, waybill)
        if shipment is None:
            raise NotFound(f"no shipment with waybill {waybill}")
        return shipment

    def recent(self, session: Session, limit: int) -> list[Shipment]:
        return shipment_repository.recent(session, limit)

    def evaluate(
        self, session: Session, vault: Vault, waybill: str, data: EvaluationCreate, by: Principal
    ) -> ShipmentEvaluation:
        """One rating per party per rated subject per shipment; the subject is re-evaluated."""
        shipment = self.get(session, waybill)
        rater_key = self._rater_key(shipment, vault, data, by)
        self._check_rated(session, shipment, data.subject_id)
        evaluation = ShipmentEvaluation(
            shipment_id=shipment.id,
            subject_id=data.subject_id,
            party=data.party,
            rater_key=rater_key,
            rating=data.rating,
            comment=data.comment,
            recorded_by=by.actor,
        )
        once = f"party: this {data.party.value} has already rated subject {data.subject_id} " \
               f"for waybill {waybill}"  # fmt: skip
        if shipment_repository.evaluation_exists(session, shipment.id, data.subject_id, rater_key):
            raise Conflict(once, problems=[Problem("party", "one_per_party", once)])
        try:
            with session.begin_nested():  # a concurrent twin loses on the unique constraint
                session.add(evaluation)
        except IntegrityError:
            raise Conflict(once, problems=[Problem("party", "one_per_party", once)]) from None
        session.add(Job(name=EVALUATE_SUBJECT, payload={"subject_id": data.subject_id},
                        run_at=utcnow()))  # fmt: skip
        session.flush()
        audit_service.record_event(
            session, "subject", data.subject_id, "shipment_evaluated",
            f"寄递评价 {data.rating} 星（{data.party.value}，运单 {waybill}）",
        )  # fmt: skip
        return evaluation

    def _check_rated(self, session: Session, shipment: Shipment, subject_id: int) -> None:
        """The rated subject is the carrier or a courier who scanned the parcel."""
        if subject_id == shipment.carrier_id:
            return
        if not shipment_repository.handled_by(session, shipment.id, subject_id):
            raise InvalidInput(
                "subject_id",
                "handler",
                f"subject_id: {subject_id} is neither the carrier of {shipment.waybill} nor a "
                "courier who handled it",
            )

    def _rater_key(
        self, shipment: Shipment, vault: Vault, data: EvaluationCreate, by: Principal
    ) -> str:
        """Who rates, as one stable key; a platform speaks for merchants and consumers."""
        if data.party is RaterParty.REGULATOR:
            if by.org_kind not in REGULATORS:
                raise Forbidden("a regulator's evaluation comes from a department or credit office")
            return f"org:{by.organisation_id}"
        if by.org_kind is not OrgKind.PLATFORM:
            raise Forbidden(f"a {data.party.value}'s evaluation is submitted by its platform")
        if data.party is RaterParty.MERCHANT:
            if shipment.merchant_id is None:
                raise InvalidInput("party", "no_merchant", "party: the shipment names no merchant")
            return f"merchant:{shipment.merchant_id}"
        phone = data.consignee_phone
        if not phone or consignee_index(vault, phone) != shipment.consignee_phone_index:
            raise InvalidInput(
                "consignee_phone",
                "consignee",
                "consignee_phone: a consumer's evaluation needs the shipment's consignee phone",
            )
        return f"consumer:{shipment.consignee_phone_index}"

    def _subject(self, session: Session, subject_id: int, kind: SubjectKind, field: str) -> Subject:
        subject = session.get(Subject, subject_id)
        if subject is None:
            raise NotFound(f"{field}: subject {subject_id} not found")
        if subject.kind is not kind:
            raise InvalidInput(
                field,
                "kind",
                f"{field}: subject {subject_id} is a {subject.kind.value}, not a {kind.value}",
            )
        return subject


shipment_service = ShipmentService()
