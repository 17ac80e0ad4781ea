"""Organisations, users, API keys and principals, made through the organisation service."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal, Role, Scope
from ecredit.models.org import ApiKey, Organisation, OrgKind, User
from ecredit.org.schemas import ApiKeyCreate, OrganisationCreate, UserCreate
from ecredit.org.service import organisation_service

_serial = itertools.count(1)


def organisation(
    session: Session,
    kind: OrgKind = OrgKind.CREDIT_OFFICE,
    name: str | None = None,
    subject_id: int | None = None,
) -> Organisation:
    name = name or f"测试机构{next(_serial)}"
    data = OrganisationCreate(name=name, kind=kind, subject_id=subject_id)
    return organisation_service.create(session, data)


def user(
    session: Session,
    org: Organisation,
    roles: Iterable[Role] = (Role.VIEWER,),
    username: str | None = None,
    password: str = "correct-horse-battery",
) -> User:
    data = UserCreate(
        organisation_id=org.id,
        username=username or f"user{next(_serial)}",
        display_name="测试用户",
        password=password,
        roles=list(roles),
    )
    return organisation_service.create_user(session, data)


def api_key(session: Session, org: Organisation, scopes: Iterable[Scope]) -> tuple[ApiKey, str]:
    """(the stored key, the plaintext shown once)."""
    data = ApiKeyCreate(organisation_id=org.id, name=f"key{next(_serial)}", scopes=list(scopes))
    return organisation_service.create_api_key(session, data)


def principal(org: Organisation, scopes: Iterable[Scope] = tuple(Scope)) -> Principal:
    """What a key of `org` with `scopes` would be, for calling services directly."""
    return Principal(
        actor=f"org:{org.id}",
        organisation_id=org.id,
        org_kind=org.kind,
        org_subject_id=org.subject_id,
        scopes=frozenset(scopes),
    )
