"""Recording facts: validation against the catalogue, who may submit, display windows, the
ledger append, and amendments (correction, revocation, early end of publicity).

Every entry is appended to the ledger in the same transaction as it is inserted; the ledger head
is locked first so record ids and ledger sequence numbers rise together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.context import actor_of
from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal
from ecredit.catalog.loader import Catalog
from ecredit.catalog.publicity import PublicityInputError, public_window
from ecredit.catalog.schema import RecordTypeSpec
from ecredit.kit.clock import Clock, SystemClock, local_date
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import ledger_service
from ecredit.models.base import utcnow
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord, EntryAction, PenaltyKind, Severity
from ecredit.models.subject import Subject
from ecredit.record.batch import BatchIngest, timeline_event
from ecredit.record.repository import record_repository
from ecredit.record.schemas import (
    BatchResult,
    RecordAmendment,
    RecordCorrection,
    RecordCreate,
)
from ecredit.record.state import RecordState, fold
from ecredit.subject.service import subject_service

AMENDING_KINDS = frozenset({OrgKind.CREDIT_OFFICE})
LIST_PROPOSAL_JOB = "listing.propose_for_subject"  # handled in ecredit.listing.jobs
EVALUATION_JOB = "scoring.evaluate_subject"  # handled in ecredit.scoring.jobs


@dataclass
class RecordService:
    catalog: Catalog
    ledger_hash: HashName = HashName.SHA256
    clock: Clock = SystemClock()  # noqa: RUF009 - a stateless default is safe to share

    def today(self) -> date:
        return local_date(self.clock.now())

    def submit(self, session: Session, data: RecordCreate, by: Principal) -> CreditRecord:
        """Record one fact; a duplicate decision number of the same organisation is a 409."""
        record = self.build(session, data, by)
        if record.decision_no and record_repository.original_by_decision(
            session, record.source_org_id, record.type_code, record.decision_no
        ):
            raise Conflict(
                f"decision_no: '{record.decision_no}' is already recorded by this organisation"
            )
        self.store(session, [record])
        return record

    def build(self, session: Session, data: RecordCreate, by: Principal) -> CreditRecord:
        """Validate and shape a new original entry (not yet stored)."""
        return CreditRecord(**self.values(session, data, by), recorded_by=actor_of(session))

    def values(
        self, session: Session, data: RecordCreate, by: Principal, subject_id: int | None = None
    ) -> dict[str, Any]:
        """Validate a new original entry: every column but id and when/by whom it was recorded.
        `subject_id` is the subject already looked up (a batch looks them all up at once)."""
        spec = self._spec(data.type_code)
        self._may_submit(spec, by)
        if subject_id is None:
            subject_id = self._subject(session, data).id
        _require_fields(spec, data)
        severity = data.severity or spec.default_severity
        decision_date = data.decision_date or self.today()
        window = self._window(spec, severity, decision_date, data.penalty_kind, data.valid_until)
        return {
            "subject_id": subject_id, "type_code": spec.code, "action": EntryAction.ORIGINAL,
            "amends_id": None, "source_org_id": by.organisation_id, "severity": severity,
            "legal_basis": data.legal_basis, "decision_no": data.decision_no,
            "decision_date": decision_date, "penalty_kind": data.penalty_kind,
            "amount": data.amount, "summary": data.summary,
            "evidence_refs": list(data.evidence_refs), "valid_until": data.valid_until,
            "public_from": window[0], "public_until": window[1], "reason": None,
        }  # fmt: skip

    def submit_batch(
        self, session: Session, items: list[RecordCreate], by: Principal
    ) -> BatchResult:
        """Record many facts: each row is judged alone and reported; valid rows are stored.

        Every row needs a decision (or case) number, so a retried upload finds its rows already
        recorded and reports them as duplicates instead of storing them twice.
        """
        return BatchIngest(self).submit(session, items, by)

    def store(self, session: Session, records: list[CreditRecord]) -> None:
        """Insert entries and append them to the ledger, in this order, under the head lock."""
        ledger_service.lock_head(session, self.ledger_hash)
        session.add_all(records)
        session.flush()
        ledger_service.append(session, records)
        audit_service.record_events(
            session,
            [
                timeline_event(record.subject_id, record.id, record.amends_id or record.id,
                               record.type_code, record.action.value)
                for record in records
            ],
        )  # fmt: skip
        self.enqueue_follow_ups(session, {record.subject_id for record in records})

    def enqueue_follow_ups(self, session: Session, subject_ids: set[int]) -> None:
        """Re-evaluation and list proposals for the subjects that have new entries."""
        # Scoring sits above records too: re-evaluate each subject first (lists read grades).
        _enqueue_for_subjects(session, EVALUATION_JOB, subject_ids)
        # Lists sit above records: ask for their criteria by job name, never by import.
        _enqueue_for_subjects(session, LIST_PROPOSAL_JOB, subject_ids)

    def correct(
        self, session: Session, record_id: int, data: RecordCorrection, by: Principal
    ) -> CreditRecord:
        state = self.state(session, record_id)
        self._may_amend(state, by)
        if state.revoked:
            raise Conflict(f"record {state.original.id} is revoked; nothing more can change")
        current = state.current
        changes = data.model_dump(exclude_unset=True, exclude={"reason"})
        entry = _copy(current, EntryAction.CORRECTION, state.original.id, data.reason, session)
        for field, value in changes.items():
            setattr(entry, field, value)
        spec = self._spec(entry.type_code)
        _require_fields(spec, entry)  # a correction must not remove what the type requires
        entry.public_from, entry.public_until = self._window(
            spec, entry.severity, entry.decision_date or self.today(),
            entry.penalty_kind, entry.valid_until,
        )  # fmt: skip
        self.store(session, [entry])
        return entry

    def revoke(
        self, session: Session, record_id: int, data: RecordAmendment, by: Principal
    ) -> CreditRecord:
        """The decision was revoked: the record stops standing (its history stays)."""
        return self._amend(session, record_id, EntryAction.REVOCATION, data, by)

    def end_publicity(
        self, session: Session, record_id: int, data: RecordAmendment, by: Principal
    ) -> CreditRecord:
        """Publicity ends (early, by decision, on `effective` or today)."""
        return self._amend(session, record_id, EntryAction.EXPIRY, data, by)

    def repair(self, session: Session, record_id: int, reason: str, by: Principal) -> CreditRecord:
        """Credit repair granted: hidden from the public view from now on, kept in history."""
        if self.state(session, record_id).repaired:
            raise Conflict(f"record {record_id} is already repaired")
        amendment = RecordAmendment(reason=reason)
        return self._amend(session, record_id, EntryAction.REPAIR, amendment, by)

    def _amend(
        self,
        session: Session,
        record_id: int,
        action: EntryAction,
        data: RecordAmendment,
        by: Principal,
    ) -> CreditRecord:
        state = self.state(session, record_id)
        self._may_amend(state, by)
        if state.revoked:
            raise Conflict(f"record {state.original.id} is revoked; nothing more can change")
        entry = _copy(state.current, action, state.original.id, data.reason, session)
        if action is EntryAction.EXPIRY:
            entry.public_until = data.effective or self.today()
        self.store(session, [entry])
        return entry

    def state(self, session: Session, record_id: int) -> RecordState:
        entry = record_repository.get(session, record_id)
        if entry is None:
            raise NotFound(f"record {record_id} does not exist")
        return fold(record_repository.family(session, entry.amends_id or entry.id))[0]

    def file(self, session: Session, subject_id: int) -> list[RecordState]:
        subject_service.get(session, subject_id)
        return fold(record_repository.of_subject(session, subject_id))

    def _spec(self, type_code: str) -> RecordTypeSpec:
        if type_code not in self.catalog:
            known = ", ".join(self.catalog.codes())
            raise InvalidInput(
                "type_code", "catalogue", f"type_code: unknown record type '{type_code}' "
                f"(known: {known})",
            )  # fmt: skip
        return self.catalog.get(type_code)

    def _may_submit(self, spec: RecordTypeSpec, by: Principal) -> None:
        if by.org_kind is None:
            return  # the system itself (jobs, demo seed)
        if not self.catalog.may_submit(spec.code, by.org_kind):
            allowed = ", ".join(kind.value for kind in spec.submitters)
            raise Forbidden(
                f"type_code: a {by.org_kind.value} may not submit '{spec.code}' "
                f"(submitted by: {allowed})"
            )

    def _may_amend(self, state: RecordState, by: Principal) -> None:
        source = state.original.source_org_id
        if by.org_kind is None or by.org_kind in AMENDING_KINDS or by.organisation_id == source:
            return
        raise Forbidden("only the organisation that recorded it, or the credit office, may amend")

    def _subject(self, session: Session, data: RecordCreate) -> Subject:
        if data.subject_id is not None:
            subject = session.get(Subject, data.subject_id)
            if subject is None:
                raise InvalidInput(
                    "subject_id", "exists", f"subject_id: subject {data.subject_id} does not exist"
                )
            return subject
        try:
            return subject_service.find_by_code(session, data.subject_code or "", "subject_code")
        except NotFound as exc:
            raise InvalidInput("subject_code", "exists", f"subject_code: {exc.message}") from exc

    def _window(
        self,
        spec: RecordTypeSpec,
        severity: Severity | None,
        decision_date: date,
        penalty_kind: PenaltyKind | None,
        valid_until: date | None,
    ) -> tuple[date | None, date | None]:
        try:
            return public_window(spec, severity, decision_date, penalty_kind, valid_until)
        except PublicityInputError as exc:
            raise InvalidInput(exc.field, "publicity", f"{exc.field}: {spec.code}: {exc}") from exc


def _require_fields(spec: RecordTypeSpec, data: RecordCreate | CreditRecord) -> None:
    problems = [
        Problem(name, "required", f"{name}: required for record type '{spec.code}'")
        for name in spec.required_fields
        if getattr(data, name, None) in (None, "", [])
    ]
    if problems:
        raise InvalidInput.many(problems)


def _copy(
    source: CreditRecord, action: EntryAction, root_id: int, reason: str, session: Session
) -> CreditRecord:
    """A new entry carrying the current facts, to be amended by the caller."""
    return CreditRecord(
        subject_id=source.subject_id,
        type_code=source.type_code,
        action=action,
        amends_id=root_id,
        source_org_id=source.source_org_id,
        severity=source.severity,
        legal_basis=source.legal_basis,
        decision_no=source.decision_no,
        decision_date=source.decision_date,
        penalty_kind=source.penalty_kind,
        amount=source.amount,
        summary=source.summary,
        evidence_refs=list(source.evidence_refs),
        valid_until=source.valid_until,
        public_from=source.public_from,
        public_until=source.public_until,
        reason=reason,
        recorded_by=actor_of(session),
    )


def _enqueue_for_subjects(session: Session, name: str, subject_ids: set[int]) -> None:
    """One queued job `name` per subject (payload {"subject_id"}), in the caller's transaction;
    a subject that already has one queued gets no second."""
    if not subject_ids:
        return
    queued = select(Job.payload["subject_id"].as_integer()).where(
        Job.name == name, Job.status == JobStatus.QUEUED
    )
    waiting = set(session.scalars(queued))
    now = utcnow()
    session.add_all(
        Job(name=name, payload={"subject_id": subject_id}, run_at=now)
        for subject_id in sorted(subject_ids - waiting)
    )
    session.flush()
