"""Credit commitments (信用承诺): signing a template, and how a commitment ends — breached (a
negative credit record), kept to its term (a positive one) or withdrawn (no record).

Records go through `RecordService.submit`, so they are authorised by the catalogue's submitters
and appended to the ledger in the same transaction. Services flush, never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.policies import may_commit_for
from ecredit.authz.principals import SYSTEM, Principal
from ecredit.commitment import workflow
from ecredit.commitment.repository import commitment_repository
from ecredit.commitment.schemas import BreachCreate
from ecredit.commitment.template_spec import TemplateSpec
from ecredit.commitment.templates import (
    ParamValue,
    TemplateBook,
    render,
    resolve_params,
    term_of,
)
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.models.commitment import Commitment, CommitmentStatus
from ecredit.models.subject import Subject
from ecredit.record.schemas import RecordCreate
from ecredit.record.service import RecordService
from ecredit.subject.repository import subject_repository
from ecredit.subject.service import subject_service

BREACH_TYPE = "commitment_breach"
KEPT_TYPE = "commitment_kept"


@dataclass
class CommitmentService:
    templates: TemplateBook
    records: RecordService

    def sign(
        self,
        session: Session,
        subject_id: int,
        template_code: str,
        params: Mapping[str, object],
        term_start: date | None,
        by: Principal,
    ) -> Commitment:
        """Sign the current version of a template; one active commitment per subject and code."""
        subject = subject_service.get(session, subject_id)
        self._may_act(session, subject, by)
        spec = self._template(template_code)
        _check_kind(spec, subject)
        start = term_start or self.records.today()
        if start < self.records.today():
            raise InvalidInput("term_start", "not_past", "term_start: must not be in the past")
        values = resolve_params(spec, params)
        commitment_repository.lock_subject(session, subject.id)
        if commitment_repository.active_of(session, subject.id, spec.code):
            raise Conflict(
                f"template_code: subject {subject.id} already has an active '{spec.code}'"
            )
        commitment = _commitment(spec, subject, values, start, by)
        session.add(commitment)
        session.flush()
        audit_service.record_event(
            session, "subject", subject.id, "commitment_signed",
            f"作出信用承诺《{spec.title_zh}》#{commitment.id} v{spec.version}",
            {"commitment_id": commitment.id, "template_version": spec.version},
        )  # fmt: skip
        return commitment

    def get(self, session: Session, commitment_id: int) -> Commitment:
        commitment = commitment_repository.get(session, commitment_id)
        if commitment is None:
            raise NotFound(f"commitment {commitment_id} does not exist")
        return commitment

    def of_subject(self, session: Session, subject_id: int) -> list[Commitment]:
        subject_service.get(session, subject_id)
        return commitment_repository.of_subject(session, subject_id)

    def breach(
        self, session: Session, commitment_id: int, data: BreachCreate, by: Principal
    ) -> Commitment:
        """Active → breached, with a `commitment_breach` record submitted by `by`."""
        commitment = self.get(session, commitment_id)
        self._may_act(session, subject_service.get(session, commitment.subject_id), by)
        record = RecordCreate(
            subject_id=commitment.subject_id,
            type_code=BREACH_TYPE,
            severity=data.severity,
            legal_basis=data.legal_basis,
            decision_no=data.decision_no,
            decision_date=data.decision_date or self.records.today(),
            summary=f"违背信用承诺《{commitment.title}》（承诺编号 {commitment.id}）："
            f"{data.summary}",
            evidence_refs=list(data.evidence_refs),
        )
        workflow.move(
            session, commitment, CommitmentStatus.BREACHED, reason=data.summary,
            outcome=lambda: self.records.submit(session, record, by),
        )  # fmt: skip
        return commitment

    def withdraw(
        self, session: Session, commitment_id: int, reason: str, by: Principal
    ) -> Commitment:
        """Active → withdrawn before its term; the timeline keeps it, no record is made."""
        commitment = self.get(session, commitment_id)
        self._may_act(session, subject_service.get(session, commitment.subject_id), by)
        workflow.move(session, commitment, CommitmentStatus.WITHDRAWN, reason=reason)
        return commitment

    def keep(self, session: Session, commitment: Commitment, today: date) -> Commitment:
        """Active → kept once its term is over, with a positive record made by the system."""
        if commitment.term_end >= today and commitment.status is CommitmentStatus.ACTIVE:
            raise Conflict(f"commitment {commitment.id} runs until {commitment.term_end}")
        record = RecordCreate(
            subject_id=commitment.subject_id,
            type_code=KEPT_TYPE,
            decision_date=commitment.term_end,
            summary=f"履行信用承诺《{commitment.title}》（承诺编号 {commitment.id}，"
            f"{commitment.term_start}至{commitment.term_end}）",
        )
        workflow.move(
            session, commitment, CommitmentStatus.KEPT,
            outcome=lambda: self.records.submit(session, record, SYSTEM),
        )  # fmt: skip
        return commitment

    def complete_due(self, session: Session, today: date) -> list[Commitment]:
        """Every active commitment whose term ended before `today` becomes kept."""
        due = commitment_repository.due(session, today)
        for commitment in due:
            self.keep(session, commitment, today)
        return due

    def _template(self, code: str) -> TemplateSpec:
        try:
            return self.templates.get(code)
        except NotFound as exc:
            raise InvalidInput("template_code", "catalogue", exc.message) from exc

    def _may_act(self, session: Session, subject: Subject, by: Principal) -> None:
        platforms = {shop.platform_id for shop in subject_repository.shops_of(session, subject.id)}
        may_commit_for(by, subject.id, platforms).enforce()


def _commitment(
    spec: TemplateSpec,
    subject: Subject,
    values: Mapping[str, ParamValue],
    start: date,
    by: Principal,
) -> Commitment:
    """A new active commitment carrying its version and its text exactly as signed."""
    end = term_of(spec, values, start)
    return Commitment(
        subject_id=subject.id,
        template_code=spec.code,
        template_version=spec.version,
        title=spec.title_zh,
        text=render(spec, values, start, end),
        params=dict(values),
        signed_via_org_id=by.organisation_id,
        signed_by=by.actor,
        term_start=start,
        term_end=end,
        status=CommitmentStatus.ACTIVE,
    )


def _check_kind(spec: TemplateSpec, subject: Subject) -> None:
    if subject.kind not in spec.subject_kinds:
        allowed = ", ".join(kind.value for kind in spec.subject_kinds)
        raise InvalidInput(
            "subject_id", "kind",
            f"subject_id: a {subject.kind.value} may not sign '{spec.code}' (signed by: {allowed})",
        )  # fmt: skip
