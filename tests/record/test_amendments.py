"""Corrections, revocations and early ends of publicity: new entries, never an edit in place;
who may make them; every entry in the ledger."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.kit.errors import AppError, Conflict, Forbidden
from ecredit.ledger.canonical import record_document
from ecredit.models.ledger import LedgerEntry
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord, EntryAction, Severity
from ecredit.record import views
from ecredit.record.schemas import RecordAmendment, RecordCorrection
from ecredit.record.service import RecordService
from tests.factories import records as rec
from tests.record.conftest import TODAY, Desk

DAY = timedelta(days=1)
Amend = Callable[[RecordService, Session, int, Principal], CreditRecord]

AMENDMENTS: dict[str, Amend] = {
    "correct": lambda s, session, rid, by: s.correct(
        session, rid, RecordCorrection(reason="金额有误", amount=Decimal("3000")), by
    ),
    "revoke": lambda s, session, rid, by: s.revoke(
        session, rid, RecordAmendment(reason="行政复议撤销"), by
    ),
    "end_publicity": lambda s, session, rid, by: s.end_publicity(
        session, rid, RecordAmendment(reason="信用修复", effective=TODAY), by
    ),
}


def _row(session: Session, record_id: int) -> dict[str, Any]:
    """Every column as stored, read past the session's identity map."""
    table = CreditRecord.__table__
    return dict(session.execute(select(table).where(table.c.id == record_id)).mappings().one())


def _penalty(desk: Desk, **values: Any) -> CreditRecord:
    return desk.records.submit(
        desk.session, rec.penalty(desk.merchant.id, TODAY, **values), desk.department
    )


def _correct(desk: Desk, record_id: int, **values: Any) -> CreditRecord:
    correction = RecordCorrection(reason="更正", **values)
    return desk.records.correct(desk.session, record_id, correction, desk.department)


class TestCorrection:
    def test_original_row_unchanged_when_corrected(self, desk: Desk) -> None:
        original = _penalty(desk)
        before = _row(desk.session, original.id)
        _correct(desk, original.id, amount=Decimal("800.00"), summary="更正后的事实")
        assert _row(desk.session, original.id) == before

    def test_new_entry_points_at_original_when_corrected(self, desk: Desk) -> None:
        original = _penalty(desk)
        entry = _correct(desk, original.id, amount=Decimal("800.00"))
        assert entry.id != original.id
        assert (entry.action, entry.amends_id, entry.reason) == (
            EntryAction.CORRECTION,
            original.id,
            "更正",
        )
        # Unchanged facts are carried over into the new version.
        assert (entry.decision_no, entry.legal_basis) == (
            original.decision_no,
            original.legal_basis,
        )

    def test_current_version_shows_corrected_values_when_read(self, desk: Desk) -> None:
        original = _penalty(desk, amount=Decimal("5000.00"))
        entry = _correct(desk, original.id, amount=Decimal("800.00"), summary="更正后的事实")
        state = desk.records.state(desk.session, entry.id)  # any entry id finds the record
        read = views.record_read(desk.session, desk.records.catalog, state, TODAY)
        assert read.id == original.id
        assert (read.current.id, read.current.amount, read.current.summary) == (
            entry.id,
            Decimal("800.00"),
            "更正后的事实",
        )
        assert [e.amount for e in read.history] == [Decimal("5000.00"), Decimal("800.00")]

    @pytest.mark.parametrize(
        ("severity", "last_day"),
        [(Severity.SERIOUS, date(2029, 3, 10)), (Severity.MINOR, date(2026, 6, 10))],
        ids=str,
    )
    def test_window_recomputed_when_severity_changes(
        self, desk: Desk, severity: Severity, last_day: date
    ) -> None:
        original = _penalty(desk, severity=Severity.GENERAL)
        assert original.public_until == date(2027, 3, 10)
        _correct(desk, original.id, severity=severity)
        state = desk.records.state(desk.session, original.id)
        assert (state.current.severity, state.public_until) == (severity, last_day)
        assert state.is_public(last_day)
        assert not state.is_public(last_day + DAY)

    def test_window_recomputed_when_decision_date_corrected(self, desk: Desk) -> None:
        original = _penalty(desk, severity=Severity.MINOR)
        _correct(desk, original.id, decision_date=date(2026, 1, 31))
        state = desk.records.state(desk.session, original.id)
        assert (state.public_from, state.public_until) == (date(2026, 1, 31), date(2026, 4, 30))

    def test_refused_when_correction_removes_a_required_field(self, desk: Desk) -> None:
        original = _penalty(desk)
        before = desk.counts()
        with pytest.raises(AppError) as error:
            _correct(desk, original.id, summary=None)
        assert error.value.status_code == 422
        assert [(p.field, p.rule) for p in error.value.problems] == [("summary", "required")]
        assert desk.counts() == before

    def test_names_field_when_correction_breaks_the_publicity_rule(self, desk: Desk) -> None:
        data = rec.judgment_debtor(desk.merchant.id, TODAY, date(2026, 12, 31))
        original = desk.records.submit(desk.session, data, desk.department)
        with pytest.raises(AppError) as error:
            _correct(desk, original.id, valid_until=date(2026, 1, 1))
        assert error.value.status_code == 422
        assert [p.field for p in error.value.problems] == ["valid_until"]

    def test_public_file_shows_corrected_facts_when_corrected(self, desk: Desk) -> None:
        original = _penalty(desk)
        _correct(desk, original.id, amount=Decimal("800.00"))
        [group] = desk.public_file().groups
        [shown] = group.records
        assert (shown.id, shown.amount, shown.corrected) == (original.id, Decimal("800.00"), True)


