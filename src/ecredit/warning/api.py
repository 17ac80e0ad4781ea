"""Thin JSON routes of the early warning: current warnings by level and region, one subject's
warning with its reasons, and recomputing one subject now."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ecredit.authz.deps import Requires, SessionDep
from ecredit.authz.principals import Principal, Scope
from ecredit.kit.paging import MAX_PAGE_SIZE, PageRequest
from ecredit.kit.schemas import PageOut
from ecredit.models.subject import Subject
from ecredit.models.warning import WarningLevel
from ecredit.warning.deps import WarningsDep
from ecredit.warning.schemas import WarningFilter, WarningRead
from ecredit.warning.views import warning_read

router = APIRouter(prefix="/warnings", tags=["warnings"])


@router.get("", response_model=PageOut[WarningRead])
def list_warnings(
    session: SessionDep,
    warnings: WarningsDep,
    principal: Principal = Requires(Scope.WARNING_READ),
    level: WarningLevel | None = None,
    region: Annotated[str | None, Query(pattern=r"^[0-9]{2,6}$")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> PageOut[WarningRead]:
    """Current warnings, highest score first; filter by `level` (default: every level above
    none) and by a prefix of the subject's region code."""
    where = WarningFilter(level=level, region=region)
    found = warnings.page(session, PageRequest(page, size), where)
    items = [warning_read(session.get_one(Subject, w.subject_id), w) for w in found.items]
    return PageOut(items=items, total=found.total, page=found.page, size=found.size)


@router.get("/{subject_id}", response_model=WarningRead)
def get_warning(
    subject_id: int,
    session: SessionDep,
    warnings: WarningsDep,
    principal: Principal = Requires(Scope.WARNING_READ),
) -> WarningRead:
    """One subject's current warning with its reasons (level none if never assessed)."""
    return warning_read(*warnings.get(session, subject_id))


@router.post("/{subject_id}/recompute", response_model=WarningRead)
def recompute_warning(
    subject_id: int,
    session: SessionDep,
    warnings: WarningsDep,
    principal: Principal = Requires(Scope.EVALUATION_RUN),
) -> WarningRead:
    """Assess the subject now and store the result; a change of level is announced."""
    warning = warnings.recompute(session, subject_id)
    return warning_read(session.get_one(Subject, subject_id), warning)
