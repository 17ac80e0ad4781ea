"""The detectors' thresholds as runtime parameters (ecredit.parameters.detection): read once
when a run starts, turned into each detector's parameters, recorded on the run and stamped on
the evidence of every alert the run raises, so an alert shows which thresholds produced it.

A parameter `detection.<detector>.<field>` sets that field of DetectorSettings.<detector>;
only `detection.brushing.window_minutes` is converted (minutes → the rule's window).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.detection.finding import Finding
from ecredit.detection.run import DEFAULTS, DetectorSettings
from ecredit.parameters.registry import SPECS
from ecredit.parameters.service import parameter_service

EVIDENCE_KEY = "detection_run"
_CONVERTED: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "detection.brushing.window_minutes": ("window", lambda minutes: timedelta(minutes=minutes)),
}


def keys_of(detector: str) -> list[str]:
    """The parameter keys of one detector's thresholds, in the registry's order."""
    prefix = f"detection.{detector}."
    return [key for key in SPECS if key.startswith(prefix)]


def of_detector(values: Mapping[str, Any], detector: str) -> dict[str, Any]:
    """The part of a run's recorded `values` that is `detector`'s."""
    return {key: values[key] for key in keys_of(detector) if key in values}


def read(session: Session, detectors: Iterable[str]) -> dict[str, Any]:
    """The values in force of the thresholds of `detectors`, by parameter key."""
    return {
        key: parameter_service.get(session, key)
        for detector in detectors
        for key in keys_of(detector)
    }


def settings(values: Mapping[str, Any]) -> DetectorSettings:
    """Every detector's parameters: the defaults, with the fields `values` name replaced."""
    fields: dict[str, dict[str, Any]] = defaultdict(dict)
    for key, value in values.items():
        _, detector, name = key.split(".", 2)
        field, convert = _CONVERTED.get(key, (name, _same))
        fields[detector][field] = convert(value)
    return dataclasses.replace(
        DEFAULTS,
        **{
            detector: dataclasses.replace(getattr(DEFAULTS, detector), **changed)
            for detector, changed in fields.items()
        },
    )


def stamped(findings: list[Finding], run_id: int, used: Mapping[str, Any]) -> list[Finding]:
    """The findings with the run and the thresholds they were found under in their evidence."""
    mark = {"id": run_id, "thresholds": dict(used)}
    return [
        dataclasses.replace(finding, evidence={**finding.evidence, EVIDENCE_KEY: mark})
        for finding in findings
    ]


def _same(value: Any) -> Any:
    return value
