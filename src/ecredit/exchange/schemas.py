"""Pydantic I/O models of 双公示 imports: the per-row report and its totals."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class RowStatus(StrEnum):
    CREATED = "created"  # stored as a new record
    DUPLICATE = "duplicate"  # this organisation already recorded the decision number: not stored
    UNKNOWN_SUBJECT = "unknown_subject"  # no registered subject has the code: not stored
    ERROR = "error"  # a cell breaks a rule: not stored


class ImportProblem(BaseModel):
    column: str = Field(description="The file's column header (or 'file' / 'row').")
    rule: str
    message: str


class ImportRow(BaseModel):
    row: int = Field(description="Row number in the file; the header is row 1.")
    status: RowStatus
    record_id: int | None = None
    decision_no: str | None = None
    subject_name: str | None = Field(None, description="As written; a person's name masked.")
    subject_code: str | None = Field(None, description="USCC, or a masked ID number.")
    problems: list[ImportProblem] = Field(default_factory=list)


class ImportTotals(BaseModel):
    rows: int = 0
    created: int = 0
    duplicate: int = 0
    unknown_subject: int = 0
    error: int = 0


class ImportReport(BaseModel):
    kind: str
    type_code: str = Field(description="The record type the rows were recorded as.")
    columns: str = Field(description="The column set detected: current or older.")
    totals: ImportTotals
    rows: list[ImportRow]
