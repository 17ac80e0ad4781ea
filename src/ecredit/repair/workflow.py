"""The one guarded function that moves a case between statuses, and what every step leaves
behind: the case's timeline, a notice to the subject (受理 / 决定 with reasons) and an event
`repair_case.<status>` for subscribers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import Principal
from ecredit.jobs.events import emit
from ecredit.models.notice import Notice
from ecredit.models.repair import CASE_TRANSITIONS, CaseKind, CaseStatus, RepairCase
from ecredit.repair.repository import ENTITY

KIND_ZH = {CaseKind.OBJECTION: "异议申请", CaseKind.REPAIR: "信用修复申请"}
DECISIONS = frozenset({CaseStatus.GRANTED, CaseStatus.REFUSED})
TITLES = {
    CaseStatus.FILED: "申请已收到",
    CaseStatus.ACKNOWLEDGED: "受理通知",
    CaseStatus.GRANTED: "决定通知",
    CaseStatus.REFUSED: "决定通知",
    CaseStatus.WITHDRAWN: "撤回确认",
}
OutcomeFn = Callable[[], int | None]


def describe(case: RepairCase) -> str:
    return f"{KIND_ZH[case.kind]}（编号 {case.id}）"


def notice_body(case: RepairCase, status: CaseStatus, reason: str | None) -> str:
    """The text the subject reads for each step."""
    what = describe(case)
    if status is CaseStatus.FILED:
        return (
            f"您的{what}已收到，将于 {case.acknowledge_due} 前受理，"
            f"{case.decision_due} 前作出决定。"
        )
    if status is CaseStatus.ACKNOWLEDGED:
        return f"您的{what}已受理，将于 {case.decision_due} 前作出决定。"
    if status is CaseStatus.GRANTED:
        verdict = "异议成立，已予更正" if case.kind is CaseKind.OBJECTION else "准予信用修复"
        return f"您的{what}经审查：{verdict}。理由：{reason}"
    if status is CaseStatus.REFUSED:
        return f"您的{what}经审查：不予支持。理由：{reason}"
    return f"您的{what}已撤回。理由：{reason}"


def record_step(
    session: Session,
    case: RepairCase,
    status: CaseStatus,
    reason: str | None,
    internal: dict[str, Any] | None = None,
) -> None:
    """Timeline, notice and event of a step (the filing itself included). `internal` data goes
    to the case's own timeline only, never to the subject's or to subscribers."""
    data = {"case_id": case.id, "status": status.value, "reason": reason,
            "outcome_record_id": case.outcome_record_id}  # fmt: skip
    audit_service.record_events(
        session,
        [
            (ENTITY, case.id, f"repair_case_{status.value}", f"{describe(case)} {status.value}",
             data | (internal or {})),
            ("subject", case.subject_id, f"repair_case_{status.value}",
             f"{describe(case)} {status.value}", data),
        ],
    )  # fmt: skip
    session.add(
        Notice(
            subject_id=case.subject_id,
            kind=f"repair_case_{status.value}",
            title=f"{TITLES[status]}：{KIND_ZH[case.kind]}",
            body=notice_body(case, status, reason),
            entity=ENTITY,
            entity_id=case.id,
        )
    )
    emit(session, f"repair_case.{status.value}", case.subject_id, data | {"kind": case.kind.value})


def move(
    session: Session,
    case: RepairCase,
    target: CaseStatus,
    by: Principal,
    reason: str | None = None,
    outcome: OutcomeFn | None = None,
    internal: dict[str, Any] | None = None,
) -> RepairCase:
    """Check the move against CASE_TRANSITIONS before anything changes (a 409 leaves all as it
    was), then apply the outcome (a new record entry, a list removal), then move and record it."""
    CASE_TRANSITIONS.check(case.status, target)
    outcome_record_id = outcome() if outcome is not None else None
    case.status = target
    if target in DECISIONS:
        case.decided_by_org_id, case.decision_reason = by.organisation_id, reason
    if outcome_record_id is not None:
        case.outcome_record_id = outcome_record_id
    session.flush()
    record_step(session, case, target, reason, internal)
    return case
