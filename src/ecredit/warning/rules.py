"""The early-warning rules: each input's points and facts, their sum and the level it reaches.

Pure functions over facts already read (no session): the service reads the facts and the
parameters, these decide. A reason is kept only when it scores, so a warning's reasons are
exactly the inputs that raised it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ecredit.models.alert import AlertStatus
from ecredit.models.record import Severity
from ecredit.models.warning import WarningLevel

ALERTS, SPIKE, RECORDS, LISTS = "detector_alerts", "complaint_spike", "negative_records", "lists"


@dataclass(frozen=True)
class Weights:
    """The parameters `warning.*` as read at the time of the assessment."""

    lookback_days: int
    alert_points: dict[AlertStatus, int]
    period_days: int
    baseline_periods: int
    spike_ratio: float
    spike_min: int
    spike_points: int
    record_points: dict[Severity, int]
    list_points: dict[str, int]  # by list colour: black, watch
    thresholds: dict[WarningLevel, int]  # lowest score of each level above none


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": self.points, "facts": self.facts}


@dataclass(frozen=True)
class AlertFact:
    id: int
    detector: str
    status: AlertStatus


@dataclass(frozen=True)
class RecordFact:
    id: int
    type_code: str
    severity: Severity


@dataclass(frozen=True)
class ListFact:
    id: int
    list_kind: str
    colour: str


def alert_reason(alerts: list[AlertFact], weights: Weights) -> Reason | None:
    """Open and confirmed alerts about the subject, each worth its status's points."""
    points = sum(weights.alert_points[alert.status] for alert in alerts)
    if not alerts or points <= 0:
        return None
    by_status = Counter(alert.status.value for alert in alerts)
    facts = {
        "open": by_status[AlertStatus.OPEN.value],
        "confirmed": by_status[AlertStatus.CONFIRMED.value],
        "detectors": dict(sorted(Counter(alert.detector for alert in alerts).items())),
        "alert_ids": sorted(alert.id for alert in alerts),
    }
    return Reason(ALERTS, points, facts)


def spike_reason(current: int, previous: int, weights: Weights) -> Reason | None:
    """A spike needs both: at least `spike_min` complaints in the latest period, and at least
    `spike_ratio` times the mean of the periods before (a zero baseline meets any ratio)."""
    baseline = previous / weights.baseline_periods
    ratio = current / baseline if baseline else None
    # current / (previous / periods) >= r, compared without dividing so a ratio of exactly r
    # is not lost to rounding.
    meets_ratio = current * weights.baseline_periods >= weights.spike_ratio * previous
    if current < weights.spike_min or not meets_ratio or weights.spike_points <= 0:
        return None
    facts = {
        "complaints": current,
        "period_days": weights.period_days,
        "baseline": round(baseline, 4),
        "baseline_periods": weights.baseline_periods,
        "ratio": None if ratio is None else round(ratio, 4),
        "min_count": weights.spike_min,
        "min_ratio": weights.spike_ratio,
    }
    return Reason(SPIKE, weights.spike_points, facts)


def record_reason(records: list[RecordFact], weights: Weights) -> Reason | None:
    """Negative records newly in force, each worth its severity's points."""
    points = sum(weights.record_points[record.severity] for record in records)
    if not records or points <= 0:
        return None
    by_severity = Counter(record.severity.value for record in records)
    facts = {
        "by_severity": {s.value: by_severity[s.value] for s in Severity if by_severity[s.value]},
        "types": dict(sorted(Counter(record.type_code for record in records).items())),
        "record_ids": sorted(record.id for record in records),
    }
    return Reason(RECORDS, points, facts)


def list_reason(entries: list[ListFact], weights: Weights) -> Reason | None:
    """Black- and watch-list entries that became effective, each worth its colour's points."""
    points = sum(weights.list_points[entry.colour] for entry in entries)
    if not entries or points <= 0:
        return None
    facts = {
        "kinds": dict(sorted(Counter(entry.list_kind for entry in entries).items())),
        "entry_ids": sorted(entry.id for entry in entries),
    }
    return Reason(LISTS, points, facts)


def level_of(score: int, weights: Weights) -> WarningLevel:
    """The highest level whose threshold the score reaches."""
    for level in (WarningLevel.HIGH, WarningLevel.WARNING, WarningLevel.ATTENTION):
        if score >= weights.thresholds[level]:
            return level
    return WarningLevel.NONE
