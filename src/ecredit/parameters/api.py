"""Runtime parameters over HTTP: read all, change one (a new revision), see its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.parameters.registry import SPECS
from ecredit.parameters.service import parameter_service

router = APIRouter(prefix="/parameters", tags=["administration"])


class ParameterRead(BaseModel):
    key: str
    value: Any
    default: Any
    description: str


class ParameterChange(BaseModel):
    value: Any
    reason: str = Field(min_length=2, max_length=300)


class RevisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    revision: int
    value: Any
    changed_by: str
    reason: str
    changed_at: datetime


@router.get("", response_model=list[ParameterRead])
def list_parameters(
    session: SessionDep, _: Principal = Requires(Scope.SUBJECT_READ)
) -> list[ParameterRead]:
    return [
        ParameterRead(
            key=spec.key,
            value=parameter_service.get(session, spec.key),
            default=spec.default,
            description=spec.description,
        )
        for spec in SPECS.values()
    ]


@router.put("/{key}", response_model=ParameterRead)
def change_parameter(
    key: str,
    data: ParameterChange,
    session: SessionDep,
    _: Principal = Requires(Scope.PARAMETER_WRITE),
) -> ParameterRead:
    stored = parameter_service.set(session, key, data.value, data.reason)
    spec = SPECS[key]
    return ParameterRead(
        key=key, value=stored.value, default=spec.default, description=spec.description
    )


@router.get("/{key}/revisions", response_model=list[RevisionRead])
def parameter_revisions(
    key: str, session: SessionDep, _: Principal = Requires(Scope.SUBJECT_READ)
) -> list[RevisionRead]:
    return [RevisionRead.model_validate(r) for r in parameter_service.history(session, key)]
