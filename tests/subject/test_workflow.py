"""Real-name verification: every from/to pair of the transition table, and who may decide."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.principals import SYSTEM, Principal
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, Forbidden, InvalidInput
from ecredit.models.audit import TimelineEvent
from ecredit.models.org import OrgKind
from ecredit.models.subject import (
    VERIFICATION_TRANSITIONS,
    Subject,
    VerificationEvent,
    VerificationMethod,
    VerificationStatus,
)
from ecredit.subject import workflow
from tests.factories import orgs
from tests.factories import subjects as make

PAIRS = list(VERIFICATION_TRANSITIONS.all_pairs(VerificationStatus))


def _subject_in(session: Session, vault: Vault, status: VerificationStatus) -> Subject:
    subject = make.enterprise(session, vault)
    subject.verification_status = status
    subject.verification_method = VerificationMethod.LICENCE_CHECK
    session.flush()
    return subject


def _attempt(
    session: Session, subject: Subject, target: VerificationStatus, by: Principal = SYSTEM
) -> VerificationEvent:
    if target is VerificationStatus.PENDING:
        return workflow.submit(session, subject, VerificationMethod.BANK_CHECK, "evidence-1", by)
    return workflow.decide(session, subject, target, by, reason="证照不符")


def _counts(session: Session) -> tuple[int, int]:
    events = session.scalar(select(func.count()).select_from(VerificationEvent)) or 0
    timeline = session.scalar(select(func.count()).select_from(TimelineEvent)) or 0
    return events, timeline


class TestTransitionMatrix:
    def test_table_allows_exactly_the_documented_moves(self) -> None:
        allowed = {(a.value, b.value) for a, b, ok in PAIRS if ok}
        assert allowed == {
            ("unverified", "pending"),
            ("pending", "verified"),
            ("pending", "rejected"),
            ("verified", "revoked"),
            ("rejected", "pending"),
            ("revoked", "pending"),
        }

    @pytest.mark.parametrize(
        ("current", "target"),
        [(a, b) for a, b, ok in PAIRS if ok],
        ids=[f"{a}->{b}" for a, b, ok in PAIRS if ok],
    )
    def test_moves_and_records_when_transition_allowed(
        self,
        session: Session,
        vault: Vault,
        current: VerificationStatus,
        target: VerificationStatus,
    ) -> None:
        subject = _subject_in(session, vault, current)
        event = _attempt(session, subject, target)
        assert subject.verification_status is target
        assert (event.subject_id, event.from_status, event.to_status) == (
            subject.id,
            current,
            target,
        )
        [stored] = session.scalars(select(VerificationEvent)).all()
        assert stored is event
        kinds = [e.kind for e in audit_service.timeline(session, "subject", subject.id)]
        assert kinds[-1] == f"verification_{target.value}"
        assert (subject.verified_at is not None) is (target is VerificationStatus.VERIFIED)

    @pytest.mark.parametrize(
        ("current", "target"),
        [(a, b) for a, b, ok in PAIRS if not ok and b is not VerificationStatus.UNVERIFIED],
        ids=[
            f"{a}->{b}" for a, b, ok in PAIRS if not ok and b is not VerificationStatus.UNVERIFIED
        ],
    )
    def test_conflict_and_nothing_changed_when_transition_forbidden(
        self,
        session: Session,
        vault: Vault,
        current: VerificationStatus,
        target: VerificationStatus,
    ) -> None:
        subject = _subject_in(session, vault, current)
        before = _counts(session)
        with pytest.raises(Conflict) as error:
            _attempt(session, subject, target)
        assert error.value.status_code == 409
        assert f"cannot move from '{current.value}' to '{target.value}'" in error.value.message
        session.flush()
        assert subject.verification_status is current
        assert subject.verification_method is VerificationMethod.LICENCE_CHECK
        assert _counts(session) == before

    @pytest.mark.parametrize("current", list(VerificationStatus), ids=str)
    def test_refuses_when_decision_is_not_a_decision(
        self, session: Session, vault: Vault, current: VerificationStatus
    ) -> None:
        """Nothing moves a subject back to unverified, and a decision cannot mean "pending"."""
        subject = _subject_in(session, vault, current)
        for target in (VerificationStatus.UNVERIFIED, VerificationStatus.PENDING):
            with pytest.raises(InvalidInput) as error:
                workflow.decide(session, subject, target, SYSTEM, reason="x")
            assert error.value.problems[0].rule == "choice"
        assert subject.verification_status is current
        assert _counts(session)[0] == 0


class TestDecisionRules:
    def test_forbidden_when_platform_decides(self, session: Session, vault: Vault) -> None:
        subject = _subject_in(session, vault, VerificationStatus.PENDING)
        platform = orgs.principal(orgs.organisation(session, OrgKind.PLATFORM))
        with pytest.raises(Forbidden, match="credit office or a department"):
            workflow.decide(session, subject, VerificationStatus.VERIFIED, platform)
        assert subject.verification_status is VerificationStatus.PENDING

    def test_platform_may_submit_when_subject_unverified(
        self, session: Session, vault: Vault
    ) -> None:
        subject = _subject_in(session, vault, VerificationStatus.UNVERIFIED)
        org = orgs.organisation(session, OrgKind.PLATFORM)
        event = _attempt(session, subject, VerificationStatus.PENDING, orgs.principal(org))
        assert (event.organisation_id, event.evidence_ref) == (org.id, "evidence-1")
        assert subject.verification_method is VerificationMethod.BANK_CHECK

    def test_department_verifies_when_pending(self, session: Session, vault: Vault) -> None:
        subject = _subject_in(session, vault, VerificationStatus.PENDING)
        org = orgs.organisation(session, OrgKind.DEPARTMENT)
        workflow.decide(session, subject, VerificationStatus.VERIFIED, orgs.principal(org))
        assert subject.verified_by_id == org.id

    @pytest.mark.parametrize(
        ("current", "decision"),
        [
            (VerificationStatus.PENDING, VerificationStatus.REJECTED),
            (VerificationStatus.VERIFIED, VerificationStatus.REVOKED),
        ],
        ids=["reject", "revoke"],
    )
    @pytest.mark.parametrize("reason", [None, ""], ids=["none", "empty"])
    def test_requires_reason_when_rejecting_or_revoking(
        self,
        session: Session,
        vault: Vault,
        current: VerificationStatus,
        decision: VerificationStatus,
        reason: str | None,
    ) -> None:
        subject = _subject_in(session, vault, current)
        with pytest.raises(InvalidInput) as error:
            workflow.decide(session, subject, decision, SYSTEM, reason=reason)
        assert (error.value.problems[0].field, error.value.problems[0].rule) == (
            "reason",
            "required",
        )
        assert subject.verification_status is current

    def test_clears_verified_mark_when_revoked(self, session: Session, vault: Vault) -> None:
        subject = _subject_in(session, vault, VerificationStatus.PENDING)
        workflow.decide(session, subject, VerificationStatus.VERIFIED, SYSTEM)
        workflow.decide(session, subject, VerificationStatus.REVOKED, SYSTEM, reason="冒用执照")
        assert (subject.verified_at, subject.verified_by_id) == (None, None)
        reasons = [e.reason for e in session.scalars(select(VerificationEvent))]
        assert reasons == [None, "冒用执照"]
