"""Time and Chinese working days.

Storage is UTC; presentation is Asia/Shanghai. Working days follow the State Council's yearly
holiday schedule including 调休 make-up workdays, as chinese-calendar knows it; an operator adds
years it does not know yet as data (overrides), and a year nobody knows falls back to Monday to
Friday with a logged warning rather than failing a deadline computation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import chinese_calendar
import structlog

SHANGHAI = ZoneInfo("Asia/Shanghai")
log = structlog.get_logger(__name__)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and replays: it only moves when told to."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


def local_date(moment: datetime) -> date:
    """The calendar date in China of a UTC instant."""
    return moment.astimezone(SHANGHAI).date()


class WorkCalendar:
    """Chinese working days: statutory holidays, 调休 make-up days, operator overrides."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        # overrides: date -> True when it is a working day, False when it is a holiday.
        self.overrides = dict(overrides or {})
        self._override_years = {d.year for d in self.overrides}
        self._warned_years: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            # An operator who entered a year's holidays and make-up days has described it fully:
            # every other day of it is an ordinary Monday-to-Friday day, no warning needed.
            if day.year not in self._override_years | self._warned_years:
                self._warned_years.add(day.year)
                log.warning("workcalendar.year_unknown", year=day.year, fallback="mon-fri")
            return day.weekday() < 5

    def add_workdays(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (start itself never counts).

        This is how Chinese rules count "within N working days": a complaint received on a
        Friday before National Day has its first working day after the holiday.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.is_workday(current)
        return count
