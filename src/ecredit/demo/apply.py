"""Turning a `CityPlan` into rows, only through the real services: every subject is validated,
every change is in the change log and every verification step is a recorded event.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal, Role, Scope, principal_for_user
from ecredit.demo.credentials import PLATFORM_KEY_SCOPES, DemoCredentials
from ecredit.demo.plan import CREDIT_OFFICE, PLATFORMS, SAMR, CityPlan, PlannedOrg, PlannedSubject
from ecredit.kit.crypto import Vault
from ecredit.models.org import Organisation, OrgKind
from ecredit.models.subject import Subject, VerificationStatus
from ecredit.org.schemas import OrganisationCreate
from ecredit.org.service import organisation_service
from ecredit.parameters.service import parameter_service
from ecredit.subject import workflow
from ecredit.subject.schemas import ShopCreate, SubjectCreate
from ecredit.subject.service import subject_service
from ecredit.subject.website import website_service

Progress = Callable[[int, int], None]


class CityBuilder:
    """Applies a plan inside the caller's unit of work; it only flushes."""

    def __init__(self, session: Session, vault: Vault, credentials: DemoCredentials) -> None:
        self.session = session
        self.vault = vault
        self.credentials = credentials
        self.orgs: dict[str, Organisation] = {}
        self.subjects: dict[str, Subject] = {}
        self.principals: dict[str, Principal] = {}  # who registers, by organisation name
        self.verifier: Principal | None = None

    def apply(self, plan: CityPlan, progress: Progress | None = None) -> None:
        government = [o for o in plan.organisations if o.subject is None]
        firms = [o for o in plan.organisations if o.subject is not None]
        for planned in government:
            self._organisation(planned)
        self._government_staff()
        for planned in firms:
            self._firm(planned)
        self._platform_staff()
        for subject in plan.manufacturers:
            self.register(subject)
        total = len(plan.merchants)
        for done, merchant in enumerate(plan.merchants, start=1):
            self.register(merchant)
            if progress is not None:
                progress(done, total)
        for courier in plan.practitioners:
            self.register(courier)
        self._claims(plan.subjects())

    def register(self, planned: PlannedSubject) -> Subject:
        """Register, open the shops and walk the verification to its planned outcome."""
        registrar = self.principals[planned.registered_by]
        subject = subject_service.register(
            self.session, self.vault, _subject_create(planned, self.subjects), registrar
        )
        self.subjects[planned.name] = subject
        for shop in planned.shops:
            platform = self.subjects[shop.platform]
            data = ShopCreate(
                platform_id=platform.id,
                merchant_id=subject.id,
                shop_code=shop.code,
                name=shop.name,
                url=shop.url,
            )
            subject_service.add_shop(self.session, data, self.principals[shop.platform])
        self._verify(subject, planned, registrar)
        return subject

    def _verify(self, subject: Subject, planned: PlannedSubject, submitter: Principal) -> None:
        plan, verifier = planned.verification, self.verifier
        if plan is None or verifier is None:
            return
        workflow.submit(self.session, subject, plan.method, plan.evidence_ref, submitter)
        if plan.outcome is VerificationStatus.PENDING:
            return
        if plan.outcome is VerificationStatus.REJECTED:
            workflow.decide(self.session, subject, plan.outcome, verifier, plan.reason)
            return
        workflow.decide(self.session, subject, VerificationStatus.VERIFIED, verifier)
        if plan.outcome is VerificationStatus.REVOKED:
            workflow.decide(self.session, subject, plan.outcome, verifier, plan.reason)

    def _organisation(self, planned: PlannedOrg, subject_id: int | None = None) -> Organisation:
        data = OrganisationCreate(
            name=planned.name,
            kind=planned.kind,
            department=planned.department,
            uscc=planned.uscc,
            subject_id=subject_id,
        )
        org = organisation_service.create(self.session, data)
        self.orgs[org.name] = org
        return org

    def _firm(self, planned: PlannedOrg) -> None:
        """A platform, carrier or agency: registered as a subject, then its organisation."""
        assert planned.subject is not None
        subject = self.register(planned.subject)
        org = self._organisation(planned, subject.id)
        if org.kind is not OrgKind.PLATFORM:  # platforms act through their operator (below)
            self.principals[org.name] = Principal(
                actor=f"org:{org.id}",
                organisation_id=org.id,
                org_kind=org.kind,
                org_subject_id=subject.id,
                scopes=frozenset({Scope.SUBJECT_READ, Scope.SUBJECT_WRITE}),
            )

    def _government_staff(self) -> None:
        office, samr, add = self.orgs[CREDIT_OFFICE], self.orgs[SAMR], self.credentials.add_user
        add(self.session, office, "admin", "信用办管理员", [Role.ADMIN])
        add(self.session, office, "auditor", "信用办审计员", [Role.AUDITOR])
        registrar = add(self.session, samr, "samr.registrar", "市场监管局登记员", [Role.REGISTRAR])
        verifier = add(self.session, samr, "samr.verifier", "市场监管局核验员", [Role.VERIFIER])
        self.principals[SAMR] = principal_for_user(registrar)
        self.verifier = principal_for_user(verifier)
        self.credentials.add_api_key(self.session, office, "信用办管理接口", tuple(Scope))

    def _platform_staff(self) -> None:
        for name, domain, _prefix in PLATFORMS:
            org = self.orgs[name]
            username = f"{domain.split('.')[0].removesuffix('-bx')}.operator"
            operator = self.credentials.add_user(  # a viewer too: it reads its shops' alerts
                self.session, org, username, f"{name}运营", [Role.REGISTRAR, Role.VIEWER]
            )
            self.principals[name] = principal_for_user(operator)
            self.credentials.add_api_key(self.session, org, f"{name}商户同步", PLATFORM_KEY_SCOPES)

    def _claims(self, planned: list[PlannedSubject]) -> None:
        """Claims stay "claimed": proving one needs the proof file served from the real site."""
        max_distance = parameter_service.get(self.session, "domain.lookalike_max_distance")
        for item in planned:
            if item.domain:
                subject_id = self.subjects[item.name].id
                website_service.claim(self.session, subject_id, item.domain, max_distance)


def _subject_create(planned: PlannedSubject, subjects: dict[str, Subject]) -> SubjectCreate:
    return SubjectCreate(
        kind=planned.kind,
        merchant_form=planned.form,
        name=planned.name,
        uscc=planned.uscc,
        id_number=planned.id_number,
        phone=planned.phone,
        legal_representative=planned.legal_representative,
        region_code=planned.region_code,
        address=planned.address,
        employer_id=subjects[planned.employer].id if planned.employer else None,
    )
