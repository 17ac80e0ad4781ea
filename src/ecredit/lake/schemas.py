"""Pydantic I/O models of the lake's batches."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from ecredit.models.lake import BatchStatus


class BatchRead(BaseModel):
    """An upload's result: counts, the partitions written, and whether a report exists.
    `replayed` is true when a retried upload (same batch key, same content) returned it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    uid: str
    platform_id: int
    dataset: str
    batch_key: str
    content_hash: str
    file_format: str
    status: BatchStatus
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    partitions: list[str]
    has_error_report: bool = False
    uploaded_by: str
    created_at: datetime
    replayed: bool = False
