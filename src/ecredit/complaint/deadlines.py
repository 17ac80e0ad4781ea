"""Deadlines of complaints and reports in Chinese working days, from parameters.

Counting as `WorkCalendar.add_workdays` counts: "within N working days of day D" ends on the
N-th working day after D; a step is overdue from the day after its due day.

complaint  platform_due  = filed_on     + complaint.platform_workdays  (10, ODR direct settlement)
           accept_due    = referred_on  + complaint.accept_workdays    (7, Order 20 Art. 14)
           mediation_due = accepted_on  + complaint.mediation_workdays (45, Art. 21)
           notify_due    = closed_on    + complaint.notify_workdays    (7, Art. 21)
report     check_due     = filed_on     + report.check_workdays        (15, Art. 23)
                           + report.extension_workdays once on extension (15)
           notify_due    = closed_on    + report.notify_workdays       (5, Art. 31; real name only)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session

from ecredit.kit.clock import WorkCalendar
from ecredit.models.complaint import CLOSED, Complaint, ComplaintKind, ComplaintStatus
from ecredit.parameters.service import parameter_service


class Step(StrEnum):
    """A step with a deadline."""

    PLATFORM = "platform"  # the platform settles
    ACCEPT = "accept"  # the department accepts or refuses
    MEDIATION = "mediation"  # mediation ends
    CHECK = "check"  # a report is checked
    NOTIFY = "notify"  # the complainant or real-name reporter is told the outcome


KEYS = (
    "complaint.platform_workdays",
    "complaint.accept_workdays",
    "complaint.mediation_workdays",
    "complaint.notify_workdays",
    "report.check_workdays",
    "report.extension_workdays",
    "report.notify_workdays",
)


@dataclass(frozen=True)
class Deadlines:
    calendar: WorkCalendar
    days: dict[str, int]

    @classmethod
    def load(cls, session: Session) -> Deadlines:
        days = {key: int(parameter_service.get(session, key)) for key in KEYS}
        return cls(parameter_service.work_calendar(session), days)

    def after(self, start: date, key: str) -> date:
        return self.calendar.add_workdays(start, self.days[key])

    def notify_due(self, complaint: Complaint, closed_on: date) -> date | None:
        """Who must be told: the complainant always, a reporter only when not anonymous."""
        if complaint.kind is ComplaintKind.REPORT:
            return None if complaint.anonymous else self.after(closed_on, "report.notify_workdays")
        return self.after(closed_on, "complaint.notify_workdays")


def open_steps(complaint: Complaint) -> list[tuple[Step, date]]:
    """The steps still waiting to be taken, with their due days."""
    status, found = complaint.status, []
    pending = {
        Step.PLATFORM: (status is ComplaintStatus.PLATFORM, complaint.platform_due),
        Step.ACCEPT: (status is ComplaintStatus.DEPARTMENT, complaint.accept_due),
        Step.MEDIATION: (status is ComplaintStatus.MEDIATION, complaint.mediation_due),
        Step.CHECK: (status is ComplaintStatus.CHECKING, complaint.check_due),
        Step.NOTIFY: (status in CLOSED and complaint.notified_on is None, complaint.notify_due),
    }
    for step, (waiting, due) in pending.items():
        if waiting and due is not None:
            found.append((step, due))
    return found


def overdue_steps(complaint: Complaint, today: date) -> list[tuple[Step, date]]:
    """The open steps whose due day has passed."""
    return [(step, due) for step, due in open_steps(complaint) if today > due]


def escalation_key(step: Step, due: date) -> str:
    """One escalation per missed deadline: a deadline moved by an extension is a new one."""
    return f"{step.value}@{due.isoformat()}"