class TestRevocation:
    def test_hidden_from_public_file_when_revoked(self, desk: Desk) -> None:
        original = _penalty(desk)
        assert desk.public_ids() == [original.id]
        AMENDMENTS["revoke"](desk.records, desk.session, original.id, desk.department)
        state = desk.records.state(desk.session, original.id)
        assert (state.status(TODAY), state.is_public(TODAY)) == ("revoked", False)
        assert desk.public_ids() == []
        assert [e.action for e in state.entries] == [EntryAction.ORIGINAL, EntryAction.REVOCATION]

    @pytest.mark.parametrize("action", list(AMENDMENTS))
    def test_conflict_when_revoked_record_is_amended(self, desk: Desk, action: str) -> None:
        original = _penalty(desk)
        AMENDMENTS["revoke"](desk.records, desk.session, original.id, desk.department)
        before = desk.counts()
        with pytest.raises(Conflict) as error:
            AMENDMENTS[action](desk.records, desk.session, original.id, desk.office)
        assert error.value.status_code == 409
        assert "revoked" in error.value.message
        assert desk.counts() == before


class TestEndPublicity:
    def test_hidden_after_effective_date_when_publicity_ended(self, desk: Desk) -> None:
        original = _penalty(desk)
        effective = date(2026, 5, 20)
        amendment = RecordAmendment(reason="信用修复", effective=effective)
        desk.records.end_publicity(desk.session, original.id, amendment, desk.department)
        state = desk.records.state(desk.session, original.id)
        assert state.public_until == effective
        assert state.current.public_until == date(2027, 3, 10)  # the facts are not rewritten
        assert [state.status(d) for d in (effective, effective + DAY)] == ["in_force", "expired"]
        for day, shown in ((effective, True), (effective + DAY, False)):
            desk.on(day)
            assert (original.id in desk.public_ids()) is shown

    def test_ends_on_today_when_no_effective_date_given(self, desk: Desk) -> None:
        original = _penalty(desk)
        desk.on(date(2026, 4, 1))
        amendment = RecordAmendment(reason="信用修复")
        entry = desk.records.end_publicity(desk.session, original.id, amendment, desk.office)
        assert (entry.action, entry.public_until) == (EntryAction.EXPIRY, date(2026, 4, 1))
        desk.on(date(2026, 4, 2))
        assert desk.public_ids() == []

    def test_early_end_kept_when_corrected_afterwards(self, desk: Desk) -> None:
        original = _penalty(desk)
        amendment = RecordAmendment(reason="信用修复", effective=date(2026, 5, 20))
        desk.records.end_publicity(desk.session, original.id, amendment, desk.department)
        _correct(desk, original.id, severity=Severity.SERIOUS)
        state = desk.records.state(desk.session, original.id)
        assert (state.current.public_until, state.public_until) == (
            date(2029, 3, 10),
            date(2026, 5, 20),
        )


class TestWhoMayAmend:
    @pytest.mark.parametrize("action", list(AMENDMENTS))
    @pytest.mark.parametrize("kind", [OrgKind.DEPARTMENT, OrgKind.PLATFORM], ids=str)
    def test_forbidden_when_another_organisation_amends(
        self, desk: Desk, action: str, kind: OrgKind
    ) -> None:
        original = _penalty(desk)
        before = desk.counts()
        with pytest.raises(Forbidden) as error:
            AMENDMENTS[action](desk.records, desk.session, original.id, desk.principal(kind))
        assert error.value.status_code == 403
        assert "credit office" in error.value.message
        assert desk.counts() == before

    @pytest.mark.parametrize("action", list(AMENDMENTS))
    @pytest.mark.parametrize("who", ["recorder", "credit_office"])
    def test_amended_when_recorder_or_credit_office_acts(
        self, desk: Desk, action: str, who: str
    ) -> None:
        original = _penalty(desk)
        by = desk.department if who == "recorder" else desk.principal(OrgKind.CREDIT_OFFICE)
        entry = AMENDMENTS[action](desk.records, desk.session, original.id, by)
        assert entry.amends_id == original.id
        # The amendment stays the recording organisation's fact, whoever entered it.
        assert entry.source_org_id == desk.department.organisation_id

    def test_platform_amends_when_it_recorded_the_fact(self, desk: Desk) -> None:
        original = desk.records.submit(
            desk.session, rec.dishonest(desk.merchant.id, TODAY), desk.platform
        )
        AMENDMENTS["revoke"](desk.records, desk.session, original.id, desk.platform)
        assert desk.records.state(desk.session, original.id).revoked


class TestLedger:
    def test_every_entry_ledgered_as_stored_when_amended(self, desk: Desk) -> None:
        original = _penalty(desk)
        for action in ("correct", "end_publicity", "revoke"):
            AMENDMENTS[action](desk.records, desk.session, original.id, desk.department)
        rows = desk.session.scalars(select(CreditRecord).order_by(CreditRecord.id)).all()
        ledger = desk.session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)).all()
        assert [e.record_id for e in ledger] == [r.id for r in rows]
        assert len(rows) == 4
        desk.session.expire_all()  # compare with what the database holds
        for entry, row in zip(ledger, rows, strict=True):
            assert json.loads(entry.canonical) == record_document(row)

    def test_ledger_unchanged_when_amendment_refused(self, desk: Desk) -> None:
        original = _penalty(desk)
        before = desk.counts()
        with pytest.raises(Forbidden):
            AMENDMENTS["correct"](
                desk.records, desk.session, original.id, desk.principal(OrgKind.PLATFORM)
            )
        assert desk.counts() == before == (1, 1)
