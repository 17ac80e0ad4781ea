"""Helpers of the grade, list and repair page tests: the app on a fixed day, and entries,
evaluations and cases made through the real services on that day."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import FastAPI
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM, Principal, Role
from ecredit.kit.clock import FixedClock
from ecredit.listing.service import ListingService
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.scoring import Evaluation
from ecredit.record.service import RecordService
from ecredit.repair.service import RepairService
from ecredit.scoring.service import ScoringService
from tests.factories import lists as list_factory
from tests.factories.records import fixed_service, noon
from tests.web import factories

DAY = date(2026, 3, 2)  # a Monday, no holiday near it
BLACK = "ecommerce_serious_dishonesty"


def on_day(app: FastAPI, day: date = DAY) -> FixedClock:
    """Put the app's record service (and so every portal page) on `day`; move with the clock."""
    records, clock = fixed_service(day)
    app.state.records = records
    app.state.scoring = ScoringService.create(records.catalog, clock=clock)
    return clock


def move_to(clock: FixedClock, day: date) -> None:
    clock.at = noon(day)


def records(app: FastAPI) -> RecordService:
    service: RecordService = app.state.records
    return service


def listing(app: FastAPI) -> ListingService:
    return ListingService(clock=records(app).clock)


def repairs(app: FastAPI) -> RepairService:
    return RepairService(records(app))


def evaluate(app: FastAPI, session: Session, subject_id: int) -> Evaluation:
    scoring: ScoringService = app.state.scoring
    return scoring.evaluate_subject(session, subject_id)


def decider(session: Session, username: str = "decider") -> Principal:
    """A market-regulation user who decides lists and cases (verifier role)."""
    return factories.staff_user(session, username, Role.VERIFIER)


def walk(
    app: FastAPI, session: Session, entry: ListEntry, by: Principal, *targets: ListStatus
) -> ListEntry:
    for target in targets:
        entry = listing(app).transition(session, entry.id, target, "依法审核", by)
    return entry


def propose(
    app: FastAPI, session: Session, subject_id: int, kind: str = BLACK, source: int | None = None
) -> ListEntry:
    data = list_factory.proposal(subject_id, kind).model_copy(update={"source_record_id": source})
    return listing(app).propose(session, data, SYSTEM)


def days(n: int) -> timedelta:
    return timedelta(days=n)
