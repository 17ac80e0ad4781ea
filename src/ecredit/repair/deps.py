"""FastAPI dependencies of the repair domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ecredit.record.service import RecordService
from ecredit.repair.service import RepairService


def get_repairs(request: Request) -> RepairService:
    """A repair service over the application's record service (and so its clock)."""
    records: RecordService = request.app.state.records
    return RepairService(records)


RepairsDep = Annotated[RepairService, Depends(get_repairs)]
