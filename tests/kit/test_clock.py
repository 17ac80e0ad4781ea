"""Chinese working days: 2026 holidays and 调休, operator data beyond what the library knows.

chinese-calendar 1.11 has 2026: National Day and Mid-Autumn run 1-7 October (Thu-Wed), with
Sunday 20 September and Saturday 10 October as make-up working days; it knows nothing of 2027.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest

from ecredit.kit.clock import FixedClock, WorkCalendar, local_date


class TestWorkCalendar2026:
    def test_first_workday_is_after_the_holiday_when_received_the_day_before_national_day(
        self,
    ) -> None:
        # Wednesday 30 September: 1-7 October are holidays, so day one is Thursday 8 October.
        assert WorkCalendar().add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)

    def test_counts_make_up_saturday_when_it_is_a_tiaoxiu_workday(self) -> None:
        calendar = WorkCalendar()
        assert calendar.is_workday(date(2026, 10, 10))  # Saturday, 调休
        assert calendar.add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)
        assert calendar.add_workdays(date(2026, 9, 19), 1) == date(2026, 9, 20)  # Sunday, 调休

    def test_skips_mid_autumn_when_counting_across_it(self) -> None:
        # Thursday 24 September; Friday 25 to Sunday 27 are the Mid-Autumn holiday.
        assert WorkCalendar().add_workdays(date(2026, 9, 24), 1) == date(2026, 9, 28)

    def test_counts_five_workdays_when_the_window_spans_the_golden_week(self) -> None:
        calendar = WorkCalendar()
        # 28, 29, 30 Sep, 8, 9 Oct (the 7-day holiday is skipped, make-up 10 Oct comes after).
        assert calendar.add_workdays(date(2026, 9, 27), 5) == date(2026, 10, 9)
        assert calendar.workdays_between(date(2026, 9, 27), date(2026, 10, 10)) == 6

    def test_returns_start_when_zero_days(self) -> None:
        assert WorkCalendar().add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 3)

    def test_refuses_when_days_negative(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            WorkCalendar().add_workdays(date(2026, 10, 3), -1)

    def test_override_wins_when_operator_corrects_a_known_year(self) -> None:
        calendar = WorkCalendar({date(2026, 10, 8): False})
        assert calendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 9)


class TestWorkCalendarBeyondLibrary:
    def test_library_does_not_know_2027(self) -> None:
        # The premise of the fallback: if chinese-calendar learns 2027, revisit these tests.
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(date(2027, 1, 4))

    def test_falls_back_to_monday_to_friday_when_year_unknown(self) -> None:
        calendar = WorkCalendar()
        # Thursday 31 Dec 2026 + 1: Friday 1 Jan 2027 counts (no 2027 data); +2 is Monday 4 Jan.
        assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 1)
        assert calendar.add_workdays(date(2026, 12, 31), 2) == date(2027, 1, 4)
        assert not calendar.is_workday(date(2027, 1, 2))

    def test_honours_operator_holiday_when_year_unknown(self) -> None:
        calendar = WorkCalendar({date(2027, 1, 1): False})
        assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)

    def test_honours_operator_make_up_day_when_year_unknown(self) -> None:
        calendar = WorkCalendar({date(2027, 1, 1): False, date(2027, 1, 2): True})
        assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 2)

    def test_counts_45_workdays_across_year_boundary(self) -> None:
        # The deadline that motivated the fallback: 45 working days from 1 December 2026.
        calendar = WorkCalendar({date(2027, 1, 1): False})
        due = calendar.add_workdays(date(2026, 12, 1), 45)
        assert due == date(2027, 2, 3)
        assert calendar.workdays_between(date(2026, 12, 1), due) == 45


class TestClock:
    def test_moves_only_when_advanced(self) -> None:
        clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
        assert clock.now() == clock.now()
        clock.advance(timedelta(hours=1))
        assert clock.now() == datetime(2026, 1, 1, 1, tzinfo=UTC)

    def test_local_date_is_next_day_when_utc_evening_is_shanghai_morning(self) -> None:
        assert local_date(datetime(2026, 9, 30, 16, 0, tzinfo=UTC)) == date(2026, 10, 1)
        assert local_date(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == date(2026, 9, 30)
