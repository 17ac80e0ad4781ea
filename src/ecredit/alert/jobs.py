"""Job `alert.raise_findings`: findings handed over by name, so a detector run (a lower layer)
raises alerts without importing this package; and `alert.detect`, the daily run of every
detector over the lake (docs/detection.md) whose findings become alerts.

Payload: {"findings": [{detector, platform_id, shop_code, record_type, score, key: [...],
window_start, window_end (ISO 8601 with zone, or null), evidence: {...}}, ...]} — the fields of
`ecredit.detection.finding.Finding`, as `payload_of` writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.alert.service import alert_service
from ecredit.detection.engine import open_lake
from ecredit.detection.finding import Finding
from ecredit.detection.run import run_detectors
from ecredit.jobs.registry import job_settings, registry

RAISE_JOB = "alert.raise_findings"


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def payload_of(findings: Iterable[Finding]) -> dict[str, Any]:
    encoded = []
    for finding in findings:
        fields = asdict(finding)
        for name in ("window_start", "window_end"):
            moment = fields[name]
            fields[name] = moment.isoformat() if moment is not None else None
        encoded.append(fields)
    return {"findings": encoded}


def finding_of(fields: dict[str, Any]) -> Finding:
    return Finding(**(fields | {"key": tuple(fields["key"]),
                                "window_start": _time(fields.get("window_start")),
                                "window_end": _time(fields.get("window_end"))}))  # fmt: skip


@registry.handler(RAISE_JOB)
def raise_findings(session: Session, payload: dict[str, Any]) -> None:
    alert_service.raise_findings(session, [finding_of(f) for f in payload["findings"]])


DETECT_JOB = "alert.detect"


@registry.handler(DETECT_JOB)
def detect(session: Session, payload: dict[str, Any]) -> None:
    """Run the detectors over the lake on the configured engine and raise their findings.

    Payload (optional): {"only": [detector names]}; the daily run takes every detector."""
    settings = job_settings(session)
    lake = open_lake(settings.resolved_lake_url, settings.detection_engine)
    runs = run_detectors(lake, payload.get("only", []))
    alert_service.raise_findings(session, [found for run in runs for found in run.findings])


registry.every(DETECT_JOB, timedelta(days=1))
