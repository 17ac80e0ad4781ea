"""Deadlines of a case in Chinese working days, from parameters, and which steps are overdue.

Counting: "within N working days of day D" ends on the N-th working day after D (D itself never
counts), as `WorkCalendar.add_workdays` counts; a step is overdue from the day after its due day.

- acknowledge_due = filed_on + repair.acknowledge_workdays (3)
- decision_due    = filed_on + repair.decide_workdays (10)  (信用中国: review ≤ 10 WD)
- removal_due     = decision day + repair.list_removal_workdays (3), set when a repair is granted
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session

from ecredit.kit.clock import WorkCalendar
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.repair import CaseKind, CaseStatus, CaseTarget, RepairCase
from ecredit.parameters.service import parameter_service


class Step(StrEnum):
    """A step of a case that has a deadline."""

    ACKNOWLEDGE = "acknowledge"
    DECISION = "decision"
    REMOVAL = "removal"


@dataclass(frozen=True)
class Deadlines:
    calendar: WorkCalendar
    acknowledge_workdays: int
    decide_workdays: int
    removal_workdays: int

    @classmethod
    def load(cls, session: Session) -> Deadlines:
        get = parameter_service.get
        return cls(
            parameter_service.work_calendar(session),
            int(get(session, "repair.acknowledge_workdays")),
            int(get(session, "repair.decide_workdays")),
            int(get(session, "repair.list_removal_workdays")),
        )

    def acknowledge_due(self, filed_on: date) -> date:
        return self.calendar.add_workdays(filed_on, self.acknowledge_workdays)

    def decision_due(self, filed_on: date) -> date:
        return self.calendar.add_workdays(filed_on, self.decide_workdays)

    def removal_due(self, decided_on: date) -> date:
        return self.calendar.add_workdays(decided_on, self.removal_workdays)


def removal_pending(case: RepairCase, entry: ListEntry | None) -> bool:
    """A granted list-entry repair whose entry has not been removed yet."""
    return (
        case.status is CaseStatus.GRANTED
        and case.kind is CaseKind.REPAIR
        and case.target is CaseTarget.LIST_ENTRY
        and (entry is None or entry.status is not ListStatus.REMOVED)
    )


def removal_met(case: RepairCase, entry: ListEntry | None) -> bool | None:
    """For a granted list-entry repair: was the entry removed on or before removal_due?"""
    if case.removal_due is None or case.target is not CaseTarget.LIST_ENTRY:
        return None
    if entry is None or entry.status is not ListStatus.REMOVED or entry.ended_on is None:
        return False
    return entry.ended_on <= case.removal_due


def overdue_steps(case: RepairCase, entry: ListEntry | None, today: date) -> list[Step]:
    """The steps of `case` whose deadline has passed without the step being taken."""
    steps: list[Step] = []
    if case.status is CaseStatus.FILED and today > case.acknowledge_due:
        steps.append(Step.ACKNOWLEDGE)
    if case.status in (CaseStatus.FILED, CaseStatus.ACKNOWLEDGED) and today > case.decision_due:
        steps.append(Step.DECISION)
    due = case.removal_due
    if due is not None and today > due and removal_pending(case, entry):
        steps.append(Step.REMOVAL)
    return steps
