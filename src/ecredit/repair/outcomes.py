"""What a granted case changes, always as a new fact and never an edit of history:

- an objection upheld → a correcting entry (`RecordService.correct`), or a revocation entry
  when the decision says the record should not exist (`revoke: true`); the original stays;
- a repair granted for a record → a REPAIR entry: the record leaves the public view, history kept;
- a repair granted for a list entry → `listing_service.remove(...)` at once, so the removal is
  made on the decision day, well within `removal_due`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.kit.errors import InvalidInput
from ecredit.listing.service import listing_service
from ecredit.models.repair import CaseKind, CaseTarget, RepairCase
from ecredit.record.schemas import RecordAmendment
from ecredit.record.service import RecordService
from ecredit.repair.schemas import CaseDecision


@dataclass(frozen=True)
class Outcome:
    """What granting one case does, bound to its inputs; `apply` returns the new entry id."""

    records: RecordService
    session: Session
    case: RepairCase
    decision: CaseDecision
    by: Principal

    def check(self) -> None:
        """Refuse a decision that cannot be applied, before anything changes."""
        if self.case.kind is CaseKind.OBJECTION:
            if self.decision.correction is None and not self.decision.revoke:
                raise InvalidInput(
                    "correction", "required",
                    "correction: an upheld objection needs the corrected facts, "
                    "or revoke: true when the record should not exist",
                )  # fmt: skip
        elif self.decision.correction is not None or self.decision.revoke:
            raise InvalidInput(
                "correction", "forbidden",
                "correction: a repair hides the record as it is; correction and revoke are for "
                "objections",
            )  # fmt: skip

    def apply(self) -> int | None:
        case, reason = self.case, self.decision.reason
        if case.target is CaseTarget.LIST_ENTRY:
            listing_service.remove(self.session, _id(case.list_entry_id), reason, self.by)
            return None
        record_id = _id(case.record_id)
        if case.kind is CaseKind.REPAIR:
            return self.records.repair(self.session, record_id, reason, self.by).id
        if self.decision.revoke:
            amendment = RecordAmendment(reason=reason)
            return self.records.revoke(self.session, record_id, amendment, self.by).id
        assert self.decision.correction is not None  # check() ran first
        return self.records.correct(self.session, record_id, self.decision.correction, self.by).id


def needs_removal(case: RepairCase) -> bool:
    """Whether granting `case` removes a list entry (and so sets removal_due)."""
    return case.kind is CaseKind.REPAIR and case.target is CaseTarget.LIST_ENTRY


def _id(value: int | None) -> int:
    if value is None:
        raise InvalidInput("target", "missing", "target: the case names no record or list entry")
    return value
