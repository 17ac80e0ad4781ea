"""Deadlines in Chinese working days from parameters, across National Day 2026 (holiday 1–7
October, make-up working day Saturday 10 October) and across the year boundary."""

from __future__ import annotations

from datetime import date

from ecredit.complaint.deadlines import Deadlines
from ecredit.models.calendar import WorkdayOverride
from ecredit.models.complaint import ComplaintStatus
from ecredit.parameters.service import parameter_service
from tests.complaint.conftest import FILED, Desk
from tests.factories import subjects as make


class TestFilingDeadlines:
    def test_platform_has_ten_workdays_when_filed_before_national_day(self, desk: Desk) -> None:
        complaint = desk.complaint()
        assert complaint.filed_on == FILED
        # 8, 9, 10 (Saturday, a make-up day), 12-16, 19, 20 October.
        assert complaint.platform_due == date(2026, 10, 20)
        assert complaint.status is ComplaintStatus.PLATFORM

    def test_department_has_seven_workdays_when_no_platform_settles(self, desk: Desk) -> None:
        carrier = desk.platform_subject  # a complaint against the platform itself
        own = desk.complaint(respondent_subject_id=carrier.id)
        assert own.status is ComplaintStatus.PLATFORM
        no_shop = make.enterprise(desk.session, desk.vault)
        lone = desk.complaint(respondent_subject_id=no_shop.id)
        assert lone.status is ComplaintStatus.DEPARTMENT
        assert lone.accept_due == date(2026, 10, 15)

    def test_report_checked_in_fifteen_workdays_when_filed(self, desk: Desk) -> None:
        assert desk.report().check_due == date(2026, 10, 27)

    def test_follows_parameter_when_operator_changes_it(self, desk: Desk) -> None:
        parameter_service.set(desk.session, "complaint.platform_workdays", 3, "试点缩短")
        assert desk.complaint().platform_due == date(2026, 10, 10)  # the make-up Saturday


class TestLaterSteps:
    def test_mediation_ends_in_45_workdays_when_accepted(self, desk: Desk) -> None:
        complaint = desk.complaint()
        desk.move(complaint, ComplaintStatus.DEPARTMENT, desk.platform)
        assert complaint.accept_due == date(2026, 10, 15)
        desk.on(date(2026, 10, 9))
        desk.move(complaint, ComplaintStatus.MEDIATION)
        assert (complaint.accepted_on, complaint.mediation_due) == (date(2026, 10, 9),
                                                                    date(2026, 12, 10))  # fmt: skip

    def test_parties_told_within_seven_workdays_when_closed(self, desk: Desk) -> None:
        complaint = desk.complaint()
        desk.move(complaint, ComplaintStatus.MEDIATED, desk.platform)
        assert (complaint.closed_on, complaint.notify_due) == (FILED, date(2026, 10, 15))

    def test_real_name_reporter_told_in_five_anonymous_never_when_decided(self, desk: Desk) -> None:
        named, anonymous = desk.report(), desk.report(anonymous=True)
        for report in (named, anonymous):
            desk.move(report, ComplaintStatus.REFUSED)
        assert named.notify_due == date(2026, 10, 13)
        assert anonymous.notify_due is None

    def test_extension_adds_fifteen_workdays_once_when_asked(self, desk: Desk) -> None:
        report = desk.report()
        desk.complaints.extend(desk.session, report.tracking_no, "需调取平台数据", desk.department)
        assert report.check_due == date(2026, 11, 17)
        assert report.extended is True


class TestYearBoundary:
    def test_counts_monday_to_friday_when_next_year_unknown(self, desk: Desk) -> None:
        days = Deadlines.load(desk.session)
        assert days.after(date(2026, 12, 10), "complaint.mediation_workdays") == date(2027, 2, 11)

    def test_uses_operator_holidays_when_next_year_entered(self, desk: Desk) -> None:
        desk.session.add_all(
            [WorkdayOverride(day=date(2027, 1, 1), is_workday=False, note="元旦"),
             WorkdayOverride(day=date(2027, 2, 11), is_workday=False, note="春节")]
        )  # fmt: skip
        desk.session.flush()
        days = Deadlines.load(desk.session)
        assert days.after(date(2026, 12, 10), "complaint.mediation_workdays") == date(2027, 2, 15)
