"""Deadlines in Chinese working days from parameters: across National Day 2026 (with its 调休
Saturday) and across the 2026 → 2027 boundary, where chinese-calendar knows no holidays and the
calendar falls back to Monday–Friday unless an operator entered the year."""

from __future__ import annotations

from datetime import date

from ecredit.models.calendar import WorkdayOverride
from ecredit.models.repair import CaseKind
from ecredit.parameters.service import parameter_service
from ecredit.repair.deadlines import Deadlines
from tests.factories import records as rec
from tests.repair.conftest import Desk


class TestDeadlines:
    def test_cross_national_day_when_filed_on_30_september(self, desk: Desk) -> None:
        case = desk.file()
        assert case.filed_on == date(2026, 9, 30)
        # Oct 1-7 are holidays; Oct 8, 9 and the make-up Saturday Oct 10 are the first three.
        assert case.acknowledge_due == date(2026, 10, 10)
        # 8, 9, 10, 12, 13, 14, 15, 16, 19, 20 October.
        assert case.decision_due == date(2026, 10, 20)
        assert case.removal_due is None

    def test_fall_back_to_monday_friday_when_year_unknown(self, desk: Desk) -> None:
        desk.on(date(2026, 12, 24))  # a Thursday
        record_id = desk.record(rec.penalty(desk.merchant.id, date(2026, 6, 1)))
        case = desk.file(record_id=record_id)
        assert case.acknowledge_due == date(2026, 12, 29)  # 25, 28, 29
        # 25, 28, 29, 30, 31 Dec; then 2027 (unknown): Fri 1 Jan, 4, 5, 6, 7 Jan.
        assert case.decision_due == date(2027, 1, 7)

    def test_follow_operator_holidays_when_year_entered(self, desk: Desk) -> None:
        desk.session.add(WorkdayOverride(day=date(2027, 1, 1), is_workday=False, note="元旦"))
        desk.session.flush()
        desk.on(date(2026, 12, 24))
        record_id = desk.record(rec.penalty(desk.merchant.id, date(2026, 6, 1)))
        case = desk.file(kind=CaseKind.OBJECTION, record_id=record_id)
        assert case.decision_due == date(2027, 1, 8)

    def test_follow_parameters_when_changed(self, desk: Desk) -> None:
        parameter_service.set(desk.session, "repair.acknowledge_workdays", 1)
        parameter_service.set(desk.session, "repair.decide_workdays", 5)
        case = desk.file()
        assert (case.acknowledge_due, case.decision_due) == (date(2026, 10, 8), date(2026, 10, 13))

    def test_removal_three_workdays_after_decision_when_defaults(self, desk: Desk) -> None:
        deadlines = Deadlines.load(desk.session)
        assert deadlines.removal_due(date(2026, 9, 30)) == date(2026, 10, 10)
        assert deadlines.removal_due(date(2026, 10, 16)) == date(2026, 10, 21)
