"""The registry's business rules: who may be registered with which identifiers, and shops.

Services flush, never commit; the edge that opened the unit of work commits.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from ecredit.audit.service import audit_service
from ecredit.authz.policies import may_register_on_platform
from ecredit.authz.principals import Principal
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import Conflict, InvalidInput, NotFound
from ecredit.kit.ids import validate_ric, validate_uscc
from ecredit.kit.paging import Page, PageRequest
from ecredit.models.subject import (
    MerchantForm,
    Shop,
    Subject,
    SubjectKind,
    VerificationEvent,
    VerificationStatus,
)
from ecredit.subject.names import full_pinyin, initials
from ecredit.subject.repository import subject_repository
from ecredit.subject.schemas import PersonalData, ShopCreate, SubjectCreate, SubjectUpdate

PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
PERSON_KINDS = {SubjectKind.PRACTITIONER}
EMPLOYER_KINDS = {
    SubjectKind.PLATFORM,
    SubjectKind.MERCHANT,
    SubjectKind.LOGISTICS,
    SubjectKind.AGENCY,
    SubjectKind.MANUFACTURER,
}


def identifies_by_person(kind: SubjectKind, form: MerchantForm | None) -> bool:
    """Natural-person merchants and practitioners are identified by ID number, not USCC."""
    return kind in PERSON_KINDS or form is MerchantForm.NATURAL_PERSON


class SubjectService:
    def register(
        self, session: Session, vault: Vault, data: SubjectCreate, by: Principal
    ) -> Subject:
        _check_form(data)
        subject = Subject(
            kind=data.kind,
            merchant_form=data.merchant_form,
            name=data.name.strip(),
            legal_representative=data.legal_representative,
            region_code=data.region_code,
            address=data.address,
            registered_by_id=by.organisation_id,
        )
        self._set_identifiers(session, vault, subject, data)
        if data.phone:
            self._set_phone(vault, subject, data.phone)
        if data.employer_id is not None:
            subject.employer_id = self._employer(session, data).id
        subject.name_pinyin, subject.name_initials = (
            full_pinyin(subject.name),
            initials(subject.name),
        )
        session.add(subject)
        session.flush()
        audit_service.record_event(
            session, "subject", subject.id, "registered", f"登记主体 {subject.name}"
        )
        return subject

    def update(
        self, session: Session, vault: Vault, subject_id: int, data: SubjectUpdate
    ) -> Subject:
        subject = self.get(session, subject_id)
        changes = data.model_dump(exclude_unset=True)
        if "phone" in changes:
            phone = changes.pop("phone")
            if phone:
                self._set_phone(vault, subject, phone)
            else:
                subject.phone_sealed = subject.phone_index = None
        for field, value in changes.items():
            setattr(subject, field, value)
        session.flush()
        return subject

    def get(self, session: Session, subject_id: int) -> Subject:
        subject = subject_repository.get(session, subject_id)
        if subject is None:
            raise NotFound(f"subject {subject_id} does not exist")
        return subject

    def find_by_code(self, session: Session, code: str, field: str = "code") -> Subject:
        subject = subject_repository.by_uscc(session, validate_uscc(code, field))
        if subject is None:
            raise NotFound(f"no subject is registered with code {code}")
        return subject

    def page(
        self,
        session: Session,
        request: PageRequest,
        kind: SubjectKind | None = None,
        status: VerificationStatus | None = None,
    ) -> Page[Subject]:
        return subject_repository.page(session, request, kind, status)

    def shops(self, session: Session, subject_id: int) -> list[Shop]:
        return subject_repository.shops_of(session, subject_id)

    def verification_events(self, session: Session, subject_id: int) -> list[VerificationEvent]:
        return subject_repository.verification_events(session, subject_id)

    def personal_data(
        self, session: Session, vault: Vault, subject_id: int, purpose: str
    ) -> PersonalData:
        """Unmasked ID and phone numbers; every call is written to the access log."""
        subject = self.get(session, subject_id)
        audit_service.log_personal_access(session, subject.id, ["id_number", "phone"], purpose)
        return PersonalData(
            id_number=_open(vault, subject.id_number_sealed, "subject.id_number"),
            phone=_open(vault, subject.phone_sealed, "subject.phone"),
        )

    def add_shop(self, session: Session, data: ShopCreate, by: Principal) -> Shop:
        platform = self.get(session, data.platform_id)
        merchant = self.get(session, data.merchant_id)
        if platform.kind is not SubjectKind.PLATFORM:
            raise InvalidInput("platform_id", "kind", f"subject {platform.id} is not a platform")
        if merchant.kind is not SubjectKind.MERCHANT:
            raise InvalidInput("merchant_id", "kind", f"subject {merchant.id} is not a merchant")
        may_register_on_platform(by, platform.id).enforce()
        if subject_repository.shop_by_code(session, platform.id, data.shop_code):
            raise Conflict(f"shop_code: shop '{data.shop_code}' already exists on {platform.name}")
        shop = Shop(**data.model_dump())
        session.add(shop)
        session.flush()
        audit_service.record_event(
            session, "subject", merchant.id, "shop_added", f"{platform.name} 店铺 {shop.name}"
        )
        return shop

    def _set_identifiers(
        self, session: Session, vault: Vault, subject: Subject, data: SubjectCreate
    ) -> None:
        if identifies_by_person(data.kind, data.merchant_form):
            if not data.id_number:
                raise InvalidInput("id_number", "required", "id_number: required for a person")
            number = validate_ric(data.id_number or "", "id_number")
            index = vault.index("id_number", number)
            if subject_repository.by_id_number_index(session, index):
                raise Conflict("id_number: a subject with this ID number is already registered")
            subject.id_number_sealed = vault.cipher.encrypt(number, "subject.id_number")
            subject.id_number_index = index
            return
        if not data.uscc:
            raise InvalidInput("uscc", "required", "uscc: required for an organisation")
        code = validate_uscc(data.uscc, "uscc")
        existing = subject_repository.by_uscc(session, code)
        if existing:
            raise Conflict(f"uscc: code {code} is already registered (subject {existing.id})")
        subject.uscc = code

    def _set_phone(self, vault: Vault, subject: Subject, phone: str) -> None:
        phone = phone.strip().replace(" ", "").replace("-", "")
        if not PHONE_PATTERN.match(phone):
            raise InvalidInput(
                "phone", "format", "phone: must be an 11-digit mainland mobile number (1[3-9]…)"
            )
        subject.phone_sealed = vault.cipher.encrypt(phone, "subject.phone")
        subject.phone_index = vault.index("phone", phone)

    def _employer(self, session: Session, data: SubjectCreate) -> Subject:
        employer = subject_repository.get(session, data.employer_id or 0)
        if employer is None:
            raise InvalidInput(
                "employer_id", "exists", f"employer_id: subject {data.employer_id} does not exist"
            )
        if employer.kind not in EMPLOYER_KINDS:
            raise InvalidInput(
                "employer_id", "kind", f"employer_id: a {employer.kind.value} cannot employ"
            )
        return employer


def _check_form(data: SubjectCreate) -> None:
    if data.kind is SubjectKind.MERCHANT and data.merchant_form is None:
        raise InvalidInput(
            "merchant_form",
            "required",
            "merchant_form: required for merchants (enterprise, individual_business or "
            "natural_person)",
        )
    if data.kind is not SubjectKind.MERCHANT and data.merchant_form is not None:
        raise InvalidInput("merchant_form", "forbidden", "merchant_form: only merchants have one")
    if data.kind is SubjectKind.PRACTITIONER and data.employer_id is None:
        raise InvalidInput("employer_id", "required", "employer_id: a practitioner needs one")
    by_person = identifies_by_person(data.kind, data.merchant_form)
    if by_person and data.uscc:
        raise InvalidInput("uscc", "forbidden", "uscc: a natural person is identified by ID number")
    if not by_person and data.id_number:
        raise InvalidInput(
            "id_number", "forbidden", "id_number: an organisation is identified by its USCC"
        )


def _open(vault: Vault, sealed: str | None, context: str) -> str | None:
    return None if sealed is None else vault.cipher.decrypt(sealed, context)


subject_service = SubjectService()
