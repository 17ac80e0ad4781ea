"""The one guarded function that moves a complaint or report, and what each step leaves: the
dates and deadlines of the new step on the row, an entry on its timeline, and an event
`complaint.<status>` for subscribers (no personal data in either)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal
from ecredit.complaint.deadlines import Deadlines
from ecredit.complaint.repository import ENTITY
from ecredit.jobs.events import emit
from ecredit.models.complaint import CLOSED, TRANSITIONS, Complaint, ComplaintStatus

S = ComplaintStatus
STATUS_ZH = {
    S.PLATFORM: "转平台先行处理", S.DEPARTMENT: "转主管部门", S.MEDIATION: "已受理，调解中",
    S.CHECKING: "核查中", S.UPHELD: "属实", S.PARTLY_UPHELD: "部分属实", S.REFUSED: "不予支持",
    S.WITHDRAWN: "已撤回", S.MEDIATED: "已和解",
}  # fmt: skip
OutcomeFn = Callable[[], int | None]


def describe(complaint: Complaint) -> str:
    what = "投诉" if complaint.kind.value == "complaint" else "举报"
    return f"{what} {complaint.tracking_no}"


def record_step(
    session: Session, complaint: Complaint, status: ComplaintStatus, reason: str | None
) -> None:
    """Timeline and event of a step (the filing itself included)."""
    data = {"tracking_no": complaint.tracking_no, "kind": complaint.kind.value,
            "status": status.value, "reason": reason,
            "outcome_record_id": complaint.outcome_record_id}  # fmt: skip
    audit_service.record_event(
        session, ENTITY, complaint.id, f"complaint_{status.value}",
        f"{describe(complaint)}：{STATUS_ZH[status]}", data,
    )  # fmt: skip
    emit(session, f"complaint.{status.value}", complaint.respondent_subject_id, data)


def stamp(complaint: Complaint, target: ComplaintStatus, today: date, days: Deadlines) -> None:
    """The dates a step sets, and the deadline of the step that follows it."""
    if target is S.DEPARTMENT:
        complaint.referred_on = today
        complaint.accept_due = days.after(today, "complaint.accept_workdays")
    elif target is S.MEDIATION:
        complaint.accepted_on = today
        complaint.mediation_due = days.after(today, "complaint.mediation_workdays")
    elif target in CLOSED:
        complaint.closed_on = today
        withdrawn = target is S.WITHDRAWN  # the one who withdrew needs no telling
        complaint.notify_due = None if withdrawn else days.notify_due(complaint, today)


def move(
    session: Session,
    complaint: Complaint,
    target: ComplaintStatus,
    by: Principal,
    reason: str | None,
    today: date,
    outcome: OutcomeFn | None = None,
) -> Complaint:
    """Check the move against the kind's table before anything changes (a 409 leaves all as it
    was), apply the outcome (a credit record), then move, date and record it."""
    TRANSITIONS[complaint.kind].check(complaint.status, target)
    record_id = outcome() if outcome is not None else None
    complaint.status = target
    stamp(complaint, target, today, Deadlines.load(session))
    if target in CLOSED:
        complaint.decided_by_org_id, complaint.decision_reason = by.organisation_id, reason
    if record_id is not None:
        complaint.outcome_record_id = record_id
    session.flush()
    record_step(session, complaint, target, reason)
    return complaint
