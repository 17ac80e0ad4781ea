"""Who may move a complaint: the responsible platform while it is with the platform (settle or
refer), the credit office and departments at every step; an organisation sees the complaints
routed to it or made against it (the same rule as the queue's filter)."""

from __future__ import annotations

from ecredit.authz.policies import ALLOW, GOVERNMENT_KINDS, Decision
from ecredit.authz.principals import Principal
from ecredit.models.complaint import Complaint, ComplaintStatus
from ecredit.models.org import OrgKind


def is_government(principal: Principal) -> bool:
    return principal.org_kind is None or principal.org_kind in GOVERNMENT_KINDS


def may_see(principal: Principal, complaint: Complaint) -> Decision:
    """Government sees all; an organisation sees those routed to it or made against it."""
    if is_government(principal):
        return ALLOW
    own = principal.org_subject_id
    if own is not None and own in (complaint.platform_subject_id, complaint.respondent_subject_id):
        return ALLOW
    return Decision(False, "an organisation sees the complaints routed to it or about it only")


def may_move(principal: Principal, complaint: Complaint) -> Decision:
    """The department decides; the platform acts only while the complaint is with it."""
    if is_government(principal):
        return ALLOW
    if (
        principal.org_kind is OrgKind.PLATFORM
        and complaint.status is ComplaintStatus.PLATFORM
        and principal.org_subject_id == complaint.platform_subject_id
    ):
        return ALLOW
    return Decision(
        False, "only the credit office or a department moves this complaint at this step"
    )


def platform_filter(principal: Principal) -> int | None:
    """The platform whose complaints a queue is limited to (None: every complaint)."""
    return None if is_government(principal) else (principal.org_subject_id or -1)
