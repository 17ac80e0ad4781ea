"""Read and change runtime parameters; every change is a new revision."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.context import actor_of
from ecredit.kit.clock import WorkCalendar
from ecredit.kit.errors import InvalidInput, NotFound
from ecredit.models.base import utcnow
from ecredit.models.calendar import WorkdayOverride
from ecredit.models.parameters import Parameter, ParameterRevision
from ecredit.parameters.registry import SPECS
from ecredit.parameters.spec import ParameterSpec


class ParameterService:
    def get(self, session: Session, key: str) -> Any:
        spec = self._spec(key)
        stored = session.get(Parameter, key)
        # In the declared type: SQLite gives a JSON column numeric affinity, so 4.0 reads back as 4.
        return spec.default if stored is None else spec.kind(stored.value)

    def set(self, session: Session, key: str, value: Any, reason: str = "") -> Parameter:
        spec = self._spec(key)
        value = _coerce(spec, value)
        stored = session.get(Parameter, key)
        if stored is None:
            stored = Parameter(key=key, value=value, revision=1)
            session.add(stored)
        else:
            stored.value = value
            stored.revision += 1
            stored.updated_at = utcnow()
        session.flush()
        session.add(
            ParameterRevision(
                key=key,
                revision=stored.revision,
                value=value,
                changed_by=actor_of(session),
                reason=reason,
            )
        )
        session.flush()
        return stored

    def history(self, session: Session, key: str) -> list[ParameterRevision]:
        self._spec(key)
        query = (
            select(ParameterRevision)
            .where(ParameterRevision.key == key)
            .order_by(ParameterRevision.revision)
        )
        return list(session.scalars(query))

    def work_calendar(self, session: Session) -> WorkCalendar:
        overrides = {row.day: row.is_workday for row in session.scalars(select(WorkdayOverride))}
        return WorkCalendar(overrides)

    def _spec(self, key: str) -> ParameterSpec:
        if key not in SPECS:
            raise NotFound(f"parameter '{key}' does not exist")
        return SPECS[key]


def _coerce(spec: ParameterSpec, value: Any) -> Any:
    try:
        coerced = spec.kind(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            spec.key, "type", f"{spec.key}: must be a {spec.kind.__name__}, got {value!r}"
        ) from exc
    if isinstance(coerced, float) and not math.isfinite(coerced):  # NaN passes every bound
        raise InvalidInput(spec.key, "type", f"{spec.key}: must be a finite number, got {value!r}")
    if spec.minimum is not None and coerced < spec.minimum:
        raise InvalidInput(spec.key, "minimum", f"{spec.key}: must be at least {spec.minimum}")
    if spec.maximum is not None and coerced > spec.maximum:
        raise InvalidInput(spec.key, "maximum", f"{spec.key}: must be at most {spec.maximum}")
    return coerced


parameter_service = ParameterService()
