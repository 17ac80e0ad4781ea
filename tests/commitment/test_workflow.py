"""Every from/to pair of COMMITMENT_TRANSITIONS: allowed moves succeed with their outcome,
forbidden ones are a 409 that changes nothing (no record, no ledger entry, no timeline event)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.commitment import workflow
from ecredit.commitment.service import CommitmentService
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict
from ecredit.models.audit import TimelineEvent
from ecredit.models.commitment import COMMITMENT_TRANSITIONS, Commitment, CommitmentStatus
from ecredit.models.ledger import LedgerEntry
from ecredit.models.record import CreditRecord
from tests.factories import commitments as make_c
from tests.factories import subjects as make
from tests.factories.commitments import DAY

PAIRS = list(COMMITMENT_TRANSITIONS.all_pairs(CommitmentStatus))
AFTER_TERM = date(2027, 3, 2)  # the day after a 12-month term from DAY ends
OUTCOME_TYPES = {CommitmentStatus.BREACHED: "commitment_breach", CommitmentStatus.KEPT:
                 "commitment_kept"}  # fmt: skip


def _commitment_in(
    session: Session, vault: Vault, service: CommitmentService, status: CommitmentStatus
) -> Commitment:
    commitment = make_c.sign(service, session, make.enterprise(session, vault))
    commitment.status = status
    session.flush()
    return commitment


def _attempt(
    session: Session, service: CommitmentService, commitment: Commitment, target: CommitmentStatus
) -> None:
    """The service action that leads to `target` (nothing leads back to active but the guard)."""
    if target is CommitmentStatus.BREACHED:
        service.breach(session, commitment.id, make_c.breach_data(), SYSTEM)
    elif target is CommitmentStatus.KEPT:
        service.keep(session, commitment, AFTER_TERM)
    elif target is CommitmentStatus.WITHDRAWN:
        service.withdraw(session, commitment.id, "主体注销网店", SYSTEM)
    else:
        workflow.move(session, commitment, target)


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (CreditRecord, LedgerEntry, TimelineEvent)
    )


class TestTransitionMatrix:
    def test_table_allows_exactly_the_documented_moves(self) -> None:
        allowed = {(a.value, b.value) for a, b, ok in PAIRS if ok}
        assert allowed == {("active", "breached"), ("active", "kept"), ("active", "withdrawn")}
        assert len(PAIRS) == 16

    @pytest.mark.parametrize(
        ("current", "target"),
        [(a, b) for a, b, ok in PAIRS if ok],
        ids=[f"{a}->{b}" for a, b, ok in PAIRS if ok],
    )
    def test_moves_with_its_outcome_when_transition_allowed(
        self,
        session: Session,
        vault: Vault,
        current: CommitmentStatus,
        target: CommitmentStatus,
    ) -> None:
        service = make_c.service_on(DAY)
        commitment = _commitment_in(session, vault, service, current)
        records, entries, events = _counts(session)
        _attempt(session, service, commitment, target)
        assert commitment.status is target
        made = 1 if target in OUTCOME_TYPES else 0
        # a record adds its own "record_original" timeline event next to the move's
        assert _counts(session) == (records + made, entries + made, events + 1 + made)
        if made:
            record = session.get_one(CreditRecord, commitment.outcome_record_id)
            assert record.type_code == OUTCOME_TYPES[target]
        else:
            assert commitment.outcome_record_id is None
        event = session.scalars(select(TimelineEvent).order_by(TimelineEvent.id.desc())).first()
        assert event is not None
        assert (event.kind, event.entity_id) == (
            f"commitment_{target.value}",
            commitment.subject_id,
        )
        assert event.data["commitment_id"] == commitment.id

    @pytest.mark.parametrize(
        ("current", "target"),
        [(a, b) for a, b, ok in PAIRS if not ok],
        ids=[f"{a}->{b}" for a, b, ok in PAIRS if not ok],
    )
    def test_conflicts_and_changes_nothing_when_transition_forbidden(
        self,
        session: Session,
        vault: Vault,
        current: CommitmentStatus,
        target: CommitmentStatus,
    ) -> None:
        service = make_c.service_on(DAY)
        commitment = _commitment_in(session, vault, service, current)
        before = _counts(session)
        with pytest.raises(Conflict) as caught:
            _attempt(session, service, commitment, target)
        assert caught.value.status_code == 409
        assert f"cannot move from '{current.value}' to '{target.value}'" in caught.value.message
        assert commitment.status is current
        assert commitment.outcome_record_id is None
        assert _counts(session) == before
