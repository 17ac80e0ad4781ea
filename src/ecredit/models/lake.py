"""The lake's registry side: one row per uploaded batch, so a retried upload adds nothing.

The rows themselves live as Parquet partitions under the lake root (ecredit.lake); this table
says which batches exist, what they held and where their files and error report are.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base, utcnow


class BatchStatus(StrEnum):
    COMPLETE = "complete"  # every row accepted
    PARTIAL = "partial"  # some rows rejected (see the error report), the rest stored
    REJECTED = "rejected"  # no row accepted; nothing written to the lake


class LakeBatch(Base):
    """One upload of one dataset by one platform, identified by the platform's batch key."""

    __tablename__ = "lake_batch"
    __table_args__ = (UniqueConstraint("platform_id", "dataset", "batch_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Derived from platform, dataset and key: the partition files are named after it, so a
    # retry after a crash overwrites its own files instead of adding a second copy.
    uid: Mapped[str] = mapped_column(String(32), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    dataset: Mapped[str] = mapped_column(String(20))
    batch_key: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    file_format: Mapped[str] = mapped_column(String(10))
    rows_total: Mapped[int]
    rows_accepted: Mapped[int]
    rows_rejected: Mapped[int]
    status: Mapped[BatchStatus] = mapped_column(StrEnumType(BatchStatus))
    partitions: Mapped[list[str]] = mapped_column(JSONVariant, default=list)
    error_report: Mapped[str | None] = mapped_column(String(500))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
