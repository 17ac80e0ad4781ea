"""How urgent a deadline is, for the colour of a queue row.

overdue  the day has passed (red);
soon     due today or within `SOON_WORKDAYS` Chinese working days (amber);
normal   later than that.
Working days come from the calendar in parameters (holidays and make-up days included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ecredit.kit.clock import WorkCalendar

SOON_WORKDAYS = 2
OVERDUE, SOON, NORMAL = "overdue", "soon", "normal"


@dataclass(frozen=True)
class Deadline:
    """A deadline with its kind (a message id suffix) and its urgency today."""

    step: str
    due: date
    urgency: str
    workdays_left: int


def urgency(calendar: WorkCalendar, due: date, today: date) -> str:
    if today > due:
        return OVERDUE
    if calendar.workdays_between(today, due) <= SOON_WORKDAYS:
        return SOON
    return NORMAL


def deadline(calendar: WorkCalendar, step: str, due: date | None, today: date) -> Deadline | None:
    if due is None:
        return None
    left = calendar.workdays_between(today, due) if due >= today else 0
    return Deadline(step, due, urgency(calendar, due, today), left)


def most_urgent(deadlines: Sequence[Deadline | None]) -> str:
    """The row's colour: its most urgent deadline's."""
    found = {item.urgency for item in deadlines if item is not None}
    for level in (OVERDUE, SOON):
        if level in found:
            return level
    return NORMAL
