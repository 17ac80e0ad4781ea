"""Real-name verification: the one guarded function that moves a subject between statuses."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ecredit.audit.context import actor_of
from ecredit.audit.service import audit_service
from ecredit.authz.policies import may_decide_verification
from ecredit.authz.principals import Principal
from ecredit.kit.errors import InvalidInput
from ecredit.models.base import utcnow
from ecredit.models.subject import (
    VERIFICATION_TRANSITIONS,
    Subject,
    VerificationEvent,
    VerificationMethod,
    VerificationStatus,
)

DECISIONS = frozenset(
    {VerificationStatus.VERIFIED, VerificationStatus.REJECTED, VerificationStatus.REVOKED}
)


def submit(
    session: Session,
    subject: Subject,
    method: VerificationMethod,
    evidence_ref: str,
    by: Principal,
) -> VerificationEvent:
    """Ask for verification (unverified / rejected / revoked → pending) with evidence."""
    return _move(
        session, subject, VerificationStatus.PENDING, by, evidence_ref=evidence_ref, method=method
    )


def decide(
    session: Session,
    subject: Subject,
    decision: VerificationStatus,
    by: Principal,
    reason: str | None = None,
) -> VerificationEvent:
    """A department's decision: verified or rejected (from pending), revoked (from verified)."""
    if decision not in DECISIONS:
        raise InvalidInput("decision", "choice", "decision: must be verified, rejected or revoked")
    may_decide_verification(by).enforce()
    if decision is not VerificationStatus.VERIFIED and not reason:
        raise InvalidInput("reason", "required", f"reason: required to mark {decision.value}")
    return _move(session, subject, decision, by, reason=reason)


def _move(
    session: Session,
    subject: Subject,
    target: VerificationStatus,
    by: Principal,
    evidence_ref: str | None = None,
    reason: str | None = None,
    method: VerificationMethod | None = None,
) -> VerificationEvent:
    current = subject.verification_status
    VERIFICATION_TRANSITIONS.check(current, target)  # before any change: a refusal changes nothing
    if method is not None:
        subject.verification_method = method
    subject.verification_status = target
    if target is VerificationStatus.VERIFIED:
        subject.verified_at, subject.verified_by_id = utcnow(), by.organisation_id
    elif target is not VerificationStatus.PENDING:
        subject.verified_at = subject.verified_by_id = None
    event = VerificationEvent(
        subject_id=subject.id,
        from_status=current,
        to_status=target,
        method=subject.verification_method,
        organisation_id=by.organisation_id,
        evidence_ref=evidence_ref,
        reason=reason,
        actor=actor_of(session),
    )
    session.add(event)
    session.flush()
    audit_service.record_event(
        session,
        "subject",
        subject.id,
        f"verification_{target.value}",
        f"实名认证 {current.value} → {target.value}",
        {"reason": reason, "evidence_ref": evidence_ref},
    )
    return event
