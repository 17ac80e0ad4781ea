"""Small factories for portal tests: subjects, organisations and staff made through services."""

from __future__ import annotations

import itertools
import re

from sqlalchemy.orm import Session
from starlette.testclient import TestClient
from stdnum.cn import ric, uscc

from ecredit.authz.principals import SYSTEM, Principal, Role, principal_for_user
from ecredit.kit.crypto import Vault
from ecredit.kit.errors import NotFound
from ecredit.models.org import OrgKind
from ecredit.models.subject import (
    MerchantForm,
    Subject,
    SubjectKind,
    VerificationMethod,
    VerificationStatus,
)
from ecredit.org.schemas import OrganisationCreate, UserCreate
from ecredit.org.service import organisation_service
from ecredit.subject import workflow
from ecredit.subject.schemas import SubjectCreate
from ecredit.subject.service import subject_service

PASSWORD = "correct-horse-battery"
REGULATOR = "本溪市市场监督管理局"
_serial = itertools.count(1)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def new_uscc() -> str:
    body = f"912105000000{next(_serial):05d}"
    return body + uscc.calc_check_digit(body)


def new_id_number() -> str:
    body = f"21050219900307{next(_serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "?")


def enterprise(session: Session, vault: Vault, name: str, **fields: object) -> Subject:
    data = SubjectCreate.model_validate(
        {"kind": SubjectKind.MERCHANT, "merchant_form": MerchantForm.ENTERPRISE, "name": name,
         "uscc": new_uscc(), **fields}
    )  # fmt: skip
    return subject_service.register(session, vault, data, SYSTEM)


def natural_person(session: Session, vault: Vault, name: str, **fields: object) -> Subject:
    data = SubjectCreate.model_validate(
        {"kind": SubjectKind.MERCHANT, "merchant_form": MerchantForm.NATURAL_PERSON,
         "name": name, "id_number": new_id_number(), **fields}
    )  # fmt: skip
    return subject_service.register(session, vault, data, SYSTEM)


def staff_user(session: Session, username: str, *roles: Role, org: str = REGULATOR) -> Principal:
    """A user of a department (who may decide verifications); returns its Principal."""
    try:
        organisation = organisation_service.get_by_name(session, org)
    except NotFound:
        organisation = organisation_service.create(
            session, OrganisationCreate(name=org, kind=OrgKind.DEPARTMENT, department="samr")
        )
    user = organisation_service.create_user(
        session,
        UserCreate(
            organisation_id=organisation.id,
            username=username,
            display_name=username.title(),
            password=PASSWORD,
            roles=list(roles),
        ),
    )
    return principal_for_user(user)


def pending(session: Session, subject: Subject) -> Subject:
    workflow.submit(session, subject, VerificationMethod.LICENCE_CHECK, "材料-001", SYSTEM)
    return subject


def verified(session: Session, subject: Subject, by: Principal) -> Subject:
    pending(session, subject)
    workflow.decide(session, subject, VerificationStatus.VERIFIED, by)
    return subject


def csrf_token(client: TestClient, path: str = "/staff/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    form = {"username": username, "password": password, "csrf_token": csrf_token(client)}
    response = client.post("/staff/login", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
