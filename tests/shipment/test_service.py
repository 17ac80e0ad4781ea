"""Shipments: the black-list refusal, evaluations (one per party), the responsibility trace,
and the rating as an input of evaluation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput
from ecredit.models.listing import ListStatus
from ecredit.models.shipment import RaterParty
from ecredit.scoring.service import ScoringService
from ecredit.shipment import responsibility
from ecredit.shipment.ingest import ingest
from ecredit.shipment.schemas import EvaluationCreate
from ecredit.shipment.service import shipment_service
from tests.factories import lists
from tests.factories import shipments as factory


@pytest.fixture
def world(session: Session, vault: Vault) -> factory.Logistics:
    return factory.logistics(session, vault)


def blacklist(session: Session, subject_id: int) -> int:
    """The subject put on the logistics black list, in force today."""
    entry = lists.propose(session, lists.service_on(), subject_id, "logistics_blacklist")
    entry.status = ListStatus.EFFECTIVE
    entry.effective_from, entry.valid_until = date(2020, 1, 1), date(2099, 12, 31)
    session.flush()
    return entry.id


class TestBlackList:
    def test_refuses_carrier_naming_list_and_carrier_when_listed(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        entry_id = blacklist(session, world.carrier_id)
        with pytest.raises(Conflict) as refused:
            factory.shipment(session, vault, world)
        [problem] = refused.value.problems
        assert (problem.field, problem.rule) == ("carrier_id", "logistics_blacklist")
        assert "寄递物流严重失信名单" in problem.message
        assert "本溪顺达快递有限公司" in problem.message
        assert f"entry {entry_id}" in problem.message

    def test_registers_when_caller_does_not_check(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        blacklist(session, world.carrier_id)
        assert factory.shipment(session, vault, world, check_carrier=False).id

    def test_refuses_carrier_registering_for_another(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        data = factory.shipment_create(world, carrier_id=world.other_carrier_id)
        with pytest.raises(Forbidden):
            shipment_service.register(session, vault, data, world.carrier)


def _rate(
    party: RaterParty, subject_id: int, rating: int = 4, **values: object
) -> EvaluationCreate:
    return EvaluationCreate.model_validate(
        {"subject_id": subject_id, "party": party, "rating": rating} | values
    )


class TestEvaluations:
    def test_one_evaluation_per_party_per_subject_per_shipment(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        ingest(session, factory.journey(shipment.waybill, world.courier_id), world.carrier)
        rate = _rate(RaterParty.REGULATOR, world.carrier_id)
        shipment_service.evaluate(session, vault, shipment.waybill, rate, world.regulator)
        with pytest.raises(Conflict) as again:
            shipment_service.evaluate(session, vault, shipment.waybill, rate, world.regulator)
        assert again.value.problems[0].rule == "one_per_party"
        courier = _rate(RaterParty.REGULATOR, world.courier_id, 2)
        assert (
            shipment_service.evaluate(
                session, vault, shipment.waybill, courier, world.regulator
            ).rating
            == 2
        )
        merchant = _rate(RaterParty.MERCHANT, world.carrier_id)
        shipment_service.evaluate(session, vault, shipment.waybill, merchant, world.platform)
        consumer = _rate(RaterParty.CONSUMER, world.carrier_id, consignee_phone=factory.CONSIGNEE)
        shipment_service.evaluate(session, vault, shipment.waybill, consumer, world.platform)

    def test_refuses_consumer_rating_without_the_consignee_phone(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        rate = _rate(RaterParty.CONSUMER, world.carrier_id, consignee_phone="13800000000")
        with pytest.raises(InvalidInput) as refused:
            shipment_service.evaluate(session, vault, shipment.waybill, rate, world.platform)
        assert refused.value.problems[0].field == "consignee_phone"

    def test_refuses_rating_of_subject_that_never_handled_shipment(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        rate = _rate(RaterParty.REGULATOR, world.courier_id)
        with pytest.raises(InvalidInput) as refused:
            shipment_service.evaluate(session, vault, shipment.waybill, rate, world.regulator)
        assert refused.value.problems[0].rule == "handler"

    def test_refuses_platform_posing_as_regulator(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        with pytest.raises(Forbidden):
            shipment_service.evaluate(
                session,
                vault,
                shipment.waybill,
                _rate(RaterParty.REGULATOR, world.carrier_id),
                world.platform,
            )


class TestResponsibility:
    def test_names_holder_where_it_went_wrong(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        w, courier = shipment.waybill, world.courier_id
        events = [
            factory.event(w, "e9", "signed", 80, courier_id=courier, area_code="210102"),
            factory.event(w, "e1", "collected", 0),
            factory.event(w, "e2", "exception", 6, outlet="本溪转运中心", note="外包装破损"),
            factory.event(w, "e3", "arrived", 70, outlet="沈阳和平网点"),
        ]
        ingest(session, events[:1], world.carrier)
        ingest(session, events[1:], world.carrier)
        trace = responsibility.shipment_trace(session, shipment, factory.T0 + timedelta(days=9))
        assert [s.event_id for s in trace.steps] == ["e1", "e2", "e3", "e9"]
        assert [s.late for s in trace.steps] == [True, True, True, False]
        found = [(f.rule, f.event_id) for f in trace.findings]
        assert found == [
            ("exception", "e2"),
            ("long_gap", "e2"),
            ("signed_without_delivery_scan", "e9"),
        ]
        gap = trace.findings[1]
        assert gap.holder is not None
        assert gap.holder.outlet == "本溪转运中心"
        assert trace.findings[2].holder is not None
        assert trace.findings[2].holder.courier == "李快递"

    def test_clean_journey_has_no_findings(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        ingest(session, factory.journey(shipment.waybill, world.courier_id), world.carrier)
        trace = responsibility.shipment_trace(session, shipment, factory.T0 + timedelta(days=30))
        assert trace.findings == []
        public = responsibility.public_trace(session, shipment)
        assert public.status == "signed"
        assert len(public.steps) == 5


class TestScoringInput:
    def test_ratings_move_the_carriers_score(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        scoring = ScoringService.create(load_catalog())
        today = scoring.today()
        before = scoring.outcome(session, world.carrier_id, today).score
        for rating, party in ((1, RaterParty.REGULATOR), (2, RaterParty.MERCHANT)):
            shipment = factory.shipment(session, vault, world)
            rater = world.regulator if party is RaterParty.REGULATOR else world.platform
            shipment_service.evaluate(
                session, vault, shipment.waybill, _rate(party, world.carrier_id, rating), rater
            )
        assert scoring.outcome(session, world.carrier_id, today).score == before  # 2 < 3 ratings
        shipment = factory.shipment(session, vault, world)
        consumer = _rate(
            RaterParty.CONSUMER, world.carrier_id, 1, consignee_phone=factory.CONSIGNEE
        )
        shipment_service.evaluate(session, vault, shipment.waybill, consumer, world.platform)
        outcome = scoring.outcome(session, world.carrier_id, today)
        [row] = [c for c in outcome.contributions if c["indicator"] == "shipment_rating"]
        # weighted mean (2×1 + 2 + 1) / 4 = 1.25 → (1.25 − 3) × 30 = −52.5 → −52
        assert row["points"] == -52
        assert outcome.score == before - 52
        summary = scoring.evaluate_all(session, today)
        assert summary.subjects > 0
        assert scoring.latest(session, world.carrier_id).score == before - 52
