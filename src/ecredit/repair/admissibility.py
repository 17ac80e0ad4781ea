"""Whether a case may be filed at all, and who may file or decide one.

- An objection (the record is wrong) may be filed any time while the record stands (not revoked).
- A repair of a record may be applied for from `catalog.publicity.earliest_repair` on, and never
  for kinds with no early end of publicity (SAMR Order 45 Art. 14: suspension, restriction,
  licence revocation; types not published, shown while valid, or positive).
- A repair of a list entry needs the entry publicised or effective (nothing else is on display).
- One undecided case of a kind per record or list entry.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.orm import Session

from ecredit.authz.policies import ALLOW, GOVERNMENT_KINDS, Decision
from ecredit.authz.principals import Principal
from ecredit.catalog.publicity import earliest_repair
from ecredit.catalog.schema import ByPenaltyKind
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.repair import CaseKind
from ecredit.record.service import RecordService
from ecredit.record.state import RecordState

REMOVABLE = frozenset({ListStatus.PUBLICISED, ListStatus.EFFECTIVE})


def record_case(
    records: RecordService, session: Session, kind: CaseKind, record_id: int, today: date
) -> RecordState:
    """The record a case is about, if the case is admissible (404, 409 or 422 otherwise)."""
    state = records.state(session, record_id)
    if state.revoked:
        raise Conflict(f"record {record_id} is revoked: it no longer stands")
    if kind is CaseKind.REPAIR:
        if state.repaired:
            raise Conflict(f"record {record_id} is already repaired")
        _repair_open(records, state, today)
    return state


def _repair_open(records: RecordService, state: RecordState, today: date) -> None:
    current = state.current
    spec = records.catalog.get(current.type_code)
    decided = current.decision_date or today
    earliest = earliest_repair(spec, current.severity, decided, current.penalty_kind)
    if earliest is None:
        if isinstance(spec.publicity, ByPenaltyKind) and current.penalty_kind in (
            spec.publicity.no_early_stop
        ):
            rule = (
                f"SAMR Order 45 Art. 14: no early end of publicity for a "
                f"{current.penalty_kind.value} penalty"
            )
        else:
            rule = f"record type '{spec.code}' has no early end of publicity to repair"
        raise InvalidInput("record_id", "no_early_stop", f"record_id: {rule}")
    if today < earliest:
        raise InvalidInput(
            "record_id", "minimum_period",
            f"record_id: repair may be applied for from {earliest.isoformat()} (the minimum "
            f"publicity period of a {current.severity or spec.default_severity} "
            f"'{spec.code}' decided on {decided.isoformat()}, NDRC Order 36)",
        )  # fmt: skip


def list_entry_case(session: Session, kind: CaseKind, entry_id: int) -> ListEntry:
    if kind is CaseKind.OBJECTION:
        raise InvalidInput(
            "target", "objection_target",
            "target: an objection is about a record; objections to a list entry are made "
            "during its publicity (公示)",
        )  # fmt: skip
    entry = session.get(ListEntry, entry_id)
    if entry is None:
        raise NotFound(f"list entry {entry_id} does not exist")
    if entry.status not in REMOVABLE:
        raise Conflict(f"list entry {entry_id} is {entry.status.value}: nothing to repair")
    return entry


def may_file_for(principal: Principal, subject_id: int, platforms: Collection[int]) -> Decision:
    """The credit office and departments file for anyone; a platform for itself and for merchants
    with a shop on it (`platforms`); any other organisation only for its own subject."""
    kind = principal.org_kind
    if kind is None or kind in GOVERNMENT_KINDS:
        return ALLOW
    if principal.org_subject_id is not None and principal.org_subject_id == subject_id:
        return ALLOW
    if kind is OrgKind.PLATFORM and principal.org_subject_id in platforms:
        return ALLOW
    return Decision(False, f"a {kind.value} may file only for itself or merchants on its platform")


def may_decide(principal: Principal) -> Decision:
    """Objections and repairs are decided by the credit office or a department."""
    if principal.org_kind is None or principal.org_kind in GOVERNMENT_KINDS:
        return ALLOW
    return Decision(
        False, "objections and repairs are decided by the credit office or a department"
    )
