"""Objections (异议) and credit repair (信用修复): filing, acknowledging, deciding, withdrawing,
and escalating missed deadlines. Services flush, never commit.

Who files: an organisation for a subject (scope repair:file, `admissibility.may_file_for`), or
the subject itself through the public route with proof of identity (`identity.prove`). The
applicant is stored as "org:<organisation id>" or "self"; only the applicant withdraws.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal
from ecredit.jobs.events import emit
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from ecredit.kit.masking import PersonalField, mask
from ecredit.models.base import utcnow
from ecredit.models.repair import CaseKind, CaseStatus, CaseTarget, RepairCase
from ecredit.record.service import RecordService
from ecredit.repair import admissibility, identity, workflow
from ecredit.repair.deadlines import Deadlines, Step, overdue_steps, removal_met
from ecredit.repair.outcomes import Outcome, needs_removal
from ecredit.repair.repository import ENTITY, OVERDUE_EVENT, repair_case_repository
from ecredit.repair.schemas import CaseCreate, CaseDecision, PublicCaseCreate
from ecredit.subject.repository import subject_repository
from ecredit.subject.service import PHONE_PATTERN

SELF = "self"


def applicant_of(by: Principal) -> str:
    return f"org:{by.organisation_id}" if by.organisation_id is not None else by.actor


@dataclass
class RepairService:
    records: RecordService

    def today(self) -> date:
        return self.records.today()

    def file(self, session: Session, data: CaseCreate, by: Principal) -> RepairCase:
        """An organisation files for the subject of the record or list entry."""
        subject_id = self._subject_of(session, data)
        platforms = {s.platform_id for s in subject_repository.shops_of(session, subject_id)}
        admissibility.may_file_for(by, subject_id, platforms).enforce()
        return self._open(session, subject_id, data, applicant_of(by))

    def file_public(
        self, session: Session, vault: Vault, subject_id: int, data: PublicCaseCreate
    ) -> RepairCase:
        """The subject files for itself, proving its identity; a refusal stores nothing."""
        phone = data.contact_phone.strip().replace(" ", "").replace("-", "")
        if not PHONE_PATTERN.match(phone):
            raise InvalidInput(
                "contact_phone", "format", "contact_phone: an 11-digit mainland mobile number"
            )
        subject = identity.prove(session, vault, subject_id, data.uscc, data.id_number)
        try:
            owner: int | None = self._subject_of(session, data)
        except NotFound:
            owner = None
        if owner != subject.id:  # the same answer whether it exists elsewhere or not at all
            raise NotFound("no such record or list entry in this subject's file")
        contact = {"contact_sealed": vault.cipher.encrypt(
            f"{data.contact_name}\x00{phone}", "repair_case.contact")}  # fmt: skip
        applicant = (
            f"{SELF} 联系人 {mask(PersonalField.PERSON_NAME, data.contact_name)} "
            f"{mask(PersonalField.PHONE, phone)}"
        )
        return self._open(session, subject.id, data, applicant, contact)

    def _subject_of(self, session: Session, data: CaseCreate) -> int:
        if data.target is CaseTarget.RECORD:
            state = self.records.state(session, data.record_id or 0)
            return state.original.subject_id
        entry = repair_case_repository.list_entry(session, data.list_entry_id)
        if entry is None:
            raise NotFound(f"list entry {data.list_entry_id} does not exist")
        return entry.subject_id

    def _open(
        self,
        session: Session,
        subject_id: int,
        data: CaseCreate,
        applicant: str,
        internal: dict[str, Any] | None = None,
    ) -> RepairCase:
        today = self.today()
        self._admissible(session, data, today)
        deadlines = Deadlines.load(session)
        case = RepairCase(
            kind=data.kind, subject_id=subject_id, target=data.target,
            record_id=data.record_id, list_entry_id=data.list_entry_id,
            status=CaseStatus.FILED, applicant=applicant[:120], grounds=data.grounds,
            evidence_refs=list(data.evidence_refs), filed_on=today,
            acknowledge_due=deadlines.acknowledge_due(today),
            decision_due=deadlines.decision_due(today),
        )  # fmt: skip
        session.add(case)
        session.flush()
        workflow.record_step(session, case, CaseStatus.FILED, data.grounds, internal)
        return case

    def _admissible(self, session: Session, data: CaseCreate, today: date) -> None:
        if data.target is CaseTarget.RECORD:
            admissibility.record_case(self.records, session, data.kind, data.record_id or 0, today)
        else:
            admissibility.list_entry_case(session, data.kind, data.list_entry_id or 0)
        if repair_case_repository.open_for(session, data.kind, data.record_id, data.list_entry_id):
            raise Conflict(
                f"an undecided {data.kind.value} case about this {data.target.value} exists"
            )

    def get(self, session: Session, case_id: int, lock: bool = False) -> RepairCase:
        repo = repair_case_repository
        case = repo.lock(session, case_id) if lock else repo.get(session, case_id)
        if case is None:
            raise NotFound(f"repair case {case_id} does not exist")
        return case

    def queue(
        self,
        session: Session,
        today: date,
        status: CaseStatus | None = None,
        kind: CaseKind | None = None,
        overdue: bool | None = None,
    ) -> list[RepairCase]:
        return repair_case_repository.queue(session, today, status, kind, overdue)

    def acknowledge(self, session: Session, case_id: int, by: Principal) -> RepairCase:
        """受理: the deciding department or the credit office accepts the case for review."""
        admissibility.may_decide(by).enforce()
        case = self.get(session, case_id, lock=True)
        return workflow.move(session, case, CaseStatus.ACKNOWLEDGED, by)

    def decide(
        self, session: Session, case_id: int, data: CaseDecision, by: Principal
    ) -> RepairCase:
        """Grant (with its outcome) or refuse, with the reason."""
        admissibility.may_decide(by).enforce()
        case = self.get(session, case_id, lock=True)
        if data.decision == "refused":
            return workflow.move(session, case, CaseStatus.REFUSED, by, data.reason)
        outcome = Outcome(self.records, session, case, data, by)
        outcome.check()
        today = self.today()
        due = Deadlines.load(session).removal_due(today) if needs_removal(case) else None

        def apply() -> int | None:  # removal_due is set only once the outcome stands
            made = outcome.apply()
            case.removal_due = due
            return made

        internal = {"decided_on": today.isoformat(), "removal_due": _iso(due)}
        workflow.move(session, case, CaseStatus.GRANTED, by, data.reason, apply, internal)
        if needs_removal(case):
            self._note_removal(session, case)
        return case

    def _note_removal(self, session: Session, case: RepairCase) -> None:
        """Record when the list entry came off its list, and whether removal_due was met."""
        entry = repair_case_repository.list_entry(session, case.list_entry_id)
        met = removal_met(case, entry)
        removed_on = _iso(entry.ended_on if entry is not None else None)
        audit_service.record_event(
            session, ENTITY, case.id, "repair_case_list_removed",
            f"{workflow.describe(case)} 名单移出 {removed_on}（期限 {case.removal_due}）",
            {"removed_on": removed_on, "removal_due": _iso(case.removal_due), "met": met},
        )  # fmt: skip

    def withdraw(
        self, session: Session, case_id: int, reason: str, by: Principal | None
    ) -> RepairCase:
        """By the applicant: the organisation that filed, or (by=None) the subject itself after
        proving its identity at the public route."""
        case = self.get(session, case_id, lock=True)
        filer = SELF if by is None else applicant_of(by)
        if case.applicant.split(" ", 1)[0] != filer:
            raise Forbidden("only the applicant may withdraw a case")
        return workflow.move(session, case, CaseStatus.WITHDRAWN, by or _self(case), reason)

    def withdraw_own(
        self, session: Session, subject_id: int, case_id: int, reason: str
    ) -> RepairCase:
        """The subject (identity already proven) withdraws a case it filed itself."""
        case = repair_case_repository.get(session, case_id)
        if case is None or case.subject_id != subject_id:
            raise NotFound(f"repair case {case_id} does not exist for this subject")
        return self.withdraw(session, case_id, reason, None)

    def escalate_overdue(
        self, session: Session, today: date | None = None
    ) -> list[tuple[int, Step]]:
        """Escalate every overdue step once: level + 1, a timeline event, `repair_case.overdue`."""
        today = today or self.today()
        done: list[tuple[int, Step]] = []
        for case in repair_case_repository.overdue(session, today):
            entry = repair_case_repository.list_entry(session, case.list_entry_id)
            escalated = repair_case_repository.escalated_steps(session, case.id)
            for step in overdue_steps(case, entry, today):
                if step.value not in escalated:
                    self._escalate(session, case, step, today)
                    done.append((case.id, step))
        return done

    def _escalate(self, session: Session, case: RepairCase, step: Step, today: date) -> None:
        case.escalation_level += 1
        case.escalated_at = utcnow()
        due = {Step.ACKNOWLEDGE: case.acknowledge_due, Step.DECISION: case.decision_due,
               Step.REMOVAL: case.removal_due}[step]  # fmt: skip
        data = {"case_id": case.id, "step": step.value, "due": _iso(due),
                "level": case.escalation_level, "today": today.isoformat()}  # fmt: skip
        session.flush()
        audit_service.record_event(
            session, ENTITY, case.id, OVERDUE_EVENT,
            f"{workflow.describe(case)} 逾期未{_STEP_ZH[step]}（期限 {due}），升级至第 "
            f"{case.escalation_level} 级", data,
        )  # fmt: skip
        emit(session, "repair_case.overdue", case.subject_id, data)


_STEP_ZH = {Step.ACKNOWLEDGE: "受理", Step.DECISION: "决定", Step.REMOVAL: "移出名单"}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _self(case: RepairCase) -> Principal:
    return Principal(actor=f"subject:{case.subject_id}", organisation_id=None, org_kind=None)
