"""Who may move a complaint: the responsible platform while it is with the platform (settle or
refer), the credit office and departments at every step; a platform sees its own complaints."""

from __future__ import annotations

from ecredit.authz.policies import ALLOW, GOVERNMENT_KINDS, Decision
from ecredit.authz.principals import Principal
from ecredit.models.complaint import Complaint, ComplaintStatus
from ecredit.models.org import OrgKind


def is_government(principal: Principal) -> bool:
    return principal.org_kind is None or principal.org_kind in GOVERNMENT_KINDS


def may_see(principal: Principal, complaint: Complaint) -> Decision:
    if is_government(principal):
        return ALLOW
    if (
        principal.org_kind is OrgKind.PLATFORM
        and principal.org_subject_id is not None
        and (
            principal.org_subject_id
            in (complaint.platform_subject_id, complaint.respondent_subject_id)
        )
    ):
        return ALLOW
    return Decision(False, "a platform sees the complaints routed to it only")


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
