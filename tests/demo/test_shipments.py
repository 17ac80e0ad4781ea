"""The demo's shipments: tracking histories (some out of order, some with exceptions) and
evaluations that reach the carriers' grades."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.config import Settings
from ecredit.demo import seed_demo
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.scoring import Evaluation
from ecredit.models.shipment import (
    RaterParty,
    Shipment,
    ShipmentEvaluation,
    TrackingEvent,
    TrackingStatus,
)
from ecredit.shipment import responsibility
from ecredit.shipment.schemas import Finding


@pytest.fixture
def seeded(db: Database, settings: Settings) -> Database:
    seed_demo(db, Vault.from_settings(settings), merchants=40, seed=2017)
    return db


def test_has_shipments_with_histories_findings_and_evaluations(seeded: Database) -> None:
    with seeded.unit_of_work() as session:
        shipments = list(session.scalars(select(Shipment)))
        assert len(shipments) >= 40
        statuses = Counter(s.status for s in shipments)
        assert statuses[TrackingStatus.SIGNED] > statuses[TrackingStatus.RETURNED] > 0
        late = [s for s in shipments if _late(session, s)]
        assert len(late) >= 5, "some histories arrive out of order"
        rules = {f.rule for s in shipments for f in _findings(session, s)}
        assert {"exception", "returned", "long_gap", "signed_without_delivery_scan"} <= rules
        parties = Counter(session.scalars(select(ShipmentEvaluation.party)))
        assert set(parties) == set(RaterParty)


def test_ratings_reach_the_carriers_evaluation(seeded: Database) -> None:
    with seeded.unit_of_work() as session:
        carriers = select(Shipment.carrier_id)
        evaluations = session.scalars(select(Evaluation).where(Evaluation.subject_id.in_(carriers)))
        indicators = {c["indicator"] for e in evaluations for c in e.contributions}
        assert "shipment_rating" in indicators, "a carrier's grade counts its delivery ratings"


def _late(session: Session, shipment: Shipment) -> bool:
    query = select(TrackingEvent).where(TrackingEvent.shipment_id == shipment.id)
    return bool(responsibility.late_ids(list(session.scalars(query))))


def _findings(session: Session, shipment: Shipment) -> list[Finding]:
    return responsibility.shipment_trace(
        session, shipment, shipment.status_at or shipment.created_at
    ).findings
