"""FastAPI dependencies of the early warning."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ecredit.record.service import RecordService
from ecredit.warning.service import WarningService


def get_warnings(request: Request) -> WarningService:
    """A warning service over the application's catalogue and clock (those of its records)."""
    records: RecordService = request.app.state.records
    return WarningService(records.catalog, records.clock)


WarningsDep = Annotated[WarningService, Depends(get_warnings)]
