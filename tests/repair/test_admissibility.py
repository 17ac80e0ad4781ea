"""Which cases may be filed, and by whom: repair not before the earliest repair date, never for
kinds with no early stop; objections any time while the record stands."""

from __future__ import annotations

from datetime import date

import pytest

from ecredit.kit.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from ecredit.models.listing import ListStatus
from ecredit.models.org import OrgKind
from ecredit.models.record import PenaltyKind, Severity
from ecredit.models.repair import CaseKind, CaseTarget, RepairCase
from ecredit.record.schemas import RecordAmendment
from ecredit.repair.schemas import CaseCreate
from tests.factories import orgs
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.repair.conftest import TODAY, Desk


def _refused(desk: Desk, error: type[AppError], record_id: int, kind: CaseKind) -> AppError:
    before = desk.count(RepairCase)
    with pytest.raises(error) as caught:
        desk.file(kind=kind, record_id=record_id)
    assert desk.count(RepairCase) == before
    return caught.value


class TestRepairAdmissibility:
    def test_refused_with_the_date_when_filed_too_early(self, desk: Desk) -> None:
        record_id = desk.record(rec.penalty(desk.merchant.id, date(2026, 8, 31)))
        error = _refused(desk, InvalidInput, record_id, CaseKind.REPAIR)
        assert error.problems[0].rule == "minimum_period"
        assert "2026-12-01" in error.message  # 3 months after 2026-08-31 → 11-30, then next day

    def test_refused_until_one_year_when_serious(self, desk: Desk) -> None:
        data = rec.penalty(desk.merchant.id, date(2026, 3, 2), severity=Severity.SERIOUS)
        error = _refused(desk, InvalidInput, desk.record(data), CaseKind.REPAIR)
        assert "2027-03-03" in error.message

    def test_admitted_on_the_earliest_day(self, desk: Desk) -> None:
        record_id = desk.record(rec.penalty(desk.merchant.id, date(2026, 6, 29)))
        assert desk.file(record_id=record_id).status.value == "filed"  # earliest 2026-09-30

    @pytest.mark.parametrize("kind", [PenaltyKind.SUSPENSION, PenaltyKind.LICENCE_REVOCATION])
    def test_refused_when_kind_has_no_early_stop(self, desk: Desk, kind: PenaltyKind) -> None:
        data = rec.samr_penalty(desk.merchant.id, kind, date(2024, 1, 5))
        error = _refused(desk, InvalidInput, desk.record(data), CaseKind.REPAIR)
        assert error.problems[0].rule == "no_early_stop"
        assert "SAMR Order 45 Art. 14" in error.message

    def test_refused_when_type_has_no_publicity_to_end(self, desk: Desk) -> None:
        record_id = desk.record(rec.honour(desk.merchant.id, date(2025, 1, 6)), desk.office)
        error = _refused(desk, InvalidInput, record_id, CaseKind.REPAIR)
        assert error.problems[0].rule == "no_early_stop"

    def test_objection_admitted_when_record_brand_new(self, desk: Desk) -> None:
        record_id = desk.record(rec.penalty(desk.merchant.id, TODAY))
        assert desk.file(kind=CaseKind.OBJECTION, record_id=record_id).kind is CaseKind.OBJECTION

    def test_refused_when_record_revoked(self, desk: Desk) -> None:
        record_id = desk.record()
        desk.repairs.records.revoke(
            desk.session, record_id, RecordAmendment(reason="复议撤销"), desk.office
        )
        _refused(desk, Conflict, record_id, CaseKind.OBJECTION)

    def test_refused_when_same_case_already_open(self, desk: Desk) -> None:
        record_id = desk.record()
        desk.file(record_id=record_id)
        _refused(desk, Conflict, record_id, CaseKind.REPAIR)
        assert desk.file(kind=CaseKind.OBJECTION, record_id=record_id).id  # another kind is fine

    def test_not_found_when_record_unknown(self, desk: Desk) -> None:
        _refused(desk, NotFound, 987654, CaseKind.OBJECTION)


class TestListEntryAdmissibility:
    def _data(self, kind: CaseKind, entry_id: int) -> CaseCreate:
        return CaseCreate(kind=kind, target=CaseTarget.LIST_ENTRY, list_entry_id=entry_id,
                          grounds="已整改完毕并作出信用承诺")  # fmt: skip

    def test_admitted_when_entry_effective(self, desk: Desk) -> None:
        entry = desk.list_entry()
        case = desk.repairs.file(desk.session, self._data(CaseKind.REPAIR, entry.id), desk.office)
        assert (case.subject_id, case.list_entry_id) == (desk.merchant.id, entry.id)

    def test_refused_when_entry_not_on_display(self, desk: Desk) -> None:
        entry = desk.list_entry(ListStatus.PROPOSED)
        with pytest.raises(Conflict):
            desk.repairs.file(desk.session, self._data(CaseKind.REPAIR, entry.id), desk.office)

    def test_refused_when_objection_to_entry(self, desk: Desk) -> None:
        entry = desk.list_entry()
        with pytest.raises(InvalidInput):
            desk.repairs.file(desk.session, self._data(CaseKind.OBJECTION, entry.id), desk.office)


class TestWhoFiles:
    def test_platform_files_when_merchant_on_its_platform(self, desk: Desk) -> None:
        case = desk.file(by=desk.platform)
        assert case.applicant == f"org:{desk.platform.organisation_id}"

    def test_platform_forbidden_when_merchant_elsewhere(self, desk: Desk) -> None:
        other = make.enterprise(desk.session, desk.vault)
        record_id = desk.record(rec.penalty(other.id, date(2026, 3, 2)))
        with pytest.raises(Forbidden):
            desk.file(record_id=record_id, by=desk.platform)

    def test_logistics_files_when_for_itself_only(self, desk: Desk) -> None:
        carrier = orgs.principal(orgs.organisation(desk.session, OrgKind.LOGISTICS))
        with pytest.raises(Forbidden):
            desk.file(by=carrier)
