"""Pydantic I/O models of organisations, users and API keys."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ecredit.authz.principals import Role, Scope
from ecredit.models.org import OrgKind


class OrganisationCreate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    kind: OrgKind
    department: str | None = Field(None, max_length=40)
    uscc: str | None = None
    subject_id: int | None = None


class OrganisationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OrgKind
    department: str | None
    uscc: str | None
    subject_id: int | None


class UserCreate(BaseModel):
    organisation_id: int
    username: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=10, max_length=200)
    roles: list[Role] = Field(default_factory=lambda: [Role.VIEWER])


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    username: str
    display_name: str
    roles: list[Role]
    is_active: bool


class ApiKeyCreate(BaseModel):
    organisation_id: int
    name: str = Field(min_length=1, max_length=120)
    scopes: list[Scope] = Field(min_length=1)


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself. Shown this once; only its hash is stored.")
