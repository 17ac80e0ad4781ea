"""FastAPI dependencies of the complaint domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ecredit.complaint.service import ComplaintService
from ecredit.record.service import RecordService


def get_complaints(request: Request) -> ComplaintService:
    """A complaint service over the application's record service (and so its clock)."""
    records: RecordService = request.app.state.records
    return ComplaintService(records)


ComplaintsDep = Annotated[ComplaintService, Depends(get_complaints)]
