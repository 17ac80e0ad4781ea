"""Inclusion by criteria (serious record → a black list chosen by the kinds file; grade A held
long enough with no negative record → red; grade D → watch), its idempotency, the job the record
service enqueues, and the nightly sweep (criteria, publicity ended, validity ended)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.catalog.publicity import add_months
from ecredit.kit.crypto import Vault
from ecredit.listing.criteria import propose_by_criteria
from ecredit.listing.jobs import PROPOSE_JOB, propose_for_subject, sweep
from ecredit.models.jobs import Job, JobStatus
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.record import Severity
from ecredit.models.scoring import Grade
from ecredit.models.subject import SubjectKind
from tests.factories import lists, records
from tests.factories import subjects as make

DAY = lists.DAY


def _kinds(entries: list[ListEntry]) -> list[str]:
    return [entry.list_kind for entry in entries]


class TestSeriousRecord:
    @pytest.mark.parametrize(
        ("kind", "type_code", "expected"),
        [
            (SubjectKind.MERCHANT, "order_brushing", "order_brushing_blacklist"),
            (SubjectKind.MERCHANT, "malicious_review", "order_brushing_blacklist"),
            (SubjectKind.LOGISTICS, "empty_parcel", "order_brushing_blacklist"),
            (SubjectKind.LOGISTICS, "administrative_penalty", "logistics_blacklist"),
            (SubjectKind.MERCHANT, "counterfeit", "ecommerce_serious_dishonesty"),
            (SubjectKind.MERCHANT, "administrative_penalty", "ecommerce_serious_dishonesty"),
        ],
    )
    def test_proposes_black_list_when_serious_negative_record(
        self, session: Session, vault: Vault, kind: SubjectKind, type_code: str, expected: str
    ) -> None:
        service, _clock = records.fixed_service(DAY)
        subject = make.register(session, vault, kind)
        data = (
            records.penalty(subject.id, DAY, severity=Severity.SERIOUS)
            if type_code == "administrative_penalty"
            else records.dishonest(subject.id, DAY, type_code, severity=Severity.SERIOUS)
        )
        record = service.submit(session, data, SYSTEM)
        [entry] = propose_by_criteria(session, subject.id, DAY)
        assert (entry.list_kind, entry.source_record_id) == (expected, record.id)
        assert (entry.status, entry.origin) == (ListStatus.PROPOSED, "criteria:serious_record")

    def test_proposes_nothing_when_record_not_serious(self, session: Session, vault: Vault) -> None:
        service, _clock = records.fixed_service(DAY)
        subject = make.enterprise(session, vault)
        service.submit(session, records.penalty(subject.id, DAY), SYSTEM)  # general severity
        assert propose_by_criteria(session, subject.id, DAY) == []

    def test_proposes_once_when_criteria_run_again(self, session: Session, vault: Vault) -> None:
        service, _clock = records.fixed_service(DAY)
        subject = make.enterprise(session, vault)
        service.submit(session, records.dishonest(subject.id, DAY), SYSTEM)
        service.submit(session, records.dishonest(subject.id, DAY, summary="再次刷单"), SYSTEM)
        assert _kinds(propose_by_criteria(session, subject.id, DAY)) == ["order_brushing_blacklist"]
        assert propose_by_criteria(session, subject.id, DAY) == []

    def test_not_proposed_again_when_reviewer_rejected_it(
        self, session: Session, vault: Vault
    ) -> None:
        service, _clock = records.fixed_service(DAY)
        subject = make.enterprise(session, vault)
        service.submit(session, records.dishonest(subject.id, DAY), SYSTEM)
        [entry] = propose_by_criteria(session, subject.id, DAY)
        lists.service_on().transition(session, entry.id, ListStatus.REJECTED, "证据不足", SYSTEM)
        assert propose_by_criteria(session, subject.id, DAY + timedelta(days=1)) == []

    def test_enqueues_one_job_per_subject_when_records_stored(
        self, session: Session, vault: Vault
    ) -> None:
        service, _clock = records.fixed_service(DAY)
        subject = make.enterprise(session, vault)
        service.submit(session, records.penalty(subject.id, DAY), SYSTEM)
        service.submit(session, records.penalty(subject.id, DAY), SYSTEM)
        jobs = session.scalars(
            select(Job).where(Job.name == PROPOSE_JOB, Job.status == JobStatus.QUEUED)
        ).all()
        assert [job.payload for job in jobs] == [{"subject_id": subject.id}]

    def test_job_proposes_when_run_for_subject(self, session: Session, vault: Vault) -> None:
        today = records.beijing_today()
        service, _clock = records.fixed_service(today)
        subject = make.enterprise(session, vault)
        service.submit(session, records.dishonest(subject.id, today), SYSTEM)
        propose_for_subject(session, {"subject_id": subject.id})
        entry = session.scalars(select(ListEntry).where(ListEntry.subject_id == subject.id)).one()
        assert entry.list_kind == "order_brushing_blacklist"


class TestGrade:
    def test_proposes_red_list_when_grade_a_held_twelve_months(
        self, session: Session, vault: Vault
    ) -> None:
        subject = make.enterprise(session, vault)
        lists.grade(session, subject.id, Grade.A, add_months(DAY, -12))
        [entry] = propose_by_criteria(session, subject.id, DAY)
        assert (entry.list_kind, entry.origin) == ("honest_merchant_redlist", "criteria:grade")
        assert "保持12个月以上" in entry.reason
        assert propose_by_criteria(session, subject.id, DAY) == []

    def test_proposes_nothing_when_grade_a_held_less_than_twelve_months(
        self, session: Session, vault: Vault
    ) -> None:
        subject = make.enterprise(session, vault)
        lists.grade(session, subject.id, Grade.A, add_months(DAY, -12) + timedelta(days=1))
        assert propose_by_criteria(session, subject.id, DAY) == []

    def test_proposes_nothing_when_negative_record_in_force(
        self, session: Session, vault: Vault
    ) -> None:
        service, _clock = records.fixed_service(DAY)
        subject = make.enterprise(session, vault)
        service.submit(session, records.penalty(subject.id, DAY - timedelta(days=30)), SYSTEM)
        lists.grade(session, subject.id, Grade.A, date(2024, 1, 1))
        assert propose_by_criteria(session, subject.id, DAY) == []

    def test_proposes_watch_list_when_grade_d(self, session: Session, vault: Vault) -> None:
        subject = make.enterprise(session, vault)
        lists.grade(session, subject.id, Grade.D, DAY, score=300)
        assert _kinds(propose_by_criteria(session, subject.id, DAY)) == ["watch_list"]
        assert propose_by_criteria(session, subject.id, DAY) == []

    def test_not_proposed_again_when_same_grade_rejected(
        self, session: Session, vault: Vault
    ) -> None:
        subject = make.enterprise(session, vault)
        lists.grade(session, subject.id, Grade.D, DAY, score=300)
        [entry] = propose_by_criteria(session, subject.id, DAY)
        lists.service_on().transition(session, entry.id, ListStatus.REJECTED, "已整改", SYSTEM)
        assert propose_by_criteria(session, subject.id, DAY + timedelta(days=1)) == []

    def test_proposes_nothing_when_subject_not_graded(self, session: Session, vault: Vault) -> None:
        assert propose_by_criteria(session, make.enterprise(session, vault).id, DAY) == []


class TestSweep:
    def test_moves_due_entries_and_proposes_when_swept(
        self, session: Session, vault: Vault
    ) -> None:
        service = lists.service_on()
        publicised = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.PUBLICISED
        )
        effective = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.EFFECTIVE
        )
        graded = make.enterprise(session, vault)
        lists.grade(session, graded.id, Grade.D, DAY)
        result = service.sweep(session, DAY)
        assert (result.effective, result.expired) == (1, 1)
        assert result.proposed >= 1
        assert (publicised.status, effective.status) == (ListStatus.EFFECTIVE, ListStatus.EXPIRED)
        assert effective.ended_on == DAY
        assert effective.end_reason == "有效期届满"
        assert session.scalars(select(ListEntry).where(ListEntry.subject_id == graded.id)).one()

    def test_leaves_entries_when_not_yet_due(self, session: Session, vault: Vault) -> None:
        service = lists.service_on()
        entry = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.EFFECTIVE
        )
        entry.valid_until = DAY
        service.sweep(session, DAY)
        assert entry.status is ListStatus.EFFECTIVE

    def test_job_runs_sweep_when_scheduled(self, session: Session, vault: Vault) -> None:
        today = records.beijing_today()
        service = lists.service_on(today)
        entry = lists.entry_in(
            session, service, make.enterprise(session, vault).id, ListStatus.EFFECTIVE
        )
        sweep(session, {})
        assert entry.status is ListStatus.EXPIRED
