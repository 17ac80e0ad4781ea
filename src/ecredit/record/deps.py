"""FastAPI dependencies of the records domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ecredit.record.service import RecordService


def get_records(request: Request) -> RecordService:
    records: RecordService = request.app.state.records
    return records


RecordsDep = Annotated[RecordService, Depends(get_records)]
