"""Pydantic I/O models of detection runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from ecredit.detection.run import NAMES
from ecredit.models.detection import RunStatus, RunTrigger


class DetectionStepRead(BaseModel):
    """One detector of a run: its findings, the seconds it took (detecting and raising), why it
    was skipped if it was, and what raising its findings did: raised, duplicate, repeated and
    unregistered_platform sum to findings."""

    model_config = ConfigDict(from_attributes=True)

    detector: str
    position: int
    findings: int
    seconds: float
    skipped: str | None = Field(description="Why the detector did not run (no data), if so.")
    raised: int = Field(description="New alerts.")
    duplicate: int = Field(description="Findings already raised before.")
    repeated: int = Field(description="Findings given twice by this detector: counted once.")
    unregistered_platform: int = Field(
        description="Findings not raised: their platform is not a registered platform (lake "
        "data the registry cannot attribute; see the worker's log for the platform ids)."
    )
    unknown_shop: int = Field(description="New alerts naming a shop the registry does not know.")


class DetectionRunRead(BaseModel):
    """A run with its steps (the detectors that finished, in order) and their totals."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    engine: str
    trigger: RunTrigger
    requested: list[str] = Field(description="The detectors asked for; empty: all.")
    requested_by: str
    parameters: dict[str, Any] | None = Field(
        description="The detectors' thresholds in force when the run started, by parameter key "
        "(see /parameters); none for a run recorded before thresholds were parameters."
    )
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None
    failed_detector: str | None
    error: str | None
    steps: list[DetectionStepRead]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def seconds(self) -> float | None:
        """From start to end; none while running."""
        if self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 3)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def findings(self) -> int:
        return sum(step.findings for step in self.steps)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def raised(self) -> int:
        return sum(step.raised for step in self.steps)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duplicate(self) -> int:
        return sum(step.duplicate for step in self.steps)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def repeated(self) -> int:
        return sum(step.repeated for step in self.steps)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unregistered_platform(self) -> int:
        return sum(step.unregistered_platform for step in self.steps)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unknown_shop(self) -> int:
        return sum(step.unknown_shop for step in self.steps)


class DetectionRunCreate(BaseModel):
    """Ask for a run now: the job `alert.detect` runs it on the configured engine."""

    detectors: list[str] = Field(
        default_factory=list,
        max_length=len(NAMES),
        description=f"Detectors to run (all when empty): {', '.join(NAMES)}. Account rings "
        "bring brushing with them.",
        json_schema_extra={"items": {"type": "string", "enum": list(NAMES)}},
    )

    @field_validator("detectors")
    @classmethod
    def _known(cls, names: list[str]) -> list[str]:
        unknown = sorted(set(names) - set(NAMES))
        if unknown:
            raise ValueError(f"unknown {', '.join(unknown)} (known: {', '.join(NAMES)})")
        return list(dict.fromkeys(names))


class DetectionRunQueued(BaseModel):
    """The job that will run the detectors; its run appears in the list once it starts."""

    job_id: int
    detectors: list[str]
