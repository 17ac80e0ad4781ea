"""FastAPI dependencies of the commitments domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ecredit.commitment.service import CommitmentService
from ecredit.commitment.templates import TemplateBook, load_templates
from ecredit.config import Settings
from ecredit.record.service import RecordService


def get_templates(request: Request) -> TemplateBook:
    """The templates, read once per application from the package and `settings.catalog_dir`."""
    state = request.app.state
    templates: TemplateBook | None = getattr(state, "commitment_templates", None)
    if templates is None:
        settings: Settings = state.settings
        templates = state.commitment_templates = load_templates(settings.catalog_dir)
    return templates


def get_commitments(request: Request) -> CommitmentService:
    records: RecordService = request.app.state.records
    return CommitmentService(get_templates(request), records)


TemplatesDep = Annotated[TemplateBook, Depends(get_templates)]
CommitmentsDep = Annotated[CommitmentService, Depends(get_commitments)]
