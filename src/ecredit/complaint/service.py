"""Complaints and reports: filing, moving through the transition table, extension, telling the
complainant, unmasked contact reads (logged), the filer's own withdrawal, and escalation of every
missed deadline. Services flush, never commit."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal
from ecredit.complaint import filing, workflow
from ecredit.complaint.deadlines import Deadlines, Step, escalation_key, overdue_steps
from ecredit.complaint.policy import may_move, may_see, platform_filter
from ecredit.complaint.repository import ENTITY, complaint_repository
from ecredit.complaint.schemas import (
    ComplaintCreate,
    ComplaintTransition,
    ContactRead,
    NotificationCreate,
    ReportCreate,
)
from ecredit.jobs.events import emit
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, NotFound
from ecredit.models.base import utcnow
from ecredit.models.complaint import CLOSED, UPHELD, Complaint, ComplaintKind, ComplaintStatus
from ecredit.models.subject import Subject
from ecredit.record.schemas import RecordCreate
from ecredit.record.service import RecordService
from ecredit.subject.repository import subject_repository

UPHELD_TYPE = "complaint_upheld"
NOT_CONFIRMED = "not confirmed: the phone number does not match this complaint"
SYSTEM_ESCALATION = "平台逾期未处理，依规转交主管部门"
_STEP_ZH = {Step.PLATFORM: "平台处理", Step.ACCEPT: "受理", Step.MEDIATION: "调解",
            Step.CHECK: "核查", Step.NOTIFY: "告知"}  # fmt: skip


@dataclass
class ComplaintService:
    records: RecordService

    def today(self) -> date:
        return self.records.today()

    def file_complaint(self, session: Session, vault: Vault, data: ComplaintCreate) -> Complaint:
        today = self.today()
        complaint = filing.new_complaint(session, vault, data, today, Deadlines.load(session))
        return self._open(session, complaint)

    def file_report(self, session: Session, vault: Vault, data: ReportCreate) -> Complaint:
        today = self.today()
        report = filing.new_report(session, vault, data, today, Deadlines.load(session))
        return self._open(session, report)

    def _open(self, session: Session, complaint: Complaint) -> Complaint:
        session.add(complaint)
        session.flush()
        workflow.record_step(session, complaint, complaint.status, None)
        return complaint

    def platforms_for(self, session: Session, subject_id: int) -> list[Subject]:
        """The platforms a seller trades on (where a consumer's order may have been placed)."""
        shops = subject_repository.shops_of(session, subject_id)
        ids = sorted({shop.platform_id for shop in shops})
        return list(subject_repository.many(session, ids).values())

    def get(self, session: Session, tracking_no: str, lock: bool = False) -> Complaint:
        complaint = complaint_repository.by_tracking_no(session, tracking_no, lock)
        if complaint is None:
            raise NotFound(f"no complaint or report with tracking number {tracking_no}")
        return complaint

    def read(self, session: Session, tracking_no: str, by: Principal) -> Complaint:
        complaint = self.get(session, tracking_no)
        may_see(by, complaint).enforce()
        return complaint

    def queue(
        self, session: Session, by: Principal, statuses: tuple[ComplaintStatus, ...] = (),
        kind: ComplaintKind | None = None, overdue: bool | None = None,
    ) -> list[Complaint]:  # fmt: skip
        platform = platform_filter(by)
        return complaint_repository.queue(session, self.today(), statuses, kind, overdue, platform)

    def transition(
        self, session: Session, tracking_no: str, data: ComplaintTransition, by: Principal
    ) -> Complaint:
        """Move it; an upheld complaint becomes a `complaint_upheld` record of the respondent."""
        complaint = self.get(session, tracking_no, lock=True)
        may_move(by, complaint).enforce()
        outcome = None
        if complaint.kind is ComplaintKind.COMPLAINT and data.status in UPHELD:

            def outcome() -> int | None:
                return self._upheld_record(session, complaint, data, by)

        return workflow.move(
            session, complaint, data.status, by, data.reason, self.today(), outcome
        )

    def _upheld_record(
        self, session: Session, complaint: Complaint, data: ComplaintTransition, by: Principal
    ) -> int:
        """The credit record of an upheld complaint: no personal data, the tracking number as
        its decision number (so it cannot be recorded twice)."""
        partly = "部分" if data.status is ComplaintStatus.PARTLY_UPHELD else ""
        record = RecordCreate(
            subject_id=complaint.respondent_subject_id, type_code=UPHELD_TYPE,
            severity=data.severity, decision_no=complaint.tracking_no,
            decision_date=self.today(),
            summary=f"消费者投诉经查{partly}属实（{complaint.category.value}）：{data.reason}",
            evidence_refs=[f"complaint:{complaint.tracking_no}"],
        )  # fmt: skip
        return self.records.submit(session, record, by).id

    def extend(self, session: Session, tracking_no: str, reason: str, by: Principal) -> Complaint:
        """One extension of a report's check (Order 20 Art. 23: 15 + 15 working days)."""
        report = self.get(session, tracking_no, lock=True)
        may_move(by, report).enforce()
        if report.status is not ComplaintStatus.CHECKING or report.check_due is None:
            raise Conflict(f"{tracking_no}: only a report being checked can be extended")
        if report.extended:
            raise Conflict(f"{tracking_no}: the check was extended once already")
        before = report.check_due
        report.check_due = Deadlines.load(session).after(before, "report.extension_workdays")
        report.extended = True
        session.flush()
        audit_service.record_event(
            session, ENTITY, report.id, "complaint_extended",
            f"{workflow.describe(report)}：核查延期至 {report.check_due}",
            {"from": before.isoformat(), "to": report.check_due.isoformat(), "reason": reason},
        )  # fmt: skip
        return report

    def mark_notified(
        self, session: Session, tracking_no: str, data: NotificationCreate, by: Principal
    ) -> Complaint:
        """The complainant (or real-name reporter) has been told the outcome."""
        complaint = self.get(session, tracking_no, lock=True)
        may_move(by, complaint).enforce()
        if complaint.status not in CLOSED or complaint.notify_due is None:
            raise Conflict(f"{tracking_no}: nobody is waiting to be told an outcome")
        if complaint.notified_on is not None:
            raise Conflict(f"{tracking_no}: already told on {complaint.notified_on}")
        complaint.notified_on = self.today()
        session.flush()
        audit_service.record_event(
            session, ENTITY, complaint.id, "complaint_notified",
            f"{workflow.describe(complaint)}：已告知处理结果（{data.channel}）",
            {"on": complaint.notified_on.isoformat(), "channel": data.channel},
        )  # fmt: skip
        return complaint

    def contact(
        self, session: Session, vault: Vault, tracking_no: str, by: Principal
    ) -> ContactRead:
        """The unmasked contact, for the handler who must call back; the read is logged under
        the complaint's respondent (complainants are not subjects) with the tracking number."""
        complaint = self.read(session, tracking_no, by)
        opened = {
            field: vault.cipher.decrypt(sealed, context) if sealed else None
            for field, sealed, context in (
                ("name", complaint.complainant_name_sealed, filing.NAME),
                ("phone", complaint.complainant_phone_sealed, filing.PHONE),
                ("address", complaint.complainant_address_sealed, filing.ADDRESS),
            )
        }
        fields = [f"complainant.{name}" for name, value in opened.items() if value is not None]
        if fields:
            audit_service.log_personal_access(
                session, complaint.respondent_subject_id, fields,
                f"complaint {tracking_no}: complainant contact",
            )  # fmt: skip
        return ContactRead(tracking_no=tracking_no, **opened)

    def confirm_filer(self, session: Session, vault: Vault, tracking_no: str, phone: str) -> None:
        """403 unless `phone` is the one given at filing: the check the public withdrawal runs
        under the throttle before it withdraws."""
        _confirm_filer(vault, self.get(session, tracking_no), phone)

    def withdraw_own(
        self, session: Session, vault: Vault, tracking_no: str, phone: str, reason: str
    ) -> Complaint:
        """The filer withdraws, proving it by the phone given at filing."""
        complaint = self.get(session, tracking_no, lock=True)
        _confirm_filer(vault, complaint, phone)
        by = Principal(actor="complainant", organisation_id=None, org_kind=None)
        return workflow.move(
            session, complaint, ComplaintStatus.WITHDRAWN, by, reason, self.today()
        )

    def escalate_overdue(
        self, session: Session, by: Principal, today: date | None = None
    ) -> list[tuple[str, Step]]:
        """Escalate each missed deadline once (level + 1, a timeline entry, an event); a missed
        platform deadline also refers the complaint to the department."""
        today = today or self.today()
        done: list[tuple[str, Step]] = []
        for complaint in complaint_repository.overdue(session, today):
            for step, due in overdue_steps(complaint, today):
                if escalation_key(step, due) not in complaint.escalations:
                    self._escalate(session, complaint, step, due, today, by)
                    done.append((complaint.tracking_no, step))
        return done

    def _escalate(
        self, session: Session, complaint: Complaint, step: Step, due: date, today: date,
        by: Principal,
    ) -> None:  # fmt: skip
        complaint.escalations = [*complaint.escalations, escalation_key(step, due)]
        complaint.escalation_level += 1
        complaint.escalated_at = utcnow()
        session.flush()
        data = {"tracking_no": complaint.tracking_no, "step": step.value, "due": due.isoformat(),
                "level": complaint.escalation_level, "today": today.isoformat()}  # fmt: skip
        audit_service.record_event(
            session, ENTITY, complaint.id, "complaint_overdue",
            f"{workflow.describe(complaint)} 逾期未{_STEP_ZH[step]}（期限 {due}），升级至第 "
            f"{complaint.escalation_level} 级", data,
        )  # fmt: skip
        emit(session, "complaint.overdue", complaint.respondent_subject_id, data)
        if step is Step.PLATFORM:
            workflow.move(session, complaint, ComplaintStatus.DEPARTMENT, by,
                          SYSTEM_ESCALATION, today)  # fmt: skip


def _confirm_filer(vault: Vault, complaint: Complaint, phone: str) -> None:
    """Compared through the blind index; an anonymous report has no phone and is never
    confirmed."""
    stored = complaint.complainant_phone_index
    if stored is None or not hmac.compare_digest(vault.index(filing.PHONE, phone), stored):
        raise Forbidden(NOT_CONFIRMED)
