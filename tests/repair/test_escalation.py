"""Escalation of missed deadlines: once per overdue step, by the service and by the hourly job
on a fixed clock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ecredit.audit.service import audit_service
from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.clock import FixedClock
from ecredit.kit.db import Database
from ecredit.models.jobs import Job
from ecredit.models.listing import ListStatus
from ecredit.models.repair import CaseKind, CaseTarget, RepairCase
from ecredit.repair import jobs
from ecredit.repair.deadlines import Step
from ecredit.repair.schemas import CaseCreate, CaseDecision
from tests.factories.records import noon
from tests.repair.conftest import Desk

ACK_DUE, DECISION_DUE = date(2026, 10, 10), date(2026, 10, 20)  # filed 2026-09-30


def _overdue_events(desk: Desk) -> list[dict[str, object]]:
    query = select(Job.payload).where(Job.name == "subscription.fan_out").order_by(Job.id)
    return [p["data"] for p in desk.session.scalars(query) if p["event_type"].endswith("overdue")]


class TestEscalation:
    def test_nothing_when_on_the_due_day(self, desk: Desk) -> None:
        desk.file()
        assert desk.repairs.escalate_overdue(desk.session, ACK_DUE) == []

    def test_escalates_each_step_once_when_run_again(self, desk: Desk) -> None:
        case = desk.file()
        desk.on(date(2026, 10, 12))
        assert desk.repairs.escalate_overdue(desk.session) == [(case.id, Step.ACKNOWLEDGE)]
        assert desk.repairs.escalate_overdue(desk.session) == []
        assert case.escalation_level == 1
        assert case.escalated_at is not None
        desk.repairs.acknowledge(desk.session, case.id, desk.department)
        desk.on(date(2026, 10, 21))
        assert desk.repairs.escalate_overdue(desk.session) == [(case.id, Step.DECISION)]
        assert desk.repairs.escalate_overdue(desk.session) == []
        assert case.escalation_level == 2
        steps = [d["step"] for d in _overdue_events(desk)]
        assert steps == ["acknowledge", "decision"]
        kinds = [e.kind for e in audit_service.timeline(desk.session, "repair_case", case.id)]
        assert kinds.count("repair_case_overdue") == 2

    def test_escalates_both_steps_when_never_acknowledged(self, desk: Desk) -> None:
        case = desk.file()
        found = desk.repairs.escalate_overdue(desk.session, date(2026, 10, 21))
        assert found == [(case.id, Step.ACKNOWLEDGE), (case.id, Step.DECISION)]
        assert case.escalation_level == 2

    def test_ignores_decided_and_withdrawn_cases(self, desk: Desk) -> None:
        refused, withdrawn = desk.file(), desk.file(kind=CaseKind.OBJECTION)
        decision = CaseDecision(decision="refused", reason="材料不全")
        desk.repairs.decide(desk.session, refused.id, decision, desk.office)
        desk.repairs.withdraw(desk.session, withdrawn.id, "撤回", desk.office)
        assert desk.repairs.escalate_overdue(desk.session, date(2027, 1, 4)) == []

    def test_escalates_removal_when_entry_still_listed(self, desk: Desk) -> None:
        entry = desk.list_entry()
        data = CaseCreate(kind=CaseKind.REPAIR, target=CaseTarget.LIST_ENTRY,
                          list_entry_id=entry.id, grounds="已整改完毕")  # fmt: skip
        case = desk.repairs.file(desk.session, data, desk.office)
        desk.repairs.acknowledge(desk.session, case.id, desk.office)
        desk.repairs.decide(desk.session, case.id, CaseDecision(decision="granted", reason="准予"),
                            desk.office)  # fmt: skip
        entry.status = ListStatus.EFFECTIVE  # as if the removal had been lost
        desk.session.flush()
        assert case.removal_due == date(2026, 10, 10)
        found = desk.repairs.escalate_overdue(desk.session, date(2026, 10, 12))
        assert found == [(case.id, Step.REMOVAL)]

    def test_job_escalates_on_its_clock_when_scheduled(
        self, db: Database, settings: Settings, desk: Desk, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        case_id = desk.file().id
        desk.session.commit()
        monkeypatch.setattr(jobs, "clock", FixedClock(noon(date(2026, 10, 12))))
        runner = JobService(registry, settings=settings)
        for _ in range(2):  # the second run finds the step already escalated
            with db.unit_of_work() as session:
                runner.enqueue(session, jobs.ESCALATE_JOB)
            runner.run_due(db)
        with db.unit_of_work() as session:
            case = session.get_one(RepairCase, case_id)
            assert case.escalation_level == 1
            failed = session.scalars(select(Job).where(Job.last_error.is_not(None))).all()
            assert [j.name for j in failed if j.name == jobs.ESCALATE_JOB] == []
        assert "repair.escalate_overdue" in registry.schedule
