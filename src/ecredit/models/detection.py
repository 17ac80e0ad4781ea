"""Detection runs: one row per run of the detectors over the lake, one step per detector.

The steps are a child table rather than a JSON column on the run: each step is written in the
same transaction as the alerts its detector raised (so the record and the alerts never disagree),
its figures are typed columns that migrations and `alembic check` see, and they can be summed or
compared across runs with plain SQL on both databases.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecredit.kit.types import JSONVariant, StrEnumType, UTCDateTime
from ecredit.models.base import Base


class RunStatus(StrEnum):
    RUNNING = "running"  # detectors still at work (or the process died: see heartbeat_at)
    SUCCEEDED = "succeeded"  # every detector ran or was skipped for want of data
    FAILED = "failed"  # a detector raised an error; the alerts of those before it stay


class RunTrigger(StrEnum):
    """Who started the run."""

    CLI = "cli"  # `ecredit detect run`
    JOB = "job"  # the daily job `alert.detect`
    API = "api"  # `POST /api/v1/detection-runs`, run by the job on behalf of its caller


class DetectionRun(Base):
    """One run of the detectors over the lake, recorded while it runs.

    `running_slot` is true while the run is running and NULL once it has ended: its unique
    constraint lets at most one run be running at a time, across processes and databases (both
    allow any number of NULLs). `heartbeat_at` moves at every finished detector, so a run whose
    process died can be told from a slow one. `parameters` holds the thresholds the run's
    detectors used, read once when it started.
    """

    __tablename__ = "detection_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    engine: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[RunTrigger] = mapped_column(StrEnumType(RunTrigger))
    requested: Mapped[list[str]] = mapped_column(JSONVariant, default=list)  # empty: all
    requested_by: Mapped[str] = mapped_column(String(120))
    # The detectors' thresholds in force when the run started, by parameter key (NULL: a run
    # recorded before thresholds were parameters).
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSONVariant)
    status: Mapped[RunStatus] = mapped_column(StrEnumType(RunStatus), default=RunStatus.RUNNING)
    running_slot: Mapped[bool | None] = mapped_column(unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_detector: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[list[DetectionStep]] = relationship(
        order_by="DetectionStep.position", lazy="selectin"
    )


class DetectionStep(Base):
    """One detector of a run that finished (or was skipped for want of data), with its counts:
    findings, seconds, and what raising them did: each finding is counted once as raised (a new
    alert), `duplicate` (raised before), `repeated` (twice in this detector's findings) or
    `unregistered_platform` (not raised: its platform is not registered), so the four sum to
    `findings`; `unknown_shop` counts the new alerts naming a shop the registry does not know."""

    __tablename__ = "detection_step"
    __table_args__ = (UniqueConstraint("run_id", "detector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("detection_run.id"), index=True)
    position: Mapped[int]
    detector: Mapped[str] = mapped_column(String(40))
    findings: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    skipped: Mapped[str | None] = mapped_column(String(500))
    raised: Mapped[int] = mapped_column(default=0)
    duplicate: Mapped[int] = mapped_column(default=0)
    repeated: Mapped[int] = mapped_column(default=0)
    unregistered_platform: Mapped[int] = mapped_column(default=0)
    unknown_shop: Mapped[int] = mapped_column(default=0)
