"""The workflow: every from/to pair of both transition tables through the one guarded function,
who may take each step, and what the steps leave (dates, timeline, events, credit record)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecredit.audit.service import audit_service
from ecredit.complaint import workflow
from ecredit.complaint.schemas import NotificationCreate
from ecredit.kit.errors import Conflict, Forbidden
from ecredit.models.complaint import (
    COMPLAINT_TRANSITIONS,
    REPORT_TRANSITIONS,
    ComplaintKind,
    ComplaintStatus,
)
from ecredit.models.jobs import Job
from ecredit.models.record import CreditRecord, Severity
from tests.complaint.conftest import FILED, Desk

S = ComplaintStatus
PAIRS = [
    (kind, *pair)
    for kind, table in (
        (ComplaintKind.COMPLAINT, COMPLAINT_TRANSITIONS),
        (ComplaintKind.REPORT, REPORT_TRANSITIONS),
    )
    for pair in table.all_pairs(ComplaintStatus)
]


def _events(desk: Desk) -> list[str]:
    query = select(Job.payload).where(Job.name == "subscription.fan_out").order_by(Job.id)
    return [payload["event_type"] for payload in desk.session.scalars(query)]


class TestTransitionMatrix:
    @pytest.mark.parametrize(
        ("kind", "current", "target", "allowed"), PAIRS,
        ids=[f"{k}:{a}->{b}" for k, a, b, _ in PAIRS],
    )  # fmt: skip
    def test_moves_only_when_table_allows(
        self, desk: Desk, kind: ComplaintKind, current: S, target: S, allowed: bool
    ) -> None:
        item = desk.complaint() if kind is ComplaintKind.COMPLAINT else desk.report()
        item.status = current
        desk.session.flush()
        if allowed:
            workflow.move(desk.session, item, target, desk.department, "理由", FILED)
            assert item.status is target
        else:
            with pytest.raises(Conflict):
                workflow.move(desk.session, item, target, desk.department, "理由", FILED)
            assert item.status is current

    def test_matrix_covers_every_pair_of_both_tables(self) -> None:
        assert len(PAIRS) == 2 * len(ComplaintStatus) ** 2
        assert sum(allowed for *_, allowed in PAIRS) == 3 + 3 + 5 + 4


class TestWhoMoves:
    def test_platform_settles_when_complaint_is_with_it(self, desk: Desk) -> None:
        complaint = desk.move(desk.complaint(), S.MEDIATED, desk.platform)
        assert complaint.status is S.MEDIATED

    def test_forbidden_when_another_platform_moves_it(self, desk: Desk) -> None:
        complaint = desk.complaint()
        with pytest.raises(Forbidden):
            desk.move(complaint, S.DEPARTMENT, desk.other_platform)
        assert complaint.status is S.PLATFORM

    def test_forbidden_when_platform_decides_at_the_department(self, desk: Desk) -> None:
        complaint = desk.move(desk.complaint(), S.DEPARTMENT, desk.platform)
        with pytest.raises(Forbidden):
            desk.move(complaint, S.MEDIATION, desk.platform)


class TestUpheld:
    def test_records_complaint_upheld_when_department_upholds(self, desk: Desk) -> None:
        complaint = desk.move(desk.complaint(), S.DEPARTMENT, desk.platform)
        desk.move(complaint, S.MEDIATION)
        desk.move(complaint, S.UPHELD, severity=Severity.GENERAL)
        record = desk.session.get_one(CreditRecord, complaint.outcome_record_id)
        assert (record.type_code, record.subject_id, record.severity) == (
            "complaint_upheld",
            desk.merchant.id,
            Severity.GENERAL,
        )
        assert record.decision_no == complaint.tracking_no
        assert "欧阳" not in (record.summary or "")  # no personal data in a public record

    def test_no_record_when_complaint_mediated_or_report_upheld(self, desk: Desk) -> None:
        complaint = desk.complaint()
        desk.move(complaint, S.MEDIATED, desk.platform)
        report = desk.move(desk.report(), S.UPHELD)
        assert (complaint.outcome_record_id, report.outcome_record_id) == (None, None)

    def test_nothing_changes_when_refused_move_is_a_conflict(self, desk: Desk) -> None:
        complaint = desk.complaint()
        with pytest.raises(Conflict, match="cannot move from 'platform' to 'upheld'"):
            desk.move(complaint, S.UPHELD)
        assert complaint.outcome_record_id is None
        assert desk.session.scalars(select(CreditRecord)).all() == []


class TestTrail:
    def test_leaves_timeline_and_events_when_each_step_taken(self, desk: Desk) -> None:
        complaint = desk.complaint()
        desk.move(complaint, S.DEPARTMENT, desk.platform)
        desk.move(complaint, S.MEDIATION)
        desk.move(complaint, S.REFUSED)
        kinds = [e.kind for e in audit_service.timeline(desk.session, "complaint", complaint.id)]
        assert kinds == ["complaint_platform", "complaint_department", "complaint_mediation",
                         "complaint_refused"]  # fmt: skip
        assert _events(desk) == ["complaint.platform", "complaint.department",
                                 "complaint.mediation", "complaint.refused"]  # fmt: skip

    def test_withdrawal_needs_no_notice_when_filer_withdrew(self, desk: Desk) -> None:
        complaint = desk.move(desk.complaint(), S.WITHDRAWN, desk.platform)
        assert (complaint.closed_on, complaint.notify_due) == (FILED, None)

    def test_notified_once_when_told(self, desk: Desk) -> None:
        complaint = desk.move(desk.complaint(), S.MEDIATED, desk.platform)
        told = NotificationCreate(channel="电话")
        desk.complaints.mark_notified(desk.session, complaint.tracking_no, told, desk.department)
        assert complaint.notified_on == FILED
        with pytest.raises(Conflict, match="already told"):
            desk.complaints.mark_notified(
                desk.session, complaint.tracking_no, told, desk.department
            )

    def test_second_extension_is_a_conflict_when_asked(self, desk: Desk) -> None:
        report = desk.report()
        desk.complaints.extend(desk.session, report.tracking_no, "延期", desk.department)
        with pytest.raises(Conflict, match="extended once"):
            desk.complaints.extend(desk.session, report.tracking_no, "再延期", desk.department)
