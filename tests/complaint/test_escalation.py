"""Escalation of missed deadlines: each missed deadline once, by the service and by the hourly
job on a fixed clock; a platform that misses its deadline loses the complaint to the department."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ecredit.audit.service import audit_service
from ecredit.authz.principals import SYSTEM
from ecredit.complaint import jobs
from ecredit.complaint.deadlines import Step
from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from ecredit.models.complaint import Complaint, ComplaintStatus
from ecredit.models.jobs import Job
from tests.complaint.conftest import Desk
from tests.factories.records import noon

S = ComplaintStatus
PLATFORM_DUE = date(2026, 10, 20)  # filed 2026-09-30


def _overdue_events(desk: Desk) -> list[str]:
    query = select(Job.payload).where(Job.name == "subscription.fan_out").order_by(Job.id)
    return [p["data"]["step"] for p in desk.session.scalars(query)
            if p["event_type"] == "complaint.overdue"]  # fmt: skip


def _escalate(desk: Desk, day: date) -> list[tuple[str, Step]]:
    return desk.complaints.escalate_overdue(desk.session, SYSTEM, day)


class TestEscalation:
    def test_nothing_when_on_the_due_day(self, desk: Desk) -> None:
        desk.complaint()
        assert _escalate(desk, PLATFORM_DUE) == []

    def test_refers_to_department_once_when_platform_misses_deadline(self, desk: Desk) -> None:
        complaint = desk.complaint()
        found = _escalate(desk, date(2026, 10, 21))
        assert found == [(complaint.tracking_no, Step.PLATFORM)]
        assert complaint.status is S.DEPARTMENT
        assert (complaint.referred_on, complaint.accept_due) == (date(2026, 10, 21),
                                                                 date(2026, 10, 30))  # fmt: skip
        assert _escalate(desk, date(2026, 10, 21)) == []
        assert complaint.escalation_level == 1
        kinds = [e.kind for e in audit_service.timeline(desk.session, "complaint", complaint.id)]
        assert kinds == ["complaint_platform", "complaint_overdue", "complaint_department"]

    def test_escalates_each_missed_deadline_once_when_run_every_day(self, desk: Desk) -> None:
        complaint, report = desk.complaint(), desk.report()
        day = date(2026, 10, 21)
        while day <= date(2027, 3, 1):
            _escalate(desk, day)
            if complaint.status is S.DEPARTMENT and day >= date(2026, 11, 2):
                desk.on(day)
                desk.move(complaint, S.MEDIATION)
            day = date.fromordinal(day.toordinal() + 1)
        assert complaint.escalations == [
            "platform@2026-10-20", "accept@2026-10-30", "mediation@2027-01-04"
        ]  # fmt: skip
        assert report.escalations == ["check@2026-10-27"]
        assert _overdue_events(desk).count("check") == 1

    def test_escalates_again_when_extended_deadline_missed(self, desk: Desk) -> None:
        report = desk.report()
        _escalate(desk, date(2026, 10, 28))
        desk.complaints.extend(desk.session, report.tracking_no, "延期核查", desk.department)
        _escalate(desk, date(2026, 11, 17))
        _escalate(desk, date(2026, 11, 18))
        assert report.escalations == ["check@2026-10-27", "check@2026-11-17"]
        assert report.escalation_level == 2

    def test_escalates_untold_outcome_when_notice_late(self, desk: Desk) -> None:
        complaint = desk.move(desk.complaint(), S.MEDIATED, desk.platform)
        assert _escalate(desk, date(2026, 10, 16)) == [(complaint.tracking_no, Step.NOTIFY)]

    def test_ignores_closed_and_told_when_deadlines_long_past(self, desk: Desk) -> None:
        complaint = desk.move(desk.complaint(), S.WITHDRAWN, desk.platform)
        anonymous = desk.move(desk.report(anonymous=True), S.REFUSED)
        assert _escalate(desk, date(2027, 6, 1)) == []
        assert (complaint.escalation_level, anonymous.escalation_level) == (0, 0)

    def test_job_escalates_once_on_its_clock_when_run_twice(
        self, db: Database, settings: Settings, desk: Desk, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        number = desk.complaint().tracking_no
        desk.session.commit()
        monkeypatch.setattr(jobs, "clock", FixedClock(noon(date(2026, 10, 21))))
        runner = JobService(registry, settings=settings)
        for _ in range(2):
            with db.unit_of_work() as session:
                runner.enqueue(session, jobs.ESCALATE_JOB)
            runner.run_due(db)
        with db.unit_of_work() as session:
            query = select(Complaint).where(Complaint.tracking_no == number)
            complaint = session.scalars(query).one()
            assert (complaint.status, complaint.escalation_level) == (S.DEPARTMENT, 1)
            failed = session.scalars(select(Job).where(Job.status == "failed")).all()
            assert failed == []
        assert jobs.ESCALATE_JOB in registry.schedule
