"""A repair granted for a list entry removes it through the listing service at once, within
removal_due (decision day + repair.list_removal_workdays)."""

from __future__ import annotations

from datetime import date

import pytest

from ecredit.audit.service import audit_service
from ecredit.kit.errors import Conflict
from ecredit.models.listing import ListStatus
from ecredit.models.repair import CaseKind, CaseStatus, CaseTarget, RepairCase
from ecredit.repair.schemas import CaseCreate, CaseDecision
from tests.repair.conftest import Desk

GRANT = CaseDecision(decision="granted", reason="已履行义务并作出信用承诺")


def _file(desk: Desk, entry_id: int) -> RepairCase:
    data = CaseCreate(kind=CaseKind.REPAIR, target=CaseTarget.LIST_ENTRY, list_entry_id=entry_id,
                      grounds="已整改完毕并作出信用承诺")  # fmt: skip
    return desk.repairs.file(desk.session, data, desk.office)


class TestListEntryRepair:
    def test_entry_removed_within_removal_due_when_granted(self, desk: Desk) -> None:
        entry = desk.list_entry()
        case = _file(desk, entry.id)
        desk.repairs.acknowledge(desk.session, case.id, desk.department)
        desk.on(date(2026, 10, 9))
        desk.repairs.decide(desk.session, case.id, GRANT, desk.department)
        assert case.status is CaseStatus.GRANTED
        assert case.removal_due == date(2026, 10, 13)  # 10 (调休 Saturday), 12, 13 October
        assert (entry.status, entry.ended_on) == (ListStatus.REMOVED, date(2026, 10, 9))
        assert entry.end_reason == GRANT.reason
        [event] = [
            e for e in audit_service.timeline(desk.session, "repair_case", case.id)
            if e.kind == "repair_case_list_removed"
        ]  # fmt: skip
        assert event.data["met"] is True
        assert event.data["removed_on"] == "2026-10-09"

    def test_nothing_changes_when_entry_cannot_be_removed(self, desk: Desk) -> None:
        entry = desk.list_entry()
        case = _file(desk, entry.id)
        desk.repairs.acknowledge(desk.session, case.id, desk.department)
        entry.status = ListStatus.EXPIRED  # expired meanwhile
        desk.session.flush()
        with pytest.raises(Conflict):
            desk.repairs.decide(desk.session, case.id, GRANT, desk.department)
        assert (case.status, case.removal_due) == (CaseStatus.ACKNOWLEDGED, None)

    def test_entry_stays_when_refused(self, desk: Desk) -> None:
        entry = desk.list_entry()
        case = _file(desk, entry.id)
        refusal = CaseDecision(decision="refused", reason="仍有未履行的义务")
        desk.repairs.decide(desk.session, case.id, refusal, desk.department)
        assert (entry.status, case.removal_due) == (ListStatus.EFFECTIVE, None)
