"""Policies: rules about who may act on what, answering allow or deny-with-reason.

Scopes say what kind of action a principal may take at all; policies look at the target.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ecredit.authz.principals import Principal
from ecredit.kit.errors import Forbidden
from ecredit.models.org import OrgKind


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def enforce(self) -> None:
        if not self.allowed:
            raise Forbidden(self.reason)


ALLOW = Decision(True)
VERIFYING_KINDS = frozenset({OrgKind.CREDIT_OFFICE, OrgKind.DEPARTMENT})
GOVERNMENT_KINDS = VERIFYING_KINDS


def may_decide_verification(principal: Principal) -> Decision:
    """Only the credit office and departments decide real-name verification; a platform may
    submit evidence but must not verify its own merchants."""
    if principal.org_kind is None or principal.org_kind in VERIFYING_KINDS:
        return ALLOW
    return Decision(False, "real-name verification is decided by the credit office or a department")


def _government_or_own_platform(
    principal: Principal, platform_subject_id: int, refusal: str
) -> Decision:
    """Government bodies act on any platform; a platform only on its own (else `refusal`)."""
    if principal.org_kind is None or principal.org_kind in GOVERNMENT_KINDS:
        return ALLOW
    if principal.org_kind is OrgKind.PLATFORM and principal.org_subject_id == platform_subject_id:
        return ALLOW
    return Decision(False, refusal)


def may_register_on_platform(principal: Principal, platform_subject_id: int) -> Decision:
    """A platform registers shops on its own platform only; government bodies on any."""
    return _government_or_own_platform(
        principal, platform_subject_id, "a platform may register shops on its own platform only"
    )


def may_commit_for(
    principal: Principal, subject_id: int, shop_platform_ids: Collection[int]
) -> Decision:
    """Who signs, withdraws or reports the breach of a subject's credit commitment: the credit
    office and departments for anyone; a platform for itself and for merchants with a shop on it
    (`shop_platform_ids`: the platforms the subject has shops on); a carrier for itself."""
    if _acts_for(principal, subject_id, shop_platform_ids):
        return ALLOW
    if principal.org_kind is OrgKind.PLATFORM:
        return Decision(False, "a platform acts only for itself and for merchants on its platform")
    return Decision(False, f"a {_kind(principal)} may not act on another subject's commitments")


def _acts_for(principal: Principal, subject_id: int, platform_ids: Collection[int]) -> bool:
    """Government for anyone; a platform or carrier for itself; a platform also for a subject
    with a shop on it (`platform_ids`: the platforms concerned)."""
    kind = principal.org_kind
    if kind is None or kind in GOVERNMENT_KINDS:
        return True
    own = principal.org_subject_id is not None and principal.org_subject_id == subject_id
    if kind in (OrgKind.PLATFORM, OrgKind.LOGISTICS) and own:
        return True
    return kind is OrgKind.PLATFORM and principal.org_subject_id in platform_ids


def _kind(principal: Principal) -> str:
    return principal.org_kind.value if principal.org_kind is not None else "caller"


def may_act_on_list(
    principal: Principal, org_kinds: Collection[OrgKind], action: str, list_name: str
) -> Decision:
    """Who proposes or decides a list entry is data (each list kind names the organisation
    kinds); a platform or carrier never puts subjects on government lists itself."""
    if principal.org_kind is None or principal.org_kind in org_kinds:
        return ALLOW
    allowed = ", ".join(sorted(kind.value for kind in org_kinds))
    return Decision(
        False, f"{list_name}: a {principal.org_kind.value} may not {action} ({allowed} may)"
    )


def may_manage_fund(principal: Principal, platform_subject_id: int) -> Decision:
    """The credit office and departments manage any platform's consumer-protection fund; a
    platform manages its own fund only."""
    return _government_or_own_platform(
        principal, platform_subject_id, "a platform manages its own consumer-protection fund only"
    )


def may_report_trace_event(
    principal: Principal, responsible_id: int, platform_ids: Collection[int]
) -> Decision:
    """Who reports a step of a product's trace: the credit office and departments for anyone; a
    platform or carrier for itself; a platform also for steps on its platform (`platform_ids`:
    the platform of the event's shop and the platforms the responsible subject has shops on)."""
    if _acts_for(principal, responsible_id, platform_ids):
        return ALLOW
    return Decision(
        False,
        f"responsible_id: a {_kind(principal)} reports trace steps only for itself"
        + (" or for shops and merchants on its platform"
           if principal.org_kind is OrgKind.PLATFORM else ""),
    )  # fmt: skip


def may_upload_to_lake(principal: Principal, platform_subject_id: int) -> Decision:
    """A platform uploads its own orders, reviews, traffic, prices and shipments only; the credit
    office and departments may load any platform's data (e.g. obtained in an inspection)."""
    return _government_or_own_platform(
        principal, platform_subject_id, "a platform uploads data for its own platform only"
    )


def may_see_alerts(principal: Principal, platform_subject_id: int) -> Decision:
    """A platform sees the alerts about shops on its own platform; government bodies see all."""
    return _government_or_own_platform(
        principal, platform_subject_id, "a platform sees the alerts about its own shops only"
    )


def may_review_alert(principal: Principal) -> Decision:
    """Only the credit office and departments confirm or dismiss an alert: a platform must not
    decide findings about its own merchants."""
    if principal.org_kind is None or principal.org_kind in GOVERNMENT_KINDS:
        return ALLOW
    return Decision(False, "alerts are confirmed or dismissed by the credit office or a department")


def may_oversee_detection(principal: Principal) -> Decision:
    """Only the credit office and departments see detection runs and start one: a run's counts
    cover every platform's data, so a platform sees the alerts about its own shops instead."""
    if principal.org_kind is None or principal.org_kind in GOVERNMENT_KINDS:
        return ALLOW
    return Decision(False, "detection runs are overseen by the credit office or a department")
