"""Thin JSON routes of credit commitments and their templates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.commitment import views
from ecredit.commitment.deps import CommitmentsDep, TemplatesDep
from ecredit.commitment.schemas import (
    BreachCreate,
    CommitmentCreate,
    CommitmentRead,
    PublicCommitment,
    TemplateRead,
    Withdrawal,
)
from ecredit.record.deps import RecordsDep

router = APIRouter(tags=["commitments"])
public_router = APIRouter(prefix="/public", tags=["public"])


@public_router.get("/commitment-templates", response_model=list[TemplateRead])
def list_templates(templates: TemplatesDep) -> list[TemplateRead]:
    """The standard formats in force: the current version of every template."""
    return [views.template_read(spec) for spec in templates.current()]


@public_router.get("/commitment-templates/{template_code}", response_model=TemplateRead)
def get_template(
    template_code: str,
    templates: TemplatesDep,
    version: Annotated[int | None, Query(ge=1, description="Default: the current one.")] = None,
) -> TemplateRead:
    """One template; earlier versions stay available, as commitments were signed under them."""
    return views.template_read(templates.get(template_code, version))


@public_router.get("/subjects/{subject_id}/commitments", response_model=list[PublicCommitment])
def public_subject_commitments(
    subject_id: int, session: SessionDep, records: RecordsDep
) -> list[PublicCommitment]:
    """A subject's public commitments: active, kept and breached, with their text and dates."""
    return views.public_commitments(session, records, subject_id, records.today())


@router.post("/subjects/{subject_id}/commitments", status_code=201, response_model=CommitmentRead)
def sign_commitment(
    subject_id: int,
    data: CommitmentCreate,
    session: SessionDep,
    commitments: CommitmentsDep,
    principal: Principal = Requires(Scope.COMMITMENT_WRITE),
) -> CommitmentRead:
    """Sign the current version of a template for the subject (a platform for merchants with a
    shop on it, the credit office or a department for anyone)."""
    commitment = commitments.sign(
        session, subject_id, data.template_code, data.params, data.term_start, principal
    )
    return views.commitment_read(commitment)


@router.get("/subjects/{subject_id}/commitments", response_model=list[CommitmentRead])
def subject_commitments(
    subject_id: int,
    session: SessionDep,
    commitments: CommitmentsDep,
    _: Principal = Requires(Scope.RECORD_READ),
) -> list[CommitmentRead]:
    """Every commitment of a subject, withdrawn ones included, newest first."""
    return [views.commitment_read(c) for c in commitments.of_subject(session, subject_id)]


@router.get("/commitments/{commitment_id}", response_model=CommitmentRead)
def get_commitment(
    commitment_id: int,
    session: SessionDep,
    commitments: CommitmentsDep,
    _: Principal = Requires(Scope.RECORD_READ),
) -> CommitmentRead:
    return views.commitment_read(commitments.get(session, commitment_id))


@router.post("/commitments/{commitment_id}/breach", response_model=CommitmentRead)
def breach_commitment(
    commitment_id: int,
    data: BreachCreate,
    session: SessionDep,
    commitments: CommitmentsDep,
    principal: Principal = Requires(Scope.RECORD_WRITE),
) -> CommitmentRead:
    """Record a breach: the commitment becomes breached and a `commitment_breach` credit record
    is made (authorised by the catalogue's submitters, appended to the ledger)."""
    commitment = commitments.breach(session, commitment_id, data, principal)
    return views.commitment_read(commitment)


@router.post("/commitments/{commitment_id}/withdraw", response_model=CommitmentRead)
def withdraw_commitment(
    commitment_id: int,
    data: Withdrawal,
    session: SessionDep,
    commitments: CommitmentsDep,
    principal: Principal = Requires(Scope.COMMITMENT_WRITE),
) -> CommitmentRead:
    """Withdraw an active commitment before its term; no record is made, the timeline keeps it."""
    commitment = commitments.withdraw(session, commitment_id, data.reason, principal)
    return views.commitment_read(commitment)
