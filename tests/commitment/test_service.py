"""Signing, breach and keeping of credit commitments, against the real record service."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.commitment import jobs  # noqa: F401  (registers the handler)
from ecredit.config import Settings
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.errors import AppError, Conflict, Forbidden, InvalidInput
from ecredit.models.audit import TimelineEvent
from ecredit.models.commitment import Commitment, CommitmentStatus
from ecredit.models.ledger import LedgerEntry
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord, Severity
from ecredit.models.subject import SubjectKind
from tests.factories import commitments as make_c
from tests.factories import orgs
from tests.factories import subjects as make
from tests.factories.commitments import DAY


def _kinds(session: Session, subject_id: int) -> list[str]:
    query = select(TimelineEvent.kind).where(
        TimelineEvent.entity == "subject", TimelineEvent.entity_id == subject_id
    )
    return list(session.scalars(query.order_by(TimelineEvent.id)))


class TestSign:
    def test_renders_text_with_params_when_signed(self, session: Session, vault: Vault) -> None:
        service, merchant = make_c.service_on(), make.enterprise(session, vault)
        commitment = make_c.sign(service, session, merchant, return_days=15, term_months=6)
        assert (commitment.template_code, commitment.template_version) == ("ecommerce_merchant", 2)
        assert commitment.status is CommitmentStatus.ACTIVE
        assert commitment.params == {"return_days": 15, "term_months": 6}
        assert (commitment.term_start, commitment.term_end) == (DAY, date(2026, 9, 1))
        assert "15日内无理由退货" in commitment.text
        assert (commitment.signed_by, commitment.signed_via_org_id) == ("system", None)
        assert _kinds(session, merchant.id)[-1] == "commitment_signed"

    def test_uses_default_params_when_none_given(self, session: Session, vault: Vault) -> None:
        commitment = make_c.sign(make_c.service_on(), session, make.enterprise(session, vault))
        assert commitment.params == {"return_days": 7, "term_months": 12}
        assert "7日内无理由退货" in commitment.text
        assert commitment.term_end == date(2027, 3, 1)

    def test_names_field_and_rule_when_return_days_below_bounds(
        self, session: Session, vault: Vault
    ) -> None:
        merchant = make.enterprise(session, vault)
        with pytest.raises(AppError) as caught:
            make_c.sign(make_c.service_on(), session, merchant, return_days=3)
        assert caught.value.status_code == 422
        [problem] = caught.value.problems
        assert (problem.field, problem.rule) == ("params.return_days", "min")
        assert problem.message == "params.return_days: must be at least 7 (got 3)"
        assert session.scalars(select(Commitment)).all() == []

    def test_refuses_when_template_unknown(self, session: Session, vault: Vault) -> None:
        merchant = make.enterprise(session, vault)
        with pytest.raises(InvalidInput, match="unknown commitment template 'x_y'") as caught:
            make_c.sign(make_c.service_on(), session, merchant, code="x_y")
        assert caught.value.problems[0].field == "template_code"

    @pytest.mark.parametrize(
        ("kind", "code"),
        [
            (SubjectKind.PRACTITIONER, "ecommerce_merchant"),
            (SubjectKind.LOGISTICS, "ecommerce_merchant"),
            (SubjectKind.MERCHANT, "logistics_carrier"),
            (SubjectKind.AGENCY, "ecommerce_merchant"),
        ],
    )
    def test_refuses_subject_when_kind_not_a_signer(
        self, session: Session, vault: Vault, kind: SubjectKind, code: str
    ) -> None:
        employer = make.enterprise(session, vault).id if kind is SubjectKind.PRACTITIONER else None
        subject = make.register(session, vault, kind, employer_id=employer)
        with pytest.raises(InvalidInput, match=f"a {kind.value} may not sign '{code}'") as caught:
            make_c.sign(make_c.service_on(), session, subject, code=code)
        assert (caught.value.problems[0].field, caught.value.problems[0].rule) == (
            "subject_id",
            "kind",
        )

    def test_signs_for_a_natural_person_merchant_when_merchant(
        self, session: Session, vault: Vault
    ) -> None:
        person = make.natural_person(session, vault)
        assert make_c.sign(make_c.service_on(), session, person).subject_id == person.id

    def test_refuses_when_term_starts_in_the_past(self, session: Session, vault: Vault) -> None:
        merchant = make.enterprise(session, vault)
        with pytest.raises(InvalidInput, match="term_start: must not be in the past"):
            make_c.service_on().sign(
                session, merchant.id, "ecommerce_merchant", {}, DAY - timedelta(days=1), SYSTEM
            )

    def test_conflicts_when_an_active_one_exists(self, session: Session, vault: Vault) -> None:
        service, merchant = make_c.service_on(), make.enterprise(session, vault)
        make_c.sign(service, session, merchant)
        with pytest.raises(Conflict, match="already has an active 'ecommerce_merchant'"):
            make_c.sign(service, session, merchant, return_days=10)
        food = make_c.sign(service, session, merchant, "food_seller", licence_no="JY12102050012345")
        assert food.status is CommitmentStatus.ACTIVE

    def test_signs_again_when_previous_one_withdrawn(self, session: Session, vault: Vault) -> None:
        service, merchant = make_c.service_on(), make.enterprise(session, vault)
        first = make_c.sign(service, session, merchant)
        service.withdraw(session, first.id, "经营范围调整", SYSTEM)
        assert make_c.sign(service, session, merchant).id != first.id


class TestOnBehalf:
    def test_signs_when_platform_acts_for_its_own_merchant(
        self, session: Session, vault: Vault
    ) -> None:
        platform, merchant = make_c.platform_with_merchant(session, vault)
        commitment = make_c.sign(make_c.service_on(), session, merchant, by=platform)
        assert commitment.signed_via_org_id == platform.organisation_id
        assert commitment.signed_by == platform.actor

    def test_forbidden_when_platform_acts_for_another_platforms_merchant(
        self, session: Session, vault: Vault
    ) -> None:
        platform, _own = make_c.platform_with_merchant(session, vault)
        _other, foreign = make_c.platform_with_merchant(session, vault)
        with pytest.raises(Forbidden, match="merchants on its platform"):
            make_c.sign(make_c.service_on(), session, foreign, by=platform)

    def test_forbidden_when_platform_breaches_another_platforms_merchant(
        self, session: Session, vault: Vault
    ) -> None:
        service = make_c.service_on()
        platform, _own = make_c.platform_with_merchant(session, vault)
        other, foreign = make_c.platform_with_merchant(session, vault)
        commitment = make_c.sign(service, session, foreign, by=other)
        with pytest.raises(Forbidden):
            service.breach(session, commitment.id, make_c.breach_data(), platform)
        assert commitment.status is CommitmentStatus.ACTIVE

    def test_signs_when_government_acts_for_anyone(self, session: Session, vault: Vault) -> None:
        office = orgs.principal(orgs.organisation(session, OrgKind.DEPARTMENT))
        carrier = make.register(session, vault, SubjectKind.LOGISTICS)
        commitment = make_c.sign(
            make_c.service_on(), session, carrier, "logistics_carrier", by=office, claim_days=3
        )
        assert commitment.signed_via_org_id == office.organisation_id
        assert "3日内处理完毕" in commitment.text

    def test_carrier_signs_only_for_itself(self, session: Session, vault: Vault) -> None:
        carrier = make.register(session, vault, SubjectKind.LOGISTICS)
        other = make.register(session, vault, SubjectKind.LOGISTICS)
        org = orgs.organisation(session, OrgKind.LOGISTICS, subject_id=carrier.id)
        service = make_c.service_on()
        make_c.sign(service, session, carrier, "logistics_carrier", by=orgs.principal(org))
        with pytest.raises(Forbidden, match="a logistics may not act"):
            make_c.sign(service, session, other, "logistics_carrier", by=orgs.principal(org))


class TestBreach:
    def test_creates_ledgered_breach_record_when_breached(
        self, session: Session, vault: Vault
    ) -> None:
        service = make_c.service_on()
        platform, merchant = make_c.platform_with_merchant(session, vault)
        commitment = make_c.sign(service, session, merchant, by=platform)
        data = make_c.breach_data(severity=Severity.SERIOUS, decision_no="平台违诺〔2026〕1号")
        service.breach(session, commitment.id, data, platform)
        assert commitment.status is CommitmentStatus.BREACHED
        record = session.get_one(CreditRecord, commitment.outcome_record_id)
        assert (record.type_code, record.subject_id) == ("commitment_breach", merchant.id)
        assert (record.source_org_id, record.severity) == (
            platform.organisation_id,
            Severity.SERIOUS,
        )
        assert (record.decision_date, record.public_from) == (DAY, DAY)
        assert f"承诺编号 {commitment.id}" in (record.summary or "")
        assert record.evidence_refs == data.evidence_refs
        entry = session.scalar(select(LedgerEntry).where(LedgerEntry.record_id == record.id))
        assert entry is not None
        assert '"commitment_breach"' in entry.canonical
        assert _kinds(session, merchant.id)[-2:] == ["record_original", "commitment_breached"]

    def test_forbidden_when_catalogue_does_not_let_the_kind_submit(
        self, session: Session, vault: Vault
    ) -> None:
        service, merchant = make_c.service_on(), make.enterprise(session, vault)
        commitment = make_c.sign(service, session, merchant)
        agency = orgs.principal(orgs.organisation(session, OrgKind.CREDIT_AGENCY))
        with pytest.raises(Forbidden):
            service.breach(session, commitment.id, make_c.breach_data(), agency)
        assert commitment.status is CommitmentStatus.ACTIVE
        assert commitment.outcome_record_id is None


class TestCompleteDue:
    def test_keeps_due_commitment_and_leaves_others_active_when_run(
        self, session: Session, vault: Vault
    ) -> None:
        service = make_c.service_on()
        due = make_c.sign(service, session, make.enterprise(session, vault), term_months=6)
        later = make_c.sign(service, session, make.enterprise(session, vault))
        assert service.complete_due(session, due.term_end) == []  # its last day: still running
        assert service.complete_due(session, due.term_end + timedelta(days=1)) == [due]
        assert (due.status, later.status) == (CommitmentStatus.KEPT, CommitmentStatus.ACTIVE)
        record = session.get_one(CreditRecord, due.outcome_record_id)
        assert (record.type_code, record.source_org_id) == ("commitment_kept", None)
        assert (record.decision_date, record.recorded_by) == (due.term_end, "system")
        entry = session.scalar(select(LedgerEntry).where(LedgerEntry.record_id == record.id))
        assert entry is not None
        assert _kinds(session, due.subject_id)[-1] == "commitment_kept"

    def test_conflicts_when_kept_before_its_term_ends(self, session: Session, vault: Vault) -> None:
        service = make_c.service_on()
        commitment = make_c.sign(service, session, make.enterprise(session, vault))
        with pytest.raises(Conflict, match="runs until 2027-03-01"):
            service.keep(session, commitment, date(2027, 3, 1))
        assert commitment.status is CommitmentStatus.ACTIVE

    def test_job_keeps_due_commitments_when_run_by_the_worker(
        self, db: Database, settings: Settings, vault: Vault
    ) -> None:
        with db.unit_of_work() as session:
            merchant = make.enterprise(session, vault)
            commitment_id = make_c.sign(make_c.service_on(), session, merchant, term_months=6).id
        assert "commitment.complete_due" in registry.schedule
        runner = JobService(registry, settings=settings)
        with db.unit_of_work() as session:
            runner.enqueue(session, "commitment.complete_due", {"today": "2026-09-02"})
        # Only the first job: the new record itself enqueues follow-ups (re-evaluation, lists).
        assert runner.run_due(db, limit=1) == 1
        with db.unit_of_work() as session:
            commitment = session.get_one(Commitment, commitment_id)
            assert commitment.status is CommitmentStatus.KEPT
            record = session.get_one(CreditRecord, commitment.outcome_record_id)
            assert record.type_code == "commitment_kept"
