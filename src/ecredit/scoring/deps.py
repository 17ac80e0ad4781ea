"""FastAPI dependencies of the scoring domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ecredit.record.service import RecordService
from ecredit.scoring.service import ScoringService


def get_scoring(request: Request) -> ScoringService:
    """The scoring service, built once per application on the catalogue the records use."""
    state = request.app.state
    scoring: ScoringService | None = getattr(state, "scoring", None)
    if scoring is None:
        records: RecordService = state.records
        scoring = state.scoring = ScoringService.create(records.catalog, clock=records.clock)
    return scoring


ScoringDep = Annotated[ScoringService, Depends(get_scoring)]
