"""The case workflow: every from/to pair of CASE_TRANSITIONS through the one guarded function,
who may take each step, and what every step leaves (timeline, notice, event)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecredit.audit.service import audit_service
from ecredit.kit.errors import Conflict, Forbidden
from ecredit.models.jobs import Job
from ecredit.models.notice import Notice
from ecredit.models.repair import CASE_TRANSITIONS, CaseKind, CaseStatus
from ecredit.repair import workflow
from ecredit.repair.schemas import CaseDecision
from tests.repair.conftest import Desk

PAIRS = list(CASE_TRANSITIONS.all_pairs(CaseStatus))


def _events(desk: Desk) -> list[str]:
    query = select(Job.payload).where(Job.name == "subscription.fan_out").order_by(Job.id)
    return [payload["event_type"] for payload in desk.session.scalars(query)]


class TestTransitionMatrix:
    @pytest.mark.parametrize(
        ("current", "target", "allowed"), PAIRS, ids=[f"{a}->{b}" for a, b, _ in PAIRS]
    )
    def test_moves_only_when_table_allows(
        self, desk: Desk, current: CaseStatus, target: CaseStatus, allowed: bool
    ) -> None:
        case = desk.file(kind=CaseKind.OBJECTION)
        case.status = current
        desk.session.flush()
        if allowed:
            workflow.move(desk.session, case, target, desk.office, "理由")
            assert case.status is target
        else:
            with pytest.raises(Conflict):
                workflow.move(desk.session, case, target, desk.office, "理由")
            assert case.status is current

    def test_matrix_covers_every_pair(self) -> None:
        assert len(PAIRS) == len(CaseStatus) ** 2
        assert sum(allowed for *_, allowed in PAIRS) == 6


class TestSteps:
    def test_leaves_notice_timeline_and_event_when_each_step_taken(self, desk: Desk) -> None:
        case = desk.file()
        desk.repairs.acknowledge(desk.session, case.id, desk.department)
        decision = CaseDecision(decision="refused", reason="尚未履行行政处罚决定")
        desk.repairs.decide(desk.session, case.id, decision, desk.department)
        assert desk.notices(case) == [
            "申请已收到：信用修复申请",
            "受理通知：信用修复申请",
            "决定通知：信用修复申请",
        ]
        kinds = [e.kind for e in audit_service.timeline(desk.session, "repair_case", case.id)]
        assert kinds == ["repair_case_filed", "repair_case_acknowledged", "repair_case_refused"]
        assert _events(desk)[-3:] == [
            "repair_case.filed", "repair_case.acknowledged", "repair_case.refused",
        ]  # fmt: skip
        assert (case.decided_by_org_id, case.decision_reason) == (
            desk.department.organisation_id, "尚未履行行政处罚决定",
        )  # fmt: skip

    def test_refusal_reason_in_notice_when_refused_at_once(self, desk: Desk) -> None:
        case = desk.file()
        decision = CaseDecision(decision="refused", reason="材料不全")
        desk.repairs.decide(desk.session, case.id, decision, desk.office)
        assert case.status is CaseStatus.REFUSED
        body = desk.session.scalars(select(Notice.body).where(Notice.entity_id == case.id)).all()
        assert "理由：材料不全" in body[-1]

    def test_platform_forbidden_when_deciding(self, desk: Desk) -> None:
        case = desk.file()
        with pytest.raises(Forbidden):
            desk.repairs.acknowledge(desk.session, case.id, desk.platform)
        assert case.status is CaseStatus.FILED

    def test_applicant_withdraws_when_undecided(self, desk: Desk) -> None:
        case = desk.file(by=desk.platform)
        desk.repairs.withdraw(desk.session, case.id, "商家撤回", desk.platform)
        assert case.status is CaseStatus.WITHDRAWN
        assert desk.notices(case)[-1] == "撤回确认：信用修复申请"

    def test_others_forbidden_when_withdrawing(self, desk: Desk) -> None:
        case = desk.file(by=desk.platform)
        with pytest.raises(Forbidden):
            desk.repairs.withdraw(desk.session, case.id, "代为撤回", desk.office)

    def test_conflict_when_withdrawing_decided_case(self, desk: Desk) -> None:
        case = desk.file(by=desk.platform)
        decision = CaseDecision(decision="refused", reason="材料不全")
        desk.repairs.decide(desk.session, case.id, decision, desk.office)
        with pytest.raises(Conflict):
            desk.repairs.withdraw(desk.session, case.id, "撤回", desk.platform)
