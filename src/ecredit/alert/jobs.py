"""Job `alert.raise_findings`: findings handed over by name, so a detector run (a lower layer)
raises alerts without importing this package; and `alert.detect`, the nightly run of every
detector over the lake (docs/detection.md) whose findings become alerts, recorded as a
detection run (trigger "job", or "api" when `POST /api/v1/detection-runs` queued it).

Payload: {"findings": [{detector, platform_id, shop_code, record_type, score, key: [...],
window_start, window_end (ISO 8601 with zone, or null), evidence: {...}}, ...]} — the fields of
`ecredit.detection.finding.Finding`, as `payload_of` writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ecredit.alert.runs import DETECT_JOB, RunRequest, detection_runs
from ecredit.alert.service import alert_service
from ecredit.detection.engine import open_lake
from ecredit.detection.finding import Finding
from ecredit.jobs.registry import RetryPolicy, job_database, job_settings, registry
from ecredit.models.detection import RunStatus, RunTrigger

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


# A refused run (another one running) or a failed detector is tried again later; the next
# nightly run comes anyway, so a few spaced retries are enough.
DETECT_RETRY = RetryPolicy(max_attempts=3, backoff=timedelta(minutes=15), exponential=True)


class DetectionFailed(RuntimeError):
    """The run was recorded as failed: the job fails too, with the same reason."""


@registry.handler(DETECT_JOB, retry=DETECT_RETRY)
def detect(session: Session, payload: dict[str, Any]) -> None:
    """Run the detectors over the lake on the configured engine, raise their findings and
    record the run (ecredit.alert.runs).

    Payload (optional): {"only": [detector names], "trigger": "job" | "api", "requested_by":
    actor}; the nightly run takes every detector, with the trigger "job"."""
    settings = job_settings(session)
    lake = open_lake(settings.resolved_lake_url, settings.detection_engine)
    request = RunRequest(
        trigger=RunTrigger(payload.get("trigger", RunTrigger.JOB.value)),
        detectors=tuple(payload.get("only", ())),
        requested_by=payload.get("requested_by"),
    )
    run = detection_runs.run(job_database(session), lake, request)
    if run.status is RunStatus.FAILED:
        message = f"detection run {run.id} failed in {run.failed_detector}: {run.error}"
        raise DetectionFailed(message)


registry.nightly(DETECT_JOB, at=time(2, 0))  # Beijing time, when the platforms' day is over
