"""The one guarded function that moves a commitment between statuses."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.models.commitment import COMMITMENT_TRANSITIONS, Commitment, CommitmentStatus
from ecredit.models.record import CreditRecord

SUMMARIES = {
    CommitmentStatus.BREACHED: "违背信用承诺",
    CommitmentStatus.KEPT: "履行信用承诺",
    CommitmentStatus.WITHDRAWN: "撤回信用承诺",
    CommitmentStatus.ACTIVE: "信用承诺生效",
}


def move(
    session: Session,
    commitment: Commitment,
    target: CommitmentStatus,
    reason: str | None = None,
    outcome: Callable[[], CreditRecord] | None = None,
) -> CreditRecord | None:
    """Check the move against COMMITMENT_TRANSITIONS before anything changes (a 409 leaves
    everything as it was), then make the outcome record if any, then move and note it on the
    subject's timeline."""
    current = commitment.status
    COMMITMENT_TRANSITIONS.check(current, target)
    record = outcome() if outcome is not None else None
    commitment.status = target
    if record is not None:
        commitment.outcome_record_id = record.id
    session.flush()
    summary = f"{SUMMARIES[target]}《{commitment.title}》#{commitment.id}"
    audit_service.record_event(
        session,
        "subject",
        commitment.subject_id,
        f"commitment_{target.value}",
        f"{summary}: {current.value} → {target.value}",
        {
            "commitment_id": commitment.id,
            "reason": reason,
            "record_id": commitment.outcome_record_id,
        },
    )
    return record
