"""What a granted case changes: a new ledgered entry each time, never an edit of history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ecredit.kit.errors import Conflict, Forbidden, InvalidInput
from ecredit.ledger.service import Signer
from ecredit.ledger.verify import verify_ledger
from ecredit.models.org import OrgKind
from ecredit.models.record import EntryAction
from ecredit.models.repair import CaseKind, CaseStatus
from ecredit.repair.schemas import CaseDecision
from tests.factories import orgs
from tests.repair.conftest import Desk, record_rows


def _ledger_ok(desk: Desk) -> bool:
    key = Signer(Ed25519PrivateKey.generate()).public_key
    return verify_ledger(desk.session, key).ok


def _grant(desk: Desk, case_id: int, **values: object) -> None:
    desk.repairs.acknowledge(desk.session, case_id, desk.department)
    decision = CaseDecision.model_validate({"decision": "granted", "reason": "经核查"} | values)
    desk.repairs.decide(desk.session, case_id, decision, desk.department)


class TestObjectionUpheld:
    def test_correction_entry_and_original_intact_when_corrected(self, desk: Desk) -> None:
        record_id = desk.record()
        case = desk.file(kind=CaseKind.OBJECTION, record_id=record_id)
        correction = {"reason": "罚款金额认定有误", "amount": "3000"}
        _grant(desk, case.id, correction=correction)
        rows = record_rows(desk.session, record_id)
        assert [r.action for r in rows] == [EntryAction.ORIGINAL, EntryAction.CORRECTION]
        assert (rows[0].amount, rows[1].amount) == (Decimal("5000.00"), Decimal("3000.00"))
        assert case.outcome_record_id == rows[1].id
        assert case.status is CaseStatus.GRANTED
        assert desk.repairs.records.state(desk.session, record_id).current.id == rows[1].id
        assert _ledger_ok(desk)

    def test_revocation_entry_when_record_should_not_exist(self, desk: Desk) -> None:
        record_id = desk.record()
        case = desk.file(kind=CaseKind.OBJECTION, record_id=record_id)
        _grant(desk, case.id, revoke=True)
        rows = record_rows(desk.session, record_id)
        assert [r.action for r in rows] == [EntryAction.ORIGINAL, EntryAction.REVOCATION]
        assert record_id not in desk.public_ids()
        assert _ledger_ok(desk)

    def test_refused_as_input_when_upheld_without_outcome(self, desk: Desk) -> None:
        case = desk.file(kind=CaseKind.OBJECTION)
        with pytest.raises(InvalidInput):
            _grant(desk, case.id)
        assert case.status is CaseStatus.ACKNOWLEDGED

    def test_nothing_changes_when_decider_may_not_amend(self, desk: Desk) -> None:
        record_id = desk.record()
        case = desk.file(kind=CaseKind.OBJECTION, record_id=record_id)
        other = orgs.principal(orgs.organisation(desk.session, OrgKind.DEPARTMENT))
        desk.repairs.acknowledge(desk.session, case.id, other)
        decision = CaseDecision(decision="granted", reason="更正", revoke=True)
        with pytest.raises(Forbidden):
            desk.repairs.decide(desk.session, case.id, decision, other)
        assert case.status is CaseStatus.ACKNOWLEDGED
        assert len(record_rows(desk.session, record_id)) == 1


class TestRepairGranted:
    def test_hidden_from_public_and_kept_internally_when_repaired(self, desk: Desk) -> None:
        record_id = desk.record()
        assert record_id in desk.public_ids()
        case = desk.file(record_id=record_id)
        _grant(desk, case.id)
        rows = record_rows(desk.session, record_id)
        assert [r.action for r in rows] == [EntryAction.ORIGINAL, EntryAction.REPAIR]
        assert record_id not in desk.public_ids()
        [state] = desk.repairs.records.file(desk.session, desk.merchant.id)
        assert state.status(desk.repairs.today()) == "repaired"
        assert case.outcome_record_id == rows[1].id
        assert case.removal_due is None
        assert _ledger_ok(desk)

    def test_refused_as_input_when_repair_carries_a_correction(self, desk: Desk) -> None:
        case = desk.file()
        with pytest.raises(InvalidInput):
            _grant(desk, case.id, revoke=True)

    def test_no_entry_when_refused(self, desk: Desk) -> None:
        record_id = desk.record()
        case = desk.file(record_id=record_id)
        decision = CaseDecision(decision="refused", reason="未消除不良影响")
        desk.repairs.decide(desk.session, case.id, decision, desk.department)
        assert len(record_rows(desk.session, record_id)) == 1
        assert record_id in desk.public_ids()

    def test_record_service_refuses_second_repair(self, desk: Desk) -> None:
        record_id = desk.record()
        desk.repairs.records.repair(desk.session, record_id, "修复", desk.office)
        with pytest.raises(Conflict):
            desk.repairs.records.repair(desk.session, record_id, "修复", desk.office)
