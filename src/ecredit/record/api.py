"""Thin JSON routes of credit records and files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.errors import NotFound
from ecredit.ledger.service import ledger_service
from ecredit.record import views
from ecredit.record.deps import RecordsDep
from ecredit.record.schemas import (
    BatchRequest,
    BatchResult,
    PublicFile,
    RecordAmendment,
    RecordCorrection,
    RecordCreate,
    RecordRead,
    RecordTypeRead,
)
from ecredit.record.service import RecordService
from ecredit.subject.service import identifies_by_person, subject_service

router = APIRouter(tags=["records"])


def _read(session: Session, records: RecordService, record_id: int) -> RecordRead:
    """The record that entry `record_id` belongs to, as it stands now."""
    state = records.state(session, record_id)
    return views.record_read(session, records.catalog, state, records.today())


public_router = APIRouter(prefix="/public", tags=["public"])


@router.post("/records", status_code=201, response_model=RecordRead)
def submit_record(
    data: RecordCreate,
    session: SessionDep,
    records: RecordsDep,
    principal: Principal = Requires(Scope.RECORD_WRITE),
) -> RecordRead:
    """Record a fact. The type decides required fields, who may submit, and the display window."""
    return _read(session, records, records.submit(session, data, principal).id)


@router.post("/records/batch", response_model=BatchResult)
def submit_batch(
    data: BatchRequest,
    session: SessionDep,
    records: RecordsDep,
    principal: Principal = Requires(Scope.RECORD_WRITE),
) -> BatchResult:
    """Up to 1,000 facts; each row is reported. Rows already recorded (same decision number of
    the same organisation) come back as duplicates, so a retry is safe."""
    return records.submit_batch(session, data.records, principal)


@router.get("/records/{record_id}", response_model=RecordRead)
def get_record(
    record_id: int,
    session: SessionDep,
    records: RecordsDep,
    _: Principal = Requires(Scope.RECORD_READ),
) -> RecordRead:
    return _read(session, records, record_id)


@router.post("/records/{record_id}/corrections", status_code=201, response_model=RecordRead)
def correct_record(
    record_id: int,
    data: RecordCorrection,
    session: SessionDep,
    records: RecordsDep,
    principal: Principal = Requires(Scope.RECORD_WRITE),
) -> RecordRead:
    """A correction is a new entry; the original stays in the history and the ledger."""
    entry = records.correct(session, record_id, data, principal)
    return _read(session, records, entry.id)


@router.post("/records/{record_id}/revocations", status_code=201, response_model=RecordRead)
def revoke_record(
    record_id: int,
    data: RecordAmendment,
    session: SessionDep,
    records: RecordsDep,
    principal: Principal = Requires(Scope.RECORD_WRITE),
) -> RecordRead:
    entry = records.revoke(session, record_id, data, principal)
    return _read(session, records, entry.id)


@router.post("/records/{record_id}/publicity-end", status_code=201, response_model=RecordRead)
def end_publicity(
    record_id: int,
    data: RecordAmendment,
    session: SessionDep,
    records: RecordsDep,
    principal: Principal = Requires(Scope.RECORD_WRITE),
) -> RecordRead:
    """End the display window early (on `effective`, default today)."""
    entry = records.end_publicity(session, record_id, data, principal)
    return _read(session, records, entry.id)


@router.get("/subjects/{subject_id}/records", response_model=list[RecordRead])
def subject_file(
    subject_id: int,
    session: SessionDep,
    records: RecordsDep,
    _: Principal = Requires(Scope.RECORD_READ),
) -> list[RecordRead]:
    """The full file for authorised staff: every record, public or not, with its history."""
    today = records.today()
    states = records.file(session, subject_id)
    return [views.record_read(session, records.catalog, state, today) for state in states]


@public_router.get("/subjects/{subject_id}/file", response_model=PublicFile)
def public_subject_file(subject_id: int, session: SessionDep, records: RecordsDep) -> PublicFile:
    """The public credit file: records inside their display window, grouped by type."""
    today = records.today()
    states = records.file(session, subject_id)
    return views.public_file(session, records.catalog, subject_id, states, today)


@public_router.get("/catalog/record-types", response_model=list[RecordTypeRead])
def record_types(records: RecordsDep) -> list[RecordTypeRead]:
    """The credit information catalogue (信用信息目录): every record type and its rules."""
    return [RecordTypeRead.model_validate(spec, from_attributes=True) for spec in records.catalog]


@public_router.get("/records/{record_id}/proof")
def public_record_proof(record_id: int, session: SessionDep, records: RecordsDep) -> dict[str, Any]:
    """The inclusion proof of a record on public display about an organisation (others: 404).

    A proof must carry the entry exactly as hashed, unmasked; records about natural persons
    therefore have no public proof (their subject gets it through an authorised channel).
    """
    state = records.state(session, record_id)
    if not state.is_public(records.today()):
        raise NotFound(f"record {record_id} is not on public display")
    subject = subject_service.get(session, state.original.subject_id)
    if identifies_by_person(subject.kind, subject.merchant_form):
        raise NotFound(f"record {record_id} concerns a natural person: no public proof")
    return ledger_service.inclusion(session, state.current.id)
