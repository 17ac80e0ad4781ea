"""Administration routes: organisations, users, API keys."""

from __future__ import annotations

from fastapi import APIRouter

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.org.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    OrganisationCreate,
    OrganisationRead,
    UserCreate,
    UserRead,
)
from ecredit.org.service import organisation_service

router = APIRouter(tags=["administration"])


@router.post("/organisations", status_code=201, response_model=OrganisationRead)
def create_organisation(
    data: OrganisationCreate, session: SessionDep, _: Principal = Requires(Scope.ORG_ADMIN)
) -> OrganisationRead:
    return OrganisationRead.model_validate(organisation_service.create(session, data))


@router.get("/organisations", response_model=list[OrganisationRead])
def list_organisations(
    session: SessionDep, _: Principal = Requires(Scope.ORG_ADMIN)
) -> list[OrganisationRead]:
    return [OrganisationRead.model_validate(org) for org in organisation_service.list(session)]


@router.post("/users", status_code=201, response_model=UserRead)
def create_user(
    data: UserCreate, session: SessionDep, _: Principal = Requires(Scope.ORG_ADMIN)
) -> UserRead:
    return UserRead.model_validate(organisation_service.create_user(session, data))


@router.post("/api-keys", status_code=201, response_model=ApiKeyCreated)
def create_api_key(
    data: ApiKeyCreate, session: SessionDep, _: Principal = Requires(Scope.ORG_ADMIN)
) -> ApiKeyCreated:
    """The key is in this answer only; it is stored as a hash."""
    api_key, plaintext = organisation_service.create_api_key(session, data)
    return ApiKeyCreated(**ApiKeyRead.model_validate(api_key).model_dump(), key=plaintext)


@router.post("/api-keys/{key_id}/revoke", response_model=ApiKeyRead)
def revoke_api_key(
    key_id: int, session: SessionDep, _: Principal = Requires(Scope.ORG_ADMIN)
) -> ApiKeyRead:
    return ApiKeyRead.model_validate(organisation_service.revoke_api_key(session, key_id))
