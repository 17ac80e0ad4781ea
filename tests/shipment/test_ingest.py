"""Tracking ingestion: stored once per event, state by event time, own shipments only."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Forbidden
from ecredit.models.shipment import Shipment, TrackingEvent, TrackingStatus
from ecredit.shipment.ingest import ingest
from ecredit.shipment.schemas import TrackingEventIn
from tests.factories import shipments as factory


@pytest.fixture
def world(session: Session, vault: Vault) -> factory.Logistics:
    return factory.logistics(session, vault)


def _count(session: Session, shipment_id: int) -> int:
    query = select(func.count()).where(TrackingEvent.shipment_id == shipment_id)
    return session.scalar(query) or 0


def _state(session: Session, shipment: Shipment) -> tuple[TrackingStatus | None, str | None]:
    session.refresh(shipment)
    return shipment.status, shipment.status_event_id


class TestIdempotence:
    def test_stores_each_event_once_when_batch_is_sent_twice(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        events = factory.journey(shipment.waybill, world.courier_id)
        first = ingest(session, events, world.carrier)
        again = ingest(session, events, world.carrier)
        assert (first.created, first.duplicates) == (5, 0)
        assert (again.created, again.duplicates, again.rejected) == (0, 5, 0)
        assert _count(session, shipment.id) == 5
        assert _state(session, shipment) == (TrackingStatus.SIGNED, "e5")

    def test_late_older_event_never_regresses_state(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        collected, transit, arrived, delivering, signed = factory.journey(
            shipment.waybill, world.courier_id
        )
        ingest(session, [signed, collected], world.carrier)
        ingest(session, [transit, arrived, delivering], world.carrier)
        assert _state(session, shipment) == (TrackingStatus.SIGNED, "e5")

    def test_first_copy_counts_when_batch_repeats_an_event(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        event = factory.event(shipment.waybill, "x1", "collected", 0)
        report = ingest(session, [event, event], world.carrier)
        assert (report.created, report.duplicates) == (1, 1)
        assert [(r.index, r.status) for r in report.rows] == [(1, "duplicate")]


def _batches(waybill: str, courier_id: int) -> st.SearchStrategy[list[list[TrackingEventIn]]]:
    """The journey plus an exception at the same instant as arrival, permuted, with
    duplicates, split into one to three batches."""
    events = [
        *factory.journey(waybill, courier_id),
        factory.event(waybill, "e3x", "exception", 20, note="外包装破损"),
    ]
    copies = st.lists(st.sampled_from(events), max_size=6)
    ordered = st.permutations(events).flatmap(lambda p: copies.map(lambda c: p + c))
    return ordered.flatmap(
        lambda all_events: st.permutations(all_events).flatmap(
            lambda shuffled: st.lists(st.integers(0, len(shuffled)), min_size=0, max_size=2).map(
                lambda cuts: _split(shuffled, sorted(cuts))
            )
        )
    )


def _split(events: list[TrackingEventIn], cuts: list[int]) -> list[list[TrackingEventIn]]:
    bounds = [0, *cuts, len(events)]
    return [events[a:b] for a, b in itertools.pairwise(bounds) if b > a]


class TestAnyOrder:
    @settings(
        max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(data=st.data())
    def test_same_state_when_batch_is_permuted_and_duplicated(
        self, session: Session, vault: Vault, world: factory.Logistics, data: st.DataObject
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        for batch in data.draw(_batches(shipment.waybill, world.courier_id)):
            ingest(session, batch, world.carrier)
        assert _count(session, shipment.id) == 6
        assert _state(session, shipment) == (TrackingStatus.SIGNED, "e5")


class TestAuthorisation:
    def test_rejects_row_when_carrier_pushes_for_another_carriers_shipment(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        own = factory.shipment(session, vault, world)
        theirs = factory.shipment(session, vault, world, carrier_id=world.other_carrier_id)
        events = [
            factory.event(own.waybill, "a1", "collected", 0),
            factory.event(theirs.waybill, "b1", "collected", 0),
        ]
        report = ingest(session, events, world.carrier)
        assert (report.created, report.rejected) == (1, 1)
        [row] = report.rows
        assert (row.index, row.rule) == (1, "not_own_shipment")
        assert _count(session, theirs.id) == 0

    def test_refuses_batch_when_caller_is_not_a_carrier(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        with pytest.raises(Forbidden):
            ingest(session, [factory.event(shipment.waybill, "a1", "collected", 0)], world.platform)

    def test_rejects_row_when_waybill_unknown_or_courier_not_practitioner(
        self, session: Session, vault: Vault, world: factory.Logistics
    ) -> None:
        shipment = factory.shipment(session, vault, world)
        events = [
            factory.event("NOSUCH0001", "a1", "collected", 0),
            factory.event(shipment.waybill, "a2", "collected", 0, courier_id=world.merchant_id),
        ]
        report = ingest(session, events, world.carrier)
        assert [row.rule for row in report.rows] == ["unknown_waybill", "courier_kind"]
