"""The demo city: realistic, valid, deterministic, created through the services, seeded once."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.config import Settings
from ecredit.demo import MINGDA_DOMAIN, MINGDA_NAME, MINGDA_USCC, is_seeded, plan_city, seed_demo
from ecredit.demo.credentials import DemoCredentials
from ecredit.demo.credit_plan import plan_credit
from ecredit.demo.plan import MANUFACTURERS, SAMR
from ecredit.demo.trace_apply import ORDERS_PER_BATCH, RECALLED_MAKER, demo_gtin
from ecredit.kit.crypto import Vault, load_signing_key
from ecredit.kit.db import Database
from ecredit.kit.errors import Conflict
from ecredit.kit.ids import validate_ric, validate_uscc
from ecredit.ledger.service import Signer
from ecredit.ledger.verify import verify_ledger
from ecredit.models import (
    ChangeRecord,
    DomainClaim,
    DomainClaimStatus,
    Organisation,
    Shop,
    Subject,
    SubjectKind,
    VerificationEvent,
    VerificationStatus,
)
from ecredit.models.commitment import Commitment
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.measure import CheckLog, MeasureFeedback
from ecredit.models.record import CreditRecord, EntryAction
from ecredit.models.repair import CaseKind, CaseStatus, RepairCase
from ecredit.models.scoring import Evaluation, SubjectGrade
from ecredit.models.trace import Batch, BusinessStep, Product, ProductCategory, TraceEvent
from ecredit.org.service import organisation_service
from ecredit.record import views as record_views
from ecredit.record.service import RecordService
from ecredit.subject.search import search
from ecredit.trace import views as trace_views

MERCHANTS = 60
SEED = 2017


@pytest.fixture
def vault(settings: Settings) -> Vault:
    return Vault.from_settings(settings)


@pytest.fixture
def signer(settings: Settings) -> Signer:
    return Signer(load_signing_key(settings))


@pytest.fixture
def credentials(db: Database, vault: Vault, signer: Signer) -> DemoCredentials:
    return seed_demo(db, vault, merchants=MERCHANTS, seed=SEED, signer=signer)


def _org_subjects(session: Session) -> list[Subject]:
    linked = select(Organisation.subject_id).where(Organisation.subject_id.is_not(None))
    return list(session.scalars(select(Subject).where(Subject.id.in_(linked))))


def _counts(session: Session, column: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column))
    return {str(key.value if hasattr(key, "value") else key): n for key, n in rows}


@pytest.mark.usefixtures("credentials")
class TestSeededCity:
    def test_has_every_kind_of_subject_and_organisation(self, session: Session) -> None:
        assert _counts(session, Subject.kind) == {
            "platform": 3,
            "logistics": 4,
            "agency": 2,
            "manufacturer": 6,
            "merchant": MERCHANTS,
            "practitioner": 12,
        }
        assert _counts(session, Organisation.kind) == {
            "credit_office": 1,
            "department": 5,
            "platform": 3,
            "logistics": 4,
            "credit_agency": 2,
        }
        forms = _counts(session, Subject.merchant_form)
        assert set(forms) == {"enterprise", "individual_business", "natural_person", "None"}

    def test_links_platform_organisations_to_platform_subjects(self, session: Session) -> None:
        platforms = session.scalars(select(Organisation).where(Organisation.kind == "platform"))
        for org in platforms:
            subject = session.get(Subject, org.subject_id)
            assert subject is not None
            assert (subject.kind, subject.name, subject.uscc) == (
                SubjectKind.PLATFORM,
                org.name,
                org.uscc,
            )

    def test_holds_only_valid_unique_codes(self, session: Session, vault: Vault) -> None:
        subject_codes = [c for c in session.scalars(select(Subject.uscc)) if c is not None]
        org_codes = [c for c in session.scalars(select(Organisation.uscc)) if c is not None]
        assert all(validate_uscc(code) == code for code in subject_codes + org_codes)
        assert len(subject_codes) == len(set(subject_codes))
        assert set(org_codes) >= {s.uscc for s in _org_subjects(session)}
        sealed = session.scalars(
            select(Subject.id_number_sealed).where(Subject.id_number_sealed.is_not(None))
        )
        numbers = [vault.cipher.decrypt(token, "subject.id_number") for token in sealed]
        assert all(validate_ric(n) == n and n.startswith("2105") for n in numbers)
        assert len(numbers) == len(set(numbers))
        persons = session.scalar(
            select(func.count()).where(
                (Subject.merchant_form == "natural_person") | (Subject.kind == "practitioner")
            )
        )
        assert len(numbers) == persons
        assert len(subject_codes) + len(numbers) == MERCHANTS + 3 + 4 + 2 + 6 + 12

    def test_gives_merchants_shops_with_platform_urls(self, session: Session) -> None:
        shops = list(session.scalars(select(Shop)))
        per_merchant = Counter(shop.merchant_id for shop in shops)
        assert len(per_merchant) == MERCHANTS
        assert set(per_merchant.values()) <= {1, 2, 3}
        assert all(s.url and s.url.endswith(f"/shop/{s.shop_code}") for s in shops)

    def test_finds_the_well_known_merchant_first_by_initials(
        self, session: Session, vault: Vault
    ) -> None:
        top = search(session, vault, "bxsmd")[0].subject
        assert (top.name, top.uscc) == (MINGDA_NAME, MINGDA_USCC)
        assert top.verification_status is VerificationStatus.VERIFIED
        assert (
            len(
                {
                    shop.platform_id
                    for shop in session.scalars(select(Shop).where(Shop.merchant_id == top.id))
                }
            )
            == 3
        )
        claim = session.scalar(select(DomainClaim).where(DomainClaim.subject_id == top.id))
        assert claim is not None
        assert (claim.domain, claim.status) == (MINGDA_DOMAIN, DomainClaimStatus.CLAIMED)

    def test_has_every_verification_state_decided_by_market_regulation(
        self, session: Session
    ) -> None:
        merchants = select(Subject.verification_status).where(Subject.kind == SubjectKind.MERCHANT)
        assert set(session.scalars(merchants)) == set(VerificationStatus)
        samr = organisation_service.get_by_name(session, SAMR)
        verified = session.scalars(select(Subject).where(Subject.verification_status == "verified"))
        assert {s.verified_by_id for s in verified} == {samr.id}
        rejections = session.scalars(
            select(VerificationEvent).where(VerificationEvent.to_status == "rejected")
        ).all()
        assert rejections
        assert all(
            e.reason and e.organisation_id == samr.id and e.actor == "demo-seed" for e in rejections
        )

    def test_keeps_personal_data_sealed(self, session: Session, vault: Vault) -> None:
        person = plan_city(MERCHANTS, SEED).practitioners[0]
        subject = session.scalar(select(Subject).where(Subject.name == person.name))
        assert subject is not None
        assert person.id_number
        assert person.phone
        assert person.id_number not in (subject.id_number_sealed or "")
        assert person.phone not in (subject.phone_sealed or "")
        assert (
            vault.cipher.decrypt(subject.id_number_sealed or "", "subject.id_number")
            == person.id_number
        )
        logged = session.scalars(
            select(ChangeRecord.after).where(
                ChangeRecord.entity == "subject", ChangeRecord.entity_id == subject.id
            )
        )
        assert all(person.id_number not in str(after) for after in logged)

    def test_creates_what_the_plan_says(self, session: Session) -> None:
        planned = {(m.name, m.uscc) for m in plan_city(MERCHANTS, SEED).merchants}
        stored = session.execute(
            select(Subject.name, Subject.uscc).where(Subject.kind == "merchant")
        )
        assert {tuple(row) for row in stored} == planned

    def test_reports_itself_seeded_and_refuses_a_second_time(
        self, db: Database, session: Session, vault: Vault
    ) -> None:
        assert is_seeded(session)
        with pytest.raises(Conflict):
            seed_demo(db, vault, merchants=5, seed=SEED)


@pytest.mark.usefixtures("credentials")
class TestSeededCredit:
    def test_has_records_of_each_kind(self, session: Session) -> None:
        kinds = _counts(session, CreditRecord.type_code)
        for code in ("administrative_licence", "administrative_penalty", "honour_award",
                     "commitment_kept", "commitment_breach"):  # fmt: skip
            assert kinds.get(code, 0) > 0, code
        platform_kinds = {
            "order_brushing",
            "false_advertising",
            "price_fraud",
            "fake_traffic",
            "misleading_listing",
            "counterfeit",
            "malicious_review",
            "empty_parcel",
        }
        assert platform_kinds & set(kinds)
        actions = _counts(session, CreditRecord.action)
        # two of each planned, one more of each from an upheld objection; one granted repair
        assert actions[EntryAction.CORRECTION.value] == 3
        assert actions[EntryAction.REVOCATION.value] == 3
        assert actions[EntryAction.REPAIR.value] == 1
        statuses = _counts(session, Commitment.status)
        assert set(statuses) == {"active", "kept", "breached"}

    def test_ledgers_every_record_under_a_signed_checkpoint(
        self, session: Session, signer: Signer
    ) -> None:
        report = verify_ledger(session, signer.public_key)
        assert report.ok, report.findings[:3]
        assert report.checkpoints == 1
        assert report.entries == session.scalar(select(func.count()).select_from(CreditRecord))

    def test_gives_the_well_known_merchant_a_public_file_and_commitment(
        self, session: Session
    ) -> None:
        mingda = session.scalars(select(Subject).where(Subject.uscc == MINGDA_USCC)).one()
        records = RecordService(load_catalog())
        states = records.file(session, mingda.id)
        public = record_views.public_file(
            session, records.catalog, mingda.id, states, records.today()
        )
        assert {g.type_code for g in public.groups} == {"administrative_licence", "honour_award"}
        signed = session.scalars(select(Commitment).where(Commitment.subject_id == mingda.id))
        assert [(c.template_code, c.status.value) for c in signed] == [
            ("ecommerce_merchant", "active")
        ]


@pytest.mark.usefixtures("credentials")
class TestSeededConsequences:
    def test_evaluates_every_subject(self, session: Session) -> None:
        subjects = session.scalar(select(func.count()).select_from(Subject))
        graded = session.scalar(select(func.count()).select_from(SubjectGrade))
        evaluated = session.scalar(select(func.count(func.distinct(Evaluation.subject_id))))
        assert subjects == graded == evaluated
        grades = _counts(session, SubjectGrade.grade)
        assert {"A", "B", "C", "D"} <= set(grades)

    def test_has_list_entries_in_every_state_across_the_kinds(self, session: Session) -> None:
        assert set(_counts(session, ListEntry.status)) == {s.value for s in ListStatus}
        kinds = _counts(session, ListEntry.list_kind)
        assert {"ecommerce_serious_dishonesty", "honest_merchant_redlist", "watch_list"} <= set(
            kinds
        )
        origins = {o.split(":")[0] for o in session.scalars(select(ListEntry.origin))}
        assert origins == {"criteria", "decision"}
        by_criteria = session.execute(
            select(ListEntry.list_kind).where(ListEntry.origin.like("criteria%")).distinct()
        )
        assert {"honest_merchant_redlist", "watch_list"} <= set(by_criteria.scalars())

    def test_has_feedback_of_both_outcomes_and_a_check_log(self, session: Session) -> None:
        outcomes = _counts(session, MeasureFeedback.outcome)
        assert outcomes.get("applied", 0) > 0
        assert outcomes.get("not_applied", 0) > 0
        assert all(f.reason for f in session.scalars(
            select(MeasureFeedback).where(MeasureFeedback.outcome == "not_applied")))  # fmt: skip
        assert session.scalar(select(func.count()).select_from(CheckLog)) > 0
        reporters = {
            org.kind.value
            for org in session.scalars(
                select(Organisation).where(
                    Organisation.id.in_(select(MeasureFeedback.organisation_id))
                )
            )
        }
        assert reporters == {"department", "platform"}

    def test_has_cases_in_every_state_one_escalated_one_removing_an_entry(
        self, session: Session
    ) -> None:
        cases = list(session.scalars(select(RepairCase)))
        assert {c.status for c in cases} == set(CaseStatus)
        assert {c.kind for c in cases} == set(CaseKind)
        assert any(c.escalation_level > 0 and c.status is CaseStatus.FILED for c in cases)
        removal = [c for c in cases if c.target.value == "list_entry"
                   and c.status is CaseStatus.GRANTED]  # fmt: skip
        assert removal
        entry = session.get(ListEntry, removal[0].list_entry_id)
        assert entry is not None
        assert entry.status is ListStatus.REMOVED
        assert any(c.applicant.startswith("self") for c in cases)

    def test_has_products_traced_from_maker_to_consumer_and_one_recalled_batch(
        self, session: Session
    ) -> None:
        products = list(session.scalars(select(Product)))
        assert len(products) == len(MANUFACTURERS)
        assert {p.category for p in products} == set(ProductCategory)
        steps = _counts(session, TraceEvent.business_step)
        assert set(steps) == {step.value for step in BusinessStep}
        assert steps["recalled"] == 1
        gtin = demo_gtin(RECALLED_MAKER)
        batch = session.scalars(select(Batch).join(Product).where(Product.gtin == gtin)).first()
        assert batch is not None
        affected = trace_views.recall_set(session, batch)
        assert len(affected.orders) == ORDERS_PER_BATCH
        assert all(o.consumer_masked and "*" in o.consumer_masked for o in affected.orders)


class TestCredentials:
    def test_staff_can_log_in_and_table_shows_each_secret_once(
        self, session: Session, credentials: DemoCredentials
    ) -> None:
        usernames = {user.username for user in credentials.users}
        assert {"admin", "auditor", "samr.registrar", "samr.verifier"} <= usernames
        assert len(credentials.users) == 7
        assert len(credentials.api_keys) == 4
        admin = next(u for u in credentials.users if u.username == "admin")
        assert organisation_service.authenticate_user(session, "admin", admin.password).roles == [
            "admin"
        ]
        console = Console(record=True, width=200)
        console.print(credentials.as_table())
        text = console.export_text()
        for secret in [u.password for u in credentials.users] + [
            k.key for k in credentials.api_keys
        ]:
            assert text.count(secret) == 1


def test_not_seeded_on_an_empty_database(session: Session) -> None:
    assert not is_seeded(session)


class TestPlan:
    def test_same_seed_gives_the_same_city(self) -> None:
        assert plan_city(40, 5) == plan_city(40, 5)

    def test_same_seed_and_anchor_give_the_same_records(self) -> None:
        city, anchor = plan_city(200, 5), date(2026, 3, 10)
        first, second = plan_credit(city, 5, anchor), plan_credit(city, 5, anchor)
        assert first == second
        assert first.records
        assert first != plan_credit(city, 6, anchor)
        dates = [r.values["decision_date"] for r in first.records]
        assert min(dates) < date(2024, 9, 1)  # spread over two years: some out of window
        assert max(dates) <= anchor

    def test_another_seed_gives_another_city(self) -> None:
        first, second = plan_city(40, 5), plan_city(40, 6)
        assert first.merchants[0] == second.merchants[0]  # the well-known merchant is fixed
        assert [m.name for m in first.merchants[1:]] != [m.name for m in second.merchants[1:]]

    def test_shares_of_forms_and_outcomes_are_plausible(self) -> None:
        merchants = plan_city(1000, 3).merchants
        forms = Counter(m.form for m in merchants)
        outcomes = Counter(m.verification.outcome if m.verification else None for m in merchants)
        assert 600 < forms["enterprise"] < 800
        assert 50 < forms["natural_person"] < 150
        assert 620 < outcomes[VerificationStatus.VERIFIED] < 780
